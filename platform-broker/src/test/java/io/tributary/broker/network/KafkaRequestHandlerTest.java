package io.tributary.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;

/** The request handler on an embedded channel: its flow control and buffer ownership, step by step. */
class KafkaRequestHandlerTest {

    private final TestApis apis = new TestApis();
    private final TrackingAllocator allocator = new TrackingAllocator();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    KafkaRequestHandlerTest() {
        channel.config().setAllocator(allocator);
        channel.pipeline().addLast(new KafkaFrameDecoder(1 << 20),
                new KafkaRequestHandler(apis.router, Runnable::run, 2, "test-connection"));
    }

    @AfterEach
    void everyBufferIsReleased() {
        channel.finishAndReleaseAll();
        assertThat(allocator.allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).isZero());
    }

    private static ByteBuf listGroupsRequests(int fromCorrelationId, int toCorrelationId) {
        ByteBuf frames = Unpooled.buffer();
        for (int correlationId = fromCorrelationId; correlationId <= toCorrelationId; correlationId++) {
            RequestHeader header = new RequestHeader(ApiKeys.LIST_GROUPS, (short) 4, "c", correlationId);
            ByteBuffer frame = RequestUtils.serialize(header.data(), header.headerVersion(), new ListGroupsRequestData(), (short) 4);
            frames.writeInt(frame.remaining()).writeBytes(frame);
        }
        return frames;
    }

    private void complete(int correlationId) {
        AbstractResponse response = new ListGroupsResponse(new ListGroupsResponseData());
        apis.held.stream().filter(h -> h.context().header().correlationId() == correlationId).findFirst().orElseThrow()
                .future().complete(response);
        // The response is handed to the event loop, as from a handler's thread.
        channel.runPendingTasks();
    }

    /** Correlation ids of the responses written so far. */
    private List<Integer> written() {
        List<Integer> correlationIds = new ArrayList<>();
        for (ByteBuf frame; (frame = channel.readOutbound()) != null; ) {
            correlationIds.add(frame.getInt(4));
            frame.release();
        }
        return correlationIds;
    }

    @Test
    void stopsReadingAtTheInFlightLimitAndResumesOnceResponsesAreWritten() {
        assertThat(channel.config().isAutoRead()).isTrue();

        channel.writeInbound(listGroupsRequests(1, 5));

        assertThat(apis.held).hasSize(2);
        assertThat(channel.config().isAutoRead()).isFalse();

        complete(2);
        assertThat(written()).as("the second response waits for the first").isEmpty();
        assertThat(apis.held).hasSize(2);
        assertThat(channel.config().isAutoRead()).isFalse();

        complete(1);
        assertThat(written()).containsExactly(1, 2);
        assertThat(apis.held).hasSize(4);
        assertThat(channel.config().isAutoRead()).as("the fifth request is still waiting").isFalse();

        complete(3);
        assertThat(written()).containsExactly(3);
        assertThat(apis.held).hasSize(5);
        assertThat(channel.config().isAutoRead()).as("two in flight").isFalse();

        complete(4);
        assertThat(written()).containsExactly(4);
        assertThat(channel.config().isAutoRead()).isTrue();
        complete(5);
        assertThat(written()).containsExactly(5);
    }

    @Test
    void aResponseCompletedAfterTheConnectionClosedIsReleased() {
        channel.writeInbound(listGroupsRequests(1, 2));
        complete(2);

        channel.close();
        complete(1);

        assertThat(written()).isEmpty();
        assertThat(allocator.allocated).as("both responses were serialized").hasSize(2);
    }

    /**
     * Requests are parsed from the network buffer itself (Produce's records stay a view of it), so a
     * request's frame lives until its handler is done, even when the connection closed meanwhile; a
     * frame not yet dispatched is released with the connection.
     */
    @Test
    void aRequestsFrameIsHeldUntilItsHandlerIsDoneEvenAfterTheConnectionCloses() {
        ByteBuf frames = listGroupsRequests(1, 3);
        channel.writeInbound(frames);
        assertThat(apis.held).hasSize(2);
        assertThat(frames.refCnt()).as("a reference per request read, the third waiting for its turn").isEqualTo(3);

        complete(1);
        assertThat(frames.refCnt()).as("the first handler is done; the third is dispatched").isEqualTo(2);

        channel.close();
        assertThat(frames.refCnt()).as("the handlers of the second and third may still read their requests").isEqualTo(2);
        complete(2);
        complete(3);
        assertThat(frames.refCnt()).isZero();
    }

    @Test
    void aFrameWaitingForItsTurnIsReleasedWithTheConnection() {
        ByteBuf frames = listGroupsRequests(1, 3);
        channel.writeInbound(frames);
        assertThat(apis.held).hasSize(2);

        channel.close();
        assertThat(frames.refCnt()).as("only the two dispatched requests hold their frames").isEqualTo(2);
        complete(1);
        complete(2);
        assertThat(frames.refCnt()).isZero();
    }

    /** Unpooled heap buffers, each remembered so the test can check it was released. */
    private static final class TrackingAllocator extends AbstractByteBufAllocator {

        final List<ByteBuf> allocated = new ArrayList<>();

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return track(UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity));
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return track(UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity));
        }

        private synchronized ByteBuf track(ByteBuf buffer) {
            allocated.add(buffer);
            return buffer;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
