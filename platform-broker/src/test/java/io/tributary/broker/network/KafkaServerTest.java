package io.tributary.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import io.tributary.broker.log.LogSlice;

/** The Kafka listener over real loopback sockets, against tiny handlers from {@link TestApis}. */
class KafkaServerTest {

    private static final Duration QUIET = Duration.ofMillis(300);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private TestApis apis = new TestApis();
    private KafkaServer server;

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(Consumer<NetworkSettings[]> tune) {
        NetworkSettings[] settings = {NetworkSettings.of("127.0.0.1", 0).withRequestHandlerThreads(2)};
        tune.accept(settings);
        server = new KafkaServer(settings[0], apis.router);
        server.start();
        apis.advertisedPort = server.port();
    }

    private void start() {
        start(settings -> { });
    }

    private TestClient connect() {
        TestClient client = new TestClient(server.port());
        resources.add(client);
        return client;
    }

    /** An ApiVersions round trip: the connection is open and served. */
    private static void assertServed(TestClient client, int correlationId) {
        RequestHeader header = client.send(new ApiVersionsRequest.Builder().build((short) 3), correlationId);
        ApiVersionsResponse response = client.receive(header);
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
    }

    private static RequestHeader listGroups(TestClient client, int correlationId) {
        return client.send(new ListGroupsRequestData(), (short) 4, correlationId);
    }

    private static ListGroupsResponse listGroupsResponse(String group) {
        return new ListGroupsResponse(new ListGroupsResponseData().setGroups(List.of(
                new ListGroupsResponseData.ListedGroup().setGroupId(group).setProtocolType("consumer"))));
    }

    private TestApis.Held held(int correlationId) {
        return apis.held.stream().filter(h -> h.context().header().correlationId() == correlationId).findFirst().orElseThrow();
    }

    private static String groupOf(ListGroupsResponse response) {
        return response.data().groups().get(0).groupId();
    }

