package io.tributary.broker.compat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Produce (and Fetch) requests a well-behaved client would not send, built with kafka-clients'
 * request and record builders and sent over a plain socket: the broker answers each problem with
 * Kafka's error for the partition concerned, leaves the other partitions of the request alone, and
 * goes on serving. The broker runs with {@code max.message.bytes} = 2000 by default.
 */
@Timeout(value = 60, unit = SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProduceBadInputTest {

    private static final int BROKER_MAX_MESSAGE_BYTES = 2000;

    @TempDir
    static Path dataDir;

    private static RunningBroker broker;
    private static Admin admin;

    @BeforeAll
    @Timeout(value = 30, unit = SECONDS)
    static void startBroker() {
        broker = RunningBroker.start(dataDir, "--tributary.broker.log.max-message-bytes=" + BROKER_MAX_MESSAGE_BYTES);
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static RawKafkaClient connect() {
        return new RawKafkaClient("127.0.0.1", broker.port());
    }

    /** Oldest served version, last one addressing topics by name, and the one addressing them by id. */
    @ParameterizedTest
    @ValueSource(shorts = {3, 12, 13})
    @Order(1)
    void aCorruptBatchIsRefusedAloneAndTheOtherPartitionsOfTheRequestAreWritten(short version) throws Exception {
        String topic = "mixed-v" + version;
        Clients.createTopic(admin, topic, 3, Map.of());
        List<TopicPartition> partitions = Clients.partitions(topic, 3);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers())) {
            for (TopicPartition partition : partitions) {
                producer.send(new ProducerRecord<>(topic, partition.partition(), null, ("before-" + partition.partition())
                        .getBytes(UTF_8))).get(10, SECONDS);
            }
        }
        MemoryRecords corrupt = corrupted(batch("k1", "bad-1 payload"), "bad-1 payload");
        assertThat(corrupt.batches().iterator().next().isValid()).as("the batch's CRC no longer matches").isFalse();
        Map<Integer, MemoryRecords> batches = new LinkedHashMap<>();
        batches.put(0, batch("k0", "good-0"));
        batches.put(1, corrupt);
        batches.put(2, batch("k2", "good-2"));

        Map<Integer, PartitionProduceResponse> responses;
        try (RawKafkaClient client = connect()) {
            responses = produce(client, version, topic, batches);
            assertStillAnswers(client);
        }

        assertThat(Errors.forCode(responses.get(0).errorCode())).isEqualTo(Errors.NONE);
        assertThat(responses.get(0).baseOffset()).isEqualTo(1);
        assertThat(Errors.forCode(responses.get(1).errorCode())).isEqualTo(Errors.CORRUPT_MESSAGE);
        assertThat(Errors.forCode(responses.get(2).errorCode())).isEqualTo(Errors.NONE);
        assertThat(responses.get(2).baseOffset()).isEqualTo(1);
        Map<Integer, List<String>> values = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : Clients.readAll(broker.bootstrapServers(), partitions)) {
            values.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(new String(record.value(), UTF_8));
        }
        assertThat(values).containsExactlyInAnyOrderEntriesOf(Map.of(
                0, List.of("before-0", "good-0"),
                1, List.of("before-1"),
                2, List.of("before-2", "good-2")));
    }

    @Test
    @Order(2)
    void aBatchOverMaxMessageBytesIsRefusedWithMessageTooLarge() throws Exception {
        Clients.createTopic(admin, "broker-limit", 1, Map.of());
        Clients.createTopic(admin, "topic-limit", 1, Map.of("max.message.bytes", "500"));
        Clients.createTopic(admin, "raised-limit", 1, Map.of("max.message.bytes", "10000"));
        String large = "x".repeat(3000);
        String medium = "y".repeat(800);
        short version = ApiKeys.PRODUCE.latestVersion();

        try (RawKafkaClient client = connect()) {
            // Over the broker's default (tributary.broker.log.max-message-bytes).
            assertThat(produceOne(client, version, "broker-limit", batch("k", large))).isEqualTo(Errors.MESSAGE_TOO_LARGE);
            // Over the topic's own max.message.bytes, though under the broker's.
            assertThat(produceOne(client, version, "topic-limit", batch("k", medium))).isEqualTo(Errors.MESSAGE_TOO_LARGE);
            // A topic may also allow more than the broker's default.
            assertThat(produceOne(client, version, "raised-limit", batch("k", large))).isEqualTo(Errors.NONE);
            assertStillAnswers(client);
        }

        assertThat(Clients.readAll(broker.bootstrapServers(), List.of(new TopicPartition("broker-limit", 0)))).isEmpty();
        assertThat(Clients.readAll(broker.bootstrapServers(), List.of(new TopicPartition("topic-limit", 0)))).isEmpty();
        assertThat(Clients.readAll(broker.bootstrapServers(), List.of(new TopicPartition("raised-limit", 0))))
                .extracting(r -> new String(r.value(), UTF_8)).containsExactly(large);
    }

    @Test
    @Order(3)
    void anInvalidTopicNameIsRefusedWithInvalidTopicException() throws Exception {
        short byName = 12; // the last Produce version that names topics; v13 addresses them by id
        try (RawKafkaClient client = connect()) {
            assertThat(produceOne(client, byName, "bad/name", batch("k", "v"))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
            assertThat(produceOne(client, byName, "..", batch("k", "v"))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
            assertThat(produceOne(client, byName, "y".repeat(300), batch("k", "v"))).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
            // A valid name of a topic that does not exist is another matter (Produce never creates topics).
            assertThat(produceOne(client, byName, "no-such-topic", batch("k", "v"))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            assertStillAnswers(client);
        }
        assertThat(admin.listTopics().names().get()).doesNotContain("bad/name", "..", "no-such-topic");
    }

    /** Oldest served version, last one naming topics, first one with the replica id in ReplicaState, latest. */
    @ParameterizedTest
    @ValueSource(shorts = {4, 12, 15, -1})
    @Order(4)
    void aFetchFromAClaimedReplicaGetsAnErrorAndNoData(short requestedVersion) throws Exception {
        short version = requestedVersion < 0 ? ApiKeys.FETCH.latestVersion() : requestedVersion;
        String topic = "replicated-v" + version;
        Clients.createTopic(admin, topic, 2, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, ("v" + i).getBytes(UTF_8))).get(10, SECONDS);
            }
        }
        Uuid topicId = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId();
        Map<TopicPartition, FetchRequest.PartitionData> fetch = new LinkedHashMap<>();
        for (TopicPartition partition : Clients.partitions(topic, 2)) {
            fetch.put(partition, new FetchRequest.PartitionData(topicId, 0, -1, 1 << 20, Optional.empty()));
        }

        FetchResponse response;
        try (RawKafkaClient client = connect()) {
            FetchRequest request = FetchRequest.Builder.forReplica(version, 5, 0, 0, 0, fetch).build(version);
            assertThat(request.replicaId()).isEqualTo(5);
            response = client.call(request);
            assertStillAnswers(client);
        }

        assertThat(Errors.forCode(response.error().code())).isEqualTo(Errors.NONE);
        List<FetchResponseData.PartitionData> partitions = response.data().responses().stream()
                .flatMap(t -> t.partitions().stream()).toList();
        assertThat(partitions).extracting(FetchResponseData.PartitionData::partitionIndex).containsExactlyInAnyOrder(0, 1);
        assertThat(partitions).allSatisfy(partition -> {
            assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
            assertThat(partition.records() == null ? 0 : partition.records().sizeInBytes()).as("bytes returned").isZero();
        });
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void afterAllThatTheBrokerStillServesProducersAndConsumers() throws Exception {
        String topic = "still-serving";
        Clients.createTopic(admin, topic, 2, Map.of());
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 50; i++) {
                String value = "after-" + i;
                sent.add(value);
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), value.getBytes(UTF_8))).get(10, SECONDS);
            }
        }
        assertThat(Clients.readAll(broker.bootstrapServers(), Clients.partitions(topic, 2)))
                .extracting(r -> new String(r.value(), UTF_8)).containsExactlyInAnyOrderElementsOf(sent);
    }

    // ------------------------------------------------------------------ helpers

    private static MemoryRecords batch(String key, String value) {
        return MemoryRecords.withRecords(Compression.NONE,
                new SimpleRecord(System.currentTimeMillis(), key.getBytes(UTF_8), value.getBytes(UTF_8)));
    }

    /** The batch with one byte of {@code value} flipped, as a bit error in transit would: its CRC no longer matches. */
    private static MemoryRecords corrupted(MemoryRecords records, String value) {
        ByteBuffer buffer = records.buffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        int at = indexOf(bytes, value.getBytes(UTF_8));
        assertThat(at).as("the value inside the batch").isPositive();
        bytes[at + 2] ^= 0x20;
        return MemoryRecords.readableRecords(ByteBuffer.wrap(bytes));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** One Produce request carrying {@code batches} for partitions of {@code topic}; the answer by partition. */
    private static Map<Integer, PartitionProduceResponse> produce(RawKafkaClient client, short version, String topic,
            Map<Integer, MemoryRecords> batches) throws Exception {
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData();
        if (version >= 13) {
            topicData.setTopicId(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId());
        } else {
            topicData.setName(topic);
        }
        batches.forEach((partition, records) -> topicData.partitionData().add(
                new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records)));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topicData);
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics);

        ProduceResponse response = client.call(new ProduceRequest.Builder(version, version, data).build(version));

        assertThat(response.data().responses()).hasSize(1);
        TopicProduceResponse topicResponse = response.data().responses().iterator().next();
        Map<Integer, PartitionProduceResponse> byPartition = new LinkedHashMap<>();
        topicResponse.partitionResponses().forEach(p -> byPartition.put(p.index(), p));
        assertThat(byPartition).containsOnlyKeys(batches.keySet());
        return byPartition;
    }

    /** Produces one batch to partition 0 of a topic given by name; the error answered. */
    private static Errors produceOne(RawKafkaClient client, short version, String topic, MemoryRecords batch)
            throws Exception {
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData();
        if (version >= 13) {
            topicData.setTopicId(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId());
        } else {
            topicData.setName(topic);
        }
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(batch));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topicData);
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics);
        ProduceResponse response = client.call(new ProduceRequest.Builder(version, version, data).build(version));
        PartitionProduceResponse partition = response.data().responses().iterator().next().partitionResponses().get(0);
        return Errors.forCode(partition.errorCode());
    }

    /** The connection was answered, not closed: it still serves a request. */
    private static void assertStillAnswers(RawKafkaClient client) {
        ApiVersionsResponse versions = client.call(new ApiVersionsRequest.Builder(new ApiVersionsRequestData()
                .setClientSoftwareName("compat-test").setClientSoftwareVersion("1"), ApiKeys.API_VERSIONS.latestVersion(),
                ApiKeys.API_VERSIONS.latestVersion()).build());
        assertThat(Errors.forCode(versions.data().errorCode())).isEqualTo(Errors.NONE);
    }
}
