package io.tributary.broker.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.tributary.broker.cluster.BrokerChannels;
import io.tributary.broker.metadata.BrokerEndpoint;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The channels WriteTxnMarkers go over ({@link BrokerChannels} with the markers' coalescing): one connection
 * per destination broker, kept between requests, replaced when it fails, closed when the broker leaves.
 */
class MarkerChannelsTest {

    private static final BrokerEndpoint BROKER_1 = new BrokerEndpoint(1, "host-1", 9092, null);
    private static final BrokerEndpoint BROKER_2 = new BrokerEndpoint(2, "host-2", 9092, null);

    /** A connection the test controls: counts its requests, fails or blocks when told, remembers being closed. */
    private static final class FakeConnection implements BrokerChannels.Connection<WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> {
        final BrokerEndpoint broker;
        final AtomicInteger requests = new AtomicInteger();
        volatile boolean failNext;
        volatile boolean timeOutNext;
        volatile CountDownLatch blockUntilClosed;
        /** When set, a request is answered once it opens. */
        volatile CountDownLatch gate;
        final List<WriteTxnMarkersRequestData> received = new CopyOnWriteArrayList<>();
        final CountDownLatch closed = new CountDownLatch(1);

        FakeConnection(BrokerEndpoint broker) {
            this.broker = broker;
        }

        @Override
        public WriteTxnMarkersResponseData send(WriteTxnMarkersRequestData request) {
            requests.incrementAndGet();
            received.add(request);
            if (gate != null) {
                try {
                    gate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (blockUntilClosed != null) {
                blockUntilClosed.countDown();
                try {
                    closed.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new UncheckedIOException(new IOException("Socket closed"));
            }
            if (timeOutNext) {
                throw new UncheckedIOException(new SocketTimeoutException("Read timed out"));
            }
            if (failNext || isClosed()) {
                throw new UncheckedIOException(new IOException("Connection reset"));
            }
            WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
            request.markers().forEach(marker -> response.markers()
                    .add(new WriteTxnMarkersResponseData.WritableTxnMarkerResult().setProducerId(marker.producerId())));
            return response;
        }

        boolean isClosed() {
            return closed.getCount() == 0;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    private final List<FakeConnection> opened = new CopyOnWriteArrayList<>();
    private final BrokerChannels<WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> channels = channels(broker -> {
        FakeConnection connection = new FakeConnection(broker);
        opened.add(connection);
        return connection;
    });

    private static BrokerChannels<WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> channels(
            BrokerChannels.Connector<WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> connector) {
        return new BrokerChannels<>(connector, "test-markers-to-", PartitionLeaderMarkerWriter.MARKER_COALESCING);
    }

    @AfterEach
    void close() {
        channels.close();
    }

    private static WriteTxnMarkersRequestData request() {
        return request(1);
    }

    private static WriteTxnMarkersRequestData request(long producerId) {
        return new WriteTxnMarkersRequestData().setMarkers(new java.util.ArrayList<>(List.of(
                new WriteTxnMarkersRequestData.WritableTxnMarker().setProducerId(producerId))));
    }

    private static List<Long> producerIdsIn(WriteTxnMarkersResponseData response) {
        return response.markers().stream().map(WriteTxnMarkersResponseData.WritableTxnMarkerResult::producerId).toList();
    }

    private List<FakeConnection> openedTo(BrokerEndpoint broker) {
        return opened.stream().filter(connection -> connection.broker.equals(broker)).toList();
    }

    @Test
    void requestsToABrokerShareOneConnectionAndEachBrokerHasItsOwn() {
        for (int i = 0; i < 5; i++) {
            channels.send(BROKER_1, request()).join();
        }
        channels.send(BROKER_2, request()).join();

        assertThat(openedTo(BROKER_1)).hasSize(1);
        assertThat(openedTo(BROKER_1).get(0).requests).hasValue(5);
        assertThat(openedTo(BROKER_2)).hasSize(1);
        assertThat(channels.destinations()).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void requestsThatWaitForTheOneInFlightGoTogetherInTheNextAndEachGetsItsOwnResults() {
        channels.send(BROKER_1, request(1)).join();
        FakeConnection connection = openedTo(BROKER_1).get(0);
        CountDownLatch gate = new CountDownLatch(1);
        connection.gate = gate;
        CompletableFuture<WriteTxnMarkersResponseData> inFlight = channels.send(BROKER_1, request(2));
        await().atMost(Duration.ofSeconds(10)).until(() -> connection.requests.get() == 2);
        List<CompletableFuture<WriteTxnMarkersResponseData>> waiting = List.of(channels.send(BROKER_1, request(3)),
                channels.send(BROKER_1, request(4)), channels.send(BROKER_1, request(5)));

        gate.countDown();

        assertThat(producerIdsIn(inFlight.join())).containsExactly(2L);
        for (int i = 0; i < waiting.size(); i++) {
            assertThat(producerIdsIn(waiting.get(i).join())).containsExactly(3L + i);
        }
        assertThat(connection.requests).hasValue(3);
        assertThat(connection.received.get(2).markers()).extracting(WriteTxnMarkersRequestData.WritableTxnMarker::producerId)
                .containsExactly(3L, 4L, 5L);
        assertThat(opened).hasSize(1);
    }

    @Test
    void aFailedNewConnectionIsClosedAndTheNextRequestOpensAnother() {
        BrokerChannels<WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> failing = channels(broker -> {
            FakeConnection connection = new FakeConnection(broker);
            connection.failNext = opened.isEmpty();
            opened.add(connection);
            return connection;
        });
        try {
            assertThatThrownBy(() -> failing.send(BROKER_1, request()).join()).hasCauseInstanceOf(UncheckedIOException.class);
            assertThat(opened).hasSize(1);
            assertThat(opened.get(0).isClosed()).isTrue();

            failing.send(BROKER_1, request()).join();
            assertThat(opened).hasSize(2);
            assertThat(opened.get(1).isClosed()).isFalse();
        } finally {
            failing.close();
        }
    }

    @Test
    void aKeptConnectionThatWentStaleIsReplacedWithinTheSameRequest() {
        channels.send(BROKER_1, request()).join();
        openedTo(BROKER_1).get(0).failNext = true; // as after the broker closed it for idleness

        channels.send(BROKER_1, request()).join();

        assertThat(openedTo(BROKER_1)).hasSize(2);
        assertThat(openedTo(BROKER_1).get(0).isClosed()).isTrue();
        assertThat(openedTo(BROKER_1).get(1).requests).hasValue(1);
    }

    @Test
    void aKeptConnectionThatTimesOutIsClosedWithoutAnImmediateRetry() {
        channels.send(BROKER_1, request()).join();
        openedTo(BROKER_1).get(0).timeOutNext = true; // a slow broker: the next round asks again

        assertThatThrownBy(() -> channels.send(BROKER_1, request()).join()).hasCauseInstanceOf(UncheckedIOException.class);
        assertThat(openedTo(BROKER_1)).hasSize(1);
        assertThat(openedTo(BROKER_1).get(0).isClosed()).isTrue();

        channels.send(BROKER_1, request()).join();
        assertThat(openedTo(BROKER_1)).hasSize(2);
    }

    @Test
    void aBrokerThatLeavesHasItsConnectionClosedAndOneThatMovesGetsANewOne() {
        channels.send(BROKER_1, request()).join();
        channels.send(BROKER_2, request()).join();

        channels.retainOnly(List.of(BROKER_2));
        assertThat(openedTo(BROKER_1).get(0).isClosed()).isTrue();
        assertThat(openedTo(BROKER_2).get(0).isClosed()).isFalse();
        assertThat(channels.destinations()).containsExactly(2);

        BrokerEndpoint moved = new BrokerEndpoint(2, "host-2", 9093, null);
        channels.send(moved, request()).join();
        assertThat(openedTo(BROKER_2).get(0).isClosed()).isTrue();
        assertThat(openedTo(moved)).hasSize(1);
    }

    @Test
    void closingForABrokerThatLeftDoesNotWaitForItsCallInProgress() throws InterruptedException {
        channels.send(BROKER_1, request()).join();
        FakeConnection connection = openedTo(BROKER_1).get(0);
        CountDownLatch calling = new CountDownLatch(1);
        connection.blockUntilClosed = calling;
        CompletableFuture<WriteTxnMarkersResponseData> hanging = channels.send(BROKER_1, request());
        CompletableFuture<WriteTxnMarkersResponseData> queued = channels.send(BROKER_1, request());
        assertThat(calling.await(10, TimeUnit.SECONDS)).isTrue();

        channels.retainOnly(List.of()); // returns at once: it only closes the connection

        assertThat(connection.isClosed()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> hanging.isDone() && queued.isDone());
        assertThat(hanging).isCompletedExceptionally();
        assertThat(queued).isCompletedExceptionally();
        assertThat(opened).hasSize(1); // the queued request did not reconnect to a broker that left
    }
}
