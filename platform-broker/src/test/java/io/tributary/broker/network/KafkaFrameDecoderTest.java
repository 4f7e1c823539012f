package io.tributary.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

class KafkaFrameDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new KafkaFrameDecoder(1000));

    @AfterEach
    void releaseAll() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf bytes(Object... parts) {
        ByteBuf buffer = Unpooled.buffer();
        for (Object part : parts) {
            if (part instanceof Integer size) {
                buffer.writeInt(size);
            } else {
                buffer.writeBytes(((String) part).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return buffer;
    }

    private String nextFrame() {
        ByteBuf frame = channel.readInbound();
        try {
            return frame.toString(StandardCharsets.US_ASCII);
        } finally {
            frame.release();
        }
    }

    @Test
    void emitsEachFrameAsExactlyItsBytesWhateverTheReadsBoundaries() {
        channel.writeInbound(bytes(3, "abc", 2, "de", 4, "fg"));
        assertThat(nextFrame()).isEqualTo("abc");
        assertThat(nextFrame()).isEqualTo("de");
        assertThat((Object) channel.readInbound()).as("the third frame is not complete").isNull();

        channel.writeInbound(bytes("h"));
        assertThat((Object) channel.readInbound()).isNull();
        channel.writeInbound(bytes("i", 0, 1000));
        assertThat(nextFrame()).isEqualTo("fghi");
        assertThat(nextFrame()).as("an empty frame").isEmpty();
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void aFrameOfTheMaximumSizeIsAccepted() {
        channel.writeInbound(bytes(1000, "x".repeat(1000)));

        assertThat(nextFrame()).hasSize(1000);
    }

    @Test
    void anOversizedFrameFailsOnItsSizeAloneAndNothingAfterItIsDecoded() {
        assertThatThrownBy(() -> channel.writeInbound(bytes(1001)))
                .isInstanceOfSatisfying(FrameOversizedException.class, e -> {
                    assertThat(e.frameSize()).isEqualTo(1001);
                    assertThat(e.maxFrameSize()).isEqualTo(1000);
                });

        channel.writeInbound(bytes(3, "abc"));
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void aNegativeSizeFails() {
        assertThatThrownBy(() -> channel.writeInbound(bytes(-5, "abc")))
                .isInstanceOf(FrameOversizedException.class)
                .hasMessageContaining("negative");
    }
}
