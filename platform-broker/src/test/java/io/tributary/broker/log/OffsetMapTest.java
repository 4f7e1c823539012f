package io.tributary.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OffsetMapTest {

    private static ByteBuffer key(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLaterPutOfAKeyReplacesItsOffsetAndUnknownKeysHaveNone() {
        OffsetMap map = new OffsetMap(24 * 1000);
        for (int i = 0; i < 500; i++) {
            assertThat(map.put(key("k" + i), i)).isTrue();
        }
        assertThat(map.put(key("k7"), 900)).isTrue();

        assertThat(map.size()).isEqualTo(500);
        assertThat(map.get(key("k7"))).isEqualTo(900);
        assertThat(map.get(key("k499"))).isEqualTo(499);
        assertThat(map.get(key("k0"))).isZero();
        assertThat(map.get(key("never"))).isEqualTo(-1);
    }

    @Test
    void aFullMapRefusesNewKeysButStillUpdatesKnownOnes() {
        OffsetMap map = new OffsetMap(24 * 20);
        assertThat(map.capacity()).isEqualTo(18);
        for (int i = 0; i < 18; i++) {
            assertThat(map.put(key("k" + i), i)).isTrue();
        }
        assertThat(map.hasRoomFor(1)).isFalse();
        assertThat(map.put(key("one-too-many"), 18)).isFalse();
        assertThat(map.get(key("one-too-many"))).isEqualTo(-1);
        assertThat(map.put(key("k3"), 19)).isTrue();
        assertThat(map.get(key("k3"))).isEqualTo(19);

        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(key("k3"))).isEqualTo(-1);
        assertThat(map.hasRoomFor(18)).isTrue();
    }

    @Test
    void theKeyBuffersPositionIsLeftAlone() {
        OffsetMap map = new OffsetMap(24 * 10);
        ByteBuffer key = key("abc");
        map.put(key, 5);
        assertThat(key.remaining()).isEqualTo(3);
        assertThat(map.get(key)).isEqualTo(5);
    }

    @Test
    void aMapTooSmallForOneKeyIsRefused() {
        assertThatThrownBy(() -> new OffsetMap(24)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new OffsetMap(OffsetMap.MIN_MEMORY_BYTES).capacity()).isEqualTo(1);
    }
}
