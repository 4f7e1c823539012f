package io.tributary.broker.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import io.tributary.broker.cluster.InterBrokerClient;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.requests.WriteTxnMarkersRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The markers for partitions another broker leads go over one kept connection to it, whatever the
 * number of transactions, and that connection is closed once the broker leaves.
 */
class PartitionLeaderMarkerWriterTest {

    private static final String LISTENER = "INTERNAL";
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    /** A leader that answers every WriteTxnMarkers with NONE, counting its connections and requests. */
    private static final class FakeLeader implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0);
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger closedByPeer = new AtomicInteger();

        FakeLeader() throws IOException {
            Thread acceptor = new Thread(this::accept, "fake-leader");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    Thread serving = new Thread(() -> serve(socket), "fake-leader-connection");
                    serving.setDaemon(true);
                    serving.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket socket) {
            try (socket; DataInputStream in = new DataInputStream(socket.getInputStream());
                    DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
                while (true) {
                    byte[] frame = new byte[in.readInt()];
                    in.readFully(frame);
                    ByteBuffer buffer = ByteBuffer.wrap(frame);
                    RequestHeader header = RequestHeader.parse(buffer);
                    WriteTxnMarkersRequest request = (WriteTxnMarkersRequest) AbstractRequest.parseRequest(ApiKeys.WRITE_TXN_MARKERS,
                            header.apiVersion(), new ByteBufferAccessor(buffer)).request;
                    requests.incrementAndGet();
                    ByteBuffer response = RequestUtils.serialize(header.toResponseHeader().data(),
                            header.apiKey().responseHeaderVersion(header.apiVersion()), allWritten(request.data()),
                            header.apiVersion());
                    out.writeInt(response.remaining());
                    out.write(response.array(), response.arrayOffset() + response.position(), response.remaining());
                    out.flush();
                }
            } catch (IOException e) {
                closedByPeer.incrementAndGet(); // end of stream: the writer closed its connection
            }
        }

        private static WriteTxnMarkersResponseData allWritten(WriteTxnMarkersRequestData request) {
            WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
            for (WriteTxnMarkersRequestData.WritableTxnMarker marker : request.markers()) {
                WriteTxnMarkersResponseData.WritableTxnMarkerResult result = new WriteTxnMarkersResponseData.WritableTxnMarkerResult()
                        .setProducerId(marker.producerId());
                for (WriteTxnMarkersRequestData.WritableTxnMarkerTopic topic : marker.topics()) {
                    WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topicResult =
                            new WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult().setName(topic.name());
                    for (int partition : topic.partitionIndexes()) {
                        topicResult.partitions().add(new WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult()
                                .setPartitionIndex(partition));
                    }
                    result.topics().add(topicResult);
                }
                response.markers().add(result);
            }
            return response;
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private FakeLeader leader;
    private volatile List<BrokerEndpoint> live;
    private PartitionLeaderMarkerWriter writer;

    @BeforeEach
    void start() throws IOException {
        leader = new FakeLeader();
        live = List.of(new BrokerEndpoint(1, "127.0.0.1", leader.server.getLocalPort(), null));
        writer = new PartitionLeaderMarkerWriter(0, metadataLedBy(1), null, LISTENER, () -> InterBrokerClient.PLAINTEXT, 5_000);
    }

    @AfterEach
    void stop() throws IOException {
        writer.close();
        leader.close();
    }

    /** Only what the writer asks: the orders topic, whose partitions broker {@code leaderId} leads, and the live brokers. */
    private ClusterMetadata metadataLedBy(int leaderId) {
        TopicInfo orders = new TopicInfo("orders", Uuid.randomUuid(), 2, java.util.Map.of());
        return (ClusterMetadata) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ClusterMetadata.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "partition" -> Optional.of(new PartitionState(leaderId, 0, List.of(leaderId), List.of(leaderId)));
                    case "topic" -> Optional.of(orders);
                    case "isReplicated" -> true;
                    case "liveBrokers" -> {
                        assertThat(args).containsExactly(LISTENER);
                        yield live;
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static TransactionMarker commitOf(long producerId) {
        return new TransactionMarker(producerId, (short) 0, 0, TransactionResult.COMMIT);
    }

    @Test
    void markersOfSuccessiveTransactionsGoOverOneConnectionToTheLeader() {
        for (long producerId = 1; producerId <= 5; producerId++) {
            writer.write(commitOf(producerId), List.of(ORDERS_0, ORDERS_1), () -> true).join();
        }

        assertThat(leader.requests).hasValue(5);
        assertThat(leader.accepted).hasValue(1);
        assertThat(leader.closedByPeer).hasValue(0);
    }

    @Test
    void theConnectionToALeaderThatLeftIsClosed() {
        writer.write(commitOf(1), List.of(ORDERS_0), () -> true).join();
        assertThat(leader.accepted).hasValue(1);

        live = List.of(); // the leader left: its partitions wait for a new leader, until the coordinator gives up
        AtomicInteger rounds = new AtomicInteger();
        assertThatThrownBy(() -> writer.write(commitOf(2), List.of(ORDERS_0), () -> rounds.incrementAndGet() <= 2).join())
                .hasCauseInstanceOf(TransactionMarkerWriter.MarkerWriteAbandoned.class);

        await().atMost(Duration.ofSeconds(10)).until(() -> leader.closedByPeer.get() == 1);
        assertThat(leader.requests).hasValue(1);
    }
}