    @Test
    void answersApiVersionsWithTheVersionsTheRouterServes() {
        start();
        TestClient client = connect();

        RequestHeader header = client.send(new ApiVersionsRequest.Builder().build(ApiKeys.API_VERSIONS.latestVersion()), 7);
        ApiVersionsResponse response = client.receive(header);

        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().apiKeys()).containsExactlyInAnyOrderElementsOf(apis.router.advertisedVersions());
    }

    @Test
    void theKafkaAdminClientDescribesTheCluster() throws Exception {
        start();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + server.port(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
            DescribeClusterResult cluster = admin.describeCluster();

            assertThat(cluster.clusterId().get(10, TimeUnit.SECONDS)).isEqualTo(TestApis.CLUSTER_ID);
            assertThat(cluster.nodes().get(10, TimeUnit.SECONDS)).extracting(Node::port).containsExactly(server.port());
            admin.close(Duration.ofSeconds(2));
        }
    }

    @Test
    void pipelinedResponsesGoOutInRequestOrderWhenHandlersFinishInReverse() {
        start();
        TestClient client = connect();
        RequestHeader first = listGroups(client, 1);
        RequestHeader second = listGroups(client, 2);
        RequestHeader third = listGroups(client, 3);
        await().until(() -> apis.held.size() == 3);

        held(3).future().complete(listGroupsResponse("third"));
        held(2).future().complete(listGroupsResponse("second"));
        await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> !client.hasBytesToRead());
        held(1).future().complete(listGroupsResponse("first"));

        assertThat(groupOf(client.receive(first))).isEqualTo("first");
        assertThat(groupOf(client.receive(second))).isEqualTo("second");
        assertThat(groupOf(client.receive(third))).isEqualTo("third");
    }

    @Test
    void aFailedHandlerIsAnsweredWithTheRequestsErrorResponse() {
        start();
        TestClient client = connect();
        RequestHeader header = listGroups(client, 1);
        await().until(() -> apis.held.size() == 1);

        held(1).future().completeExceptionally(new IllegalStateException("the handler broke"));

        ListGroupsResponse response = client.receive(header);
        assertThat(response.data().errorCode()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR.code());
        assertServed(client, 2);
    }

    @Test
    void produceWithAcksZeroGetsNoResponse() {
        start();
        TestClient client = connect();

        client.send(new ProduceRequestData().setAcks((short) 0).setTimeoutMs(1000), (short) 9, 1);

        assertServed(client, 2);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, Integer.MIN_VALUE, NetworkSettings.DEFAULT_MAX_REQUEST_BYTES + 1, Integer.MAX_VALUE})
    void aFrameSizeThatIsNegativeOrAboveTheMaximumClosesTheConnectionAtOnce(int frameSize) {
        start();
        TestClient bad = connect();
        TestClient good = connect();

        // Just the size and a few bytes: the server must not wait for (or allocate) the rest.
        bad.sendRaw(ByteBuffer.allocate(10).putInt(frameSize).putInt(42).array());

        assertThat(bad.isClosedByServer()).isTrue();
        assertServed(good, 1);
    }

    @Test
    void bytesAfterARequestsBodyAreIgnoredAsKafkaDoes() {
        start();
        TestClient client = connect();
        RequestHeader header = new RequestHeader(ApiKeys.API_VERSIONS, (short) 3, "test-client", 1);
        ByteBuffer request = new ApiVersionsRequest.Builder().build((short) 3).serializeWithHeader(header);

        client.sendFrame(ByteBuffer.allocate(request.remaining() + 5).put(request).put(new byte[] {1, 2, 3, 4, 5}).flip());

        assertThat(client.<ApiVersionsResponse>receive(header).data().errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void aClientLeavingHalfWayThroughAFrameDoesNotHurtTheServer() {
        start();
        TestClient leaving = connect();
        leaving.sendRaw(ByteBuffer.allocate(54).putInt(100).array());
        leaving.close();

        await().until(() -> server.connectionCount() == 0);
        assertServed(connect(), 1);
    }

    static Stream<Arguments> malformedRequests() {
        return Stream.of(
                Arguments.of("Metadata v4 with an array of Integer.MAX_VALUE topics",
                        request(3, 4, ByteBuffer.allocate(5).putInt(Integer.MAX_VALUE).put((byte) 1))),
                Arguments.of("Metadata v12 with a compact array of Integer.MAX_VALUE topics",
                        flexibleRequest(3, 12, ByteBuffer.allocate(7).put(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}).put((byte) 1).put((byte) 0))),
                Arguments.of("Metadata v4 cut inside a topic name",
                        request(3, 4, ByteBuffer.allocate(8).putInt(1).putShort((short) 100).put((byte) 'o').put((byte) 'r'))),
                Arguments.of("ListGroups v4 with no body", flexibleRequest(16, 4, ByteBuffer.allocate(0))),
                Arguments.of("a header whose client id runs past the frame",
                        ByteBuffer.allocate(10).putShort((short) 18).putShort((short) 2).putInt(1).putShort((short) 1000).flip()),
                Arguments.of("a frame too short for a header", ByteBuffer.allocate(3).put(new byte[3]).flip()),
                Arguments.of("an empty frame", ByteBuffer.allocate(0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRequests")
    void aMalformedRequestClosesItsConnectionAndOthersAreStillServed(String description, ByteBuffer frame) {
        start();
        TestClient bad = connect();
        TestClient good = connect();

        bad.sendFrame(frame);

        assertThat(bad.isClosedByServer()).isTrue();
        assertServed(good, 1);
        assertServed(connect(), 1);
    }

    @ParameterizedTest
    @ValueSource(shorts = {9999, -1, Short.MAX_VALUE})
    void anUnknownApiKeyClosesTheConnection(short apiKey) {
        start();
        TestClient client = connect();

        client.sendFrame(request(apiKey, 0, ByteBuffer.allocate(0)));

        assertThat(client.isClosedByServer()).isTrue();
    }

    @Test
    void aVersionKafkaClientsCannotParseClosesTheConnection() {
        start();
        TestClient tooNew = connect();
        TestClient tooOld = connect();

        tooNew.sendFrame(flexibleRequest(3, 99, ByteBuffer.allocate(0)));
        tooOld.sendFrame(request(1, ApiKeys.FETCH.oldestVersion() - 1, ByteBuffer.allocate(0)));

        assertThat(tooNew.isClosedByServer()).isTrue();
        assertThat(tooOld.isClosedByServer()).isTrue();
    }

    @Test
    void apiVersionsOfAFutureVersionIsAnsweredInV0WithUnsupportedVersionAndTheServedRanges() {
        start();
        TestClient client = connect();
        // What a client from the future sends: header v2, and a body we cannot know.
        client.sendFrame(flexibleRequest(18, 999, ByteBuffer.wrap(new byte[] {4, 'n', 'e', 'w', 2, '9', 0, 42, 42})));

        ByteBuffer frame = client.receiveFrame();
        assertThat(frame.getInt()).as("correlation id, in response header v0").isEqualTo(1);
        ApiVersionsResponseData response = new ApiVersionsResponseData(new ByteBufferAccessor(frame), (short) 0);

        assertThat(frame.hasRemaining()).isFalse();
        assertThat(response.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(response.apiKeys()).containsExactlyInAnyOrderElementsOf(apis.router.advertisedVersions());
        assertServed(client, 2);
    }

    @Test
    void apiVersionsOfAKnownVersionTheRouterDoesNotServeIsAnsweredTheSameWay() {
        apis = new TestApis((short) 2);
        start();
        TestClient client = connect();

        RequestHeader header = client.send(new ApiVersionsRequest.Builder().build((short) 3), 1);

        // kafka-clients reads it as the v0 response it is, as the NetworkClient does.
        ApiVersionsResponse response = client.receive(header);
        assertThat(response.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(response.apiVersion(ApiKeys.API_VERSIONS.id).maxVersion()).isEqualTo((short) 2);
        RequestHeader retry = client.send(new ApiVersionsRequest.Builder().build((short) 2), 2);
        assertThat(client.<ApiVersionsResponse>receive(retry).data().errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void aKnownVersionThatIsNotServedGetsTheRequestsUnsupportedVersionResponse() {
        start();
        TestClient client = connect();
        MetadataRequestData metadata = new MetadataRequestData().setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("orders")));
        CreateTopicsRequestData createTopics = new CreateTopicsRequestData().setTimeoutMs(1000);
        createTopics.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("orders").setNumPartitions(1).setReplicationFactor((short) 1));

        RequestHeader oldMetadata = client.send(metadata, (short) (TestApis.METADATA_MIN - 1), 1);
        RequestHeader newMetadata = client.send(metadata, (short) (TestApis.METADATA_MAX + 1), 2);
        RequestHeader noHandler = client.send(createTopics, (short) 7, 3);

        assertThat(client.<MetadataResponse>receive(oldMetadata).topicMetadata())
                .singleElement().satisfies(topic -> assertThat(topic.error()).isEqualTo(Errors.UNSUPPORTED_VERSION));
        assertThat(client.<MetadataResponse>receive(newMetadata).topicMetadata())
                .singleElement().satisfies(topic -> assertThat(topic.error()).isEqualTo(Errors.UNSUPPORTED_VERSION));
        assertThat(client.<CreateTopicsResponse>receive(noHandler).data().topics())
                .singleElement().satisfies(topic -> assertThat(topic.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code()));
        assertServed(client, 4);
    }

    @Test
    void atTheInFlightLimitFurtherRequestsWaitUntilAResponseIsWritten() {
        start(settings -> settings[0] = settings[0].withMaxInFlightRequestsPerConnection(2));
        TestClient client = connect();
        List<RequestHeader> headers = new ArrayList<>();
        for (int correlationId = 1; correlationId <= 5; correlationId++) {
            headers.add(listGroups(client, correlationId));
        }

        await().until(() -> apis.held.size() == 2);
        await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> apis.held.size() == 2);
        held(2).future().complete(listGroupsResponse("g2"));
        await().during(QUIET).atMost(QUIET.multipliedBy(3)).until(() -> apis.held.size() == 2);
        held(1).future().complete(listGroupsResponse("g1"));

        assertThat(groupOf(client.receive(headers.get(0)))).isEqualTo("g1");
        assertThat(groupOf(client.receive(headers.get(1)))).isEqualTo("g2");
        await().until(() -> apis.held.size() == 4);
        for (int correlationId = 3; correlationId <= 5; correlationId++) {
            int id = correlationId;
            await().until(() -> apis.held.stream().anyMatch(h -> h.context().header().correlationId() == id));
            held(id).future().complete(listGroupsResponse("g" + id));
            assertThat(groupOf(client.receive(headers.get(id - 1)))).isEqualTo("g" + id);
        }
    }

    @ParameterizedTest
    @ValueSource(shorts = {11, 12, 17})
    void aLogSliceIsSentFromTheSegmentFileByteForByteAndTheFileStaysOpen(short version) throws IOException {
        start();
        MemoryRecords batch = MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord("k1".getBytes(), "hello".getBytes()), new SimpleRecord("k2".getBytes(), "world".getBytes()));
        byte[] batchBytes = new byte[batch.sizeInBytes()];
        batch.buffer().duplicate().get(batchBytes);
        Path segment = dir.resolve("00000000000000000000.log");
        Files.write(segment, concat(new byte[123], batchBytes, new byte[77]));
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            apis.fetched = () -> new LogSlice(channel, 123, batchBytes.length, 1);
            TestClient client = connect();
            FetchRequestData.FetchTopic topic = version >= 13
                    ? new FetchRequestData.FetchTopic().setTopicId(Uuid.randomUuid())
                    : new FetchRequestData.FetchTopic().setTopic("orders");
            FetchRequestData fetch = new FetchRequestData().setMaxWaitMs(0).setMaxBytes(1 << 20).setTopics(List.of(
                    topic.setPartitions(List.of(new FetchRequestData.FetchPartition()
                            .setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20)))));

            for (int correlationId = 1; correlationId <= 2; correlationId++) {
                RequestHeader header = client.send(fetch, version, correlationId);
                FetchResponse response = client.receive(header);

                FetchResponseData.PartitionData partition = response.data().responses().get(0).partitions().get(0);
                MemoryRecords records = (MemoryRecords) FetchResponse.recordsOrFail(partition);
                byte[] received = new byte[records.sizeInBytes()];
                records.buffer().duplicate().get(received);
                assertThat(received).isEqualTo(batchBytes);
                assertThat(records.records()).extracting(Record::value).extracting(TestSupport::utf8)
                        .containsExactly("hello", "world");
            }
            assertThat(channel.isOpen()).as("the segment's channel, after its regions were sent and released").isTrue();
        }
    }

    @Test
    void connectionsBeyondTheMaximumAreClosedAtOnce() {
        start(settings -> settings[0] = settings[0].withMaxConnections(2));
        TestClient first = connect();
        TestClient second = connect();
        assertServed(first, 1);
        assertServed(second, 1);

        TestClient third = connect();
        assertThat(third.isClosedByServer()).isTrue();

        first.close();
        await().until(() -> server.connectionCount() == 1);
        assertServed(connect(), 1);
    }

    @Test
    void idleConnectionsAreClosedButNotOnesAwaitingAResponse() {
        start(settings -> settings[0] = settings[0].withIdleTimeout(Duration.ofMillis(200)));
        TestClient idle = connect();
        TestClient waiting = connect();
        RequestHeader header = listGroups(waiting, 1);
        await().until(() -> apis.held.size() == 1);

        assertThat(idle.isClosedByServer()).isTrue();
        await().during(QUIET.multipliedBy(2)).atMost(QUIET.multipliedBy(4)).until(() -> server.connectionCount() == 1);

        held(1).future().complete(listGroupsResponse("late"));
        assertThat(groupOf(waiting.receive(header))).isEqualTo("late");
    }

    @Test
    void closeClosesTheOpenConnections() {
        start();
        TestClient client = connect();
        assertServed(client, 1);

        server.close();

        assertThat(client.isClosedByServer()).isTrue();
    }

    /** A frame with request header v1 (non-flexible versions). */
    static ByteBuffer request(int apiKey, int version, ByteBuffer body) {
        if (body.position() > 0) {
            body.flip();
        }
        return ByteBuffer.allocate(10 + body.remaining())
                .putShort((short) apiKey).putShort((short) version).putInt(1).putShort((short) 0)
                .put(body).flip();
    }

    /** A frame with request header v2 (flexible versions): v1 and an empty tagged-fields section. */
    static ByteBuffer flexibleRequest(int apiKey, int version, ByteBuffer body) {
        if (body.position() > 0) {
            body.flip();
        }
        return ByteBuffer.allocate(11 + body.remaining())
                .putShort((short) apiKey).putShort((short) version).putInt(1).putShort((short) 0).put((byte) 0)
                .put(body).flip();
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer all = ByteBuffer.allocate(Stream.of(parts).mapToInt(p -> p.length).sum());
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }
}
