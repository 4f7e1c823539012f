package io.tributary.broker.compat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import io.tributary.broker.RunningBroker;
import io.tributary.broker.compat.Clients.Rec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official Java producer and consumer (kafka-clients) against the broker, as an application
 * uses them: default producer settings, consumers with assign/seek. One broker serves the class;
 * every test works on its own topics.
 */
@Timeout(value = 60, unit = SECONDS)
class KafkaClientsCompatibilityTest {

    @TempDir
    static Path dataDir;

    private static RunningBroker broker;
    private static Admin admin;

    @BeforeAll
    @Timeout(value = 30, unit = SECONDS)
    static void startBroker() {
        broker = RunningBroker.start(dataDir);
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

    private static String bootstrap() {
        return broker.bootstrapServers();
    }

    @Test
    void tenThousandRecordsWithKeysHeadersAndTimestampsComeBackByteForByte() throws Exception {
        String topic = "round-trip";
        Clients.createTopic(admin, topic, 4, Map.of());
        Random random = new Random(20240607);
        long firstTimestamp = System.currentTimeMillis() - Duration.ofHours(2).toMillis();
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap())) {
            for (int i = 0; i < 10_000; i++) {
                byte[] key = ("key-" + random.nextInt(700)).getBytes(UTF_8);
                byte[] value = randomBytes(random, 400);
                byte[] trace = randomBytes(random, 24);
                byte[] sequence = ByteBuffer.allocate(Long.BYTES).putLong(~i).array();
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, firstTimestamp + i * 7L, key,
                        value, List.of(new RecordHeader("trace", trace), new RecordHeader("seq\u00e9", sequence)));
                sent.add(record);
                acks.add(producer.send(record));
            }
            producer.flush();
        }
        Map<Integer, List<Rec>> expected = new TreeMap<>();
        for (int i = 0; i < sent.size(); i++) {
            RecordMetadata metadata = acks.get(i).get(10, SECONDS);
            expected.computeIfAbsent(metadata.partition(), p -> new ArrayList<>()).add(Rec.sent(sent.get(i), metadata));
        }
        assertThat(expected).as("keys spread over all partitions").containsOnlyKeys(0, 1, 2, 3);

        List<ConsumerRecord<byte[], byte[]>> consumed = Clients.readAll(bootstrap(), Clients.partitions(topic, 4));

        assertThat(consumed).hasSize(10_000);
        Map<Integer, List<Rec>> actual = new TreeMap<>();
        consumed.forEach(record -> actual.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(Rec.read(record)));
        for (Map.Entry<Integer, List<Rec>> partition : actual.entrySet()) {
            assertThat(partition.getValue()).as("offsets of partition %d: from 0, no gap, no duplicate", partition.getKey())
                    .extracting(Rec::offset)
                    .containsExactlyElementsOf(LongStream.range(0, partition.getValue().size()).boxed().toList());
        }
        // Same records per partition, in send order: key, value, headers, timestamp and offset.
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void recordsWithTheSameKeyLandInTheDefaultPartitionersPartition() throws Exception {
        String topic = "keyed";
        int partitionCount = 7;
        Clients.createTopic(admin, topic, partitionCount, Map.of());
        Map<String, Set<Integer>> partitionsByKey = new LinkedHashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (int k = 0; k < 60; k++) {
                    String key = "customer-" + k;
                    keys.add(key);
                    acks.add(producer.send(new ProducerRecord<>(topic, key.getBytes(UTF_8), ("order-" + round).getBytes(UTF_8))));
                }
            }
            producer.flush();
            for (int i = 0; i < acks.size(); i++) {
                partitionsByKey.computeIfAbsent(keys.get(i), k -> new HashSet<>()).add(acks.get(i).get(10, SECONDS).partition());
            }
        }
        Map<String, Set<Integer>> expected = new LinkedHashMap<>();
        partitionsByKey.keySet().forEach(key -> expected.put(key, Set.of(murmur2Partition(key, partitionCount))));
        assertThat(partitionsByKey).isEqualTo(expected);
        assertThat(expected.values().stream().flatMap(Set::stream).distinct().count())
                .as("the keys exercise several partitions").isGreaterThan(3);

        Map<String, Set<Integer>> readBack = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : Clients.readAll(bootstrap(), Clients.partitions(topic, partitionCount))) {
            readBack.computeIfAbsent(new String(record.key(), UTF_8), k -> new HashSet<>()).add(record.partition());
        }
        assertThat(readBack).isEqualTo(expected);
    }

    private static int murmur2Partition(String key, int partitionCount) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(UTF_8))) % partitionCount;
    }

    /**
     * An idempotent producer keeps up to five Produce requests in flight on its connection and
     * relies on the broker processing them in the order sent (Kafka's guarantee for requests of one
     * connection). Small batches make every request of several fresh producers carry one batch of
     * the same partition.
     */
    @Test
    void pipelinedBatchesOfIdempotentProducersAreAppendedInSendOrder() throws Exception {
        String topic = "pipelined";
        Clients.createTopic(admin, topic, 1, Map.of());
        List<String> sent = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        List<Double> retries = new ArrayList<>();
        for (int producerIndex = 0; producerIndex < 8; producerIndex++) {
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap(),
                    Map.of("batch.size", 200, "linger.ms", 0))) {
                for (int i = 0; i < 200; i++) {
                    String value = "p" + producerIndex + "-" + i + "-" + "x".repeat(40);
                    sent.add(value);
                    acks.add(producer.send(new ProducerRecord<>(topic, value.getBytes(UTF_8))));
                }
                producer.flush();
                retries.add(metric(producer, "record-retry-total"));
            }
        }
        List<ConsumerRecord<byte[], byte[]>> records = Clients.readAll(bootstrap(), List.of(new TopicPartition(topic, 0)));
        assertThat(values(records)).as("records in the log").containsExactlyElementsOf(sent);
        for (int i = 0; i < acks.size(); i++) {
            assertThat(acks.get(i).get(10, SECONDS).offset()).as("offset acknowledged for record %d", i).isEqualTo(i);
        }
        // Even when retries restore the order, a batch refused as out of sequence shows the broker
        // processed a later request first.
        assertThat(retries).as("records each producer had to send again").containsOnly(0.0);
    }

    private static double metric(KafkaProducer<?, ?> producer, String name) {
        return producer.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().group().equals("producer-metrics"))
                .map(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .findFirst().orElseThrow(() -> new AssertionError("no producer metric " + name));
    }

    /**
     * The broker appends a batch but the client never gets the answer: the proxy closes the
     * connection once the broker has responded. The idempotent producer sends the same batch again,
     * which the broker must acknowledge without writing it twice.
     */
    @Test
    void producerRetryAfterALostProduceResponseWritesEachRecordOnce() throws Exception {
        String topic = "retried";
        Clients.createTopic(admin, topic, 1, Map.of());
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProxy proxy = new KafkaProxy("127.0.0.1", broker.port());
                KafkaProducer<byte[], byte[]> producer = Clients.producer(proxy.bootstrapServers())) {
            for (int i = 0; i < 10; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), ("r-" + i).getBytes(UTF_8))));
            }
            producer.flush();
            assertThat(proxy.produceRequests()).as("the producer talks to the broker through the proxy").isPositive();
            assertThat(proxy.rewrittenMetadataResponses()).isPositive();
            int producesBeforeDrop = proxy.produceRequests();
            int connectionsBeforeDrop = proxy.connections();

            proxy.dropResponseToNextProduce();
            for (int i = 10; i < 60; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), ("r-" + i).getBytes(UTF_8))));
            }
            producer.flush();
            assertThat(proxy.droppedProduceResponses()).as("a Produce response was lost").isEqualTo(1);
            assertThat(proxy.produceRequests() - producesBeforeDrop).as("the lost batch was sent again")
                    .isGreaterThanOrEqualTo(2);
            assertThat(proxy.connections()).as("the producer reconnected").isGreaterThan(connectionsBeforeDrop);

            for (int i = 60; i < 70; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), ("r-" + i).getBytes(UTF_8))));
            }
            producer.flush();
        }
        for (int i = 0; i < acks.size(); i++) {
            assertThat(acks.get(i).get(10, SECONDS).offset()).as("offset acknowledged for record %d", i).isEqualTo(i);
        }
        List<ConsumerRecord<byte[], byte[]>> records = Clients.readAll(bootstrap(), List.of(new TopicPartition(topic, 0)));
        assertThat(records).extracting(record -> new String(record.value(), UTF_8))
                .containsExactlyElementsOf(LongStream.range(0, 70).mapToObj(i -> "r-" + i).toList());
        assertThat(records).extracting(ConsumerRecord::offset)
                .containsExactlyElementsOf(LongStream.range(0, 70).boxed().toList());
    }

    @Test
    void acknowledgedRecordsSurviveARestartAndClientsReconnect() throws Exception {
        String topic = "restarted";
        Clients.createTopic(admin, topic, 2, Map.of());
        List<TopicPartition> partitions = Clients.partitions(topic, 2);
        List<String> sent = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap());
                KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(bootstrap())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            sendAcknowledged(producer, topic, 0, 100, sent);
            List<String> beforeRestart = values(Clients.readToEnd(consumer));
            assertThat(beforeRestart).containsExactlyInAnyOrderElementsOf(sent);

            broker.stop();
            broker.start();

            sendAcknowledged(producer, topic, 100, 200, sent); // the same producer, reconnected
            List<String> afterRestart = values(Clients.readToEnd(consumer)); // the same consumer, reconnected
            assertThat(afterRestart).containsExactlyInAnyOrderElementsOf(sent.subList(100, 200));
        }
        List<ConsumerRecord<byte[], byte[]>> all = Clients.readAll(bootstrap(), partitions);
        assertThat(values(all)).containsExactlyInAnyOrderElementsOf(sent);
        for (TopicPartition partition : partitions) {
            List<String> inPartition = all.stream().filter(r -> r.partition() == partition.partition())
                    .map(r -> new String(r.value(), UTF_8)).toList();
            assertThat(inPartition).as("send order in %s", partition)
                    .isSortedAccordingTo((a, b) -> Integer.compare(sequence(a), sequence(b)));
        }
    }

    private static void sendAcknowledged(KafkaProducer<byte[], byte[]> producer, String topic, int from, int to,
            List<String> sent) throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = from; i < to; i++) {
            acks.add(producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(UTF_8), ("v-" + i).getBytes(UTF_8))));
        }
        for (int i = from; i < to; i++) {
            acks.get(i - from).get(30, SECONDS);
            sent.add("v-" + i);
        }
    }

    private static int sequence(String value) {
        return Integer.parseInt(value.substring(2));
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> new String(r.value(), UTF_8)).toList();
    }

    @Test
    void logAppendTimeTopicStampsRecordsWithTheBrokersAppendTime() throws Exception {
        String topic = "append-time";
        Clients.createTopic(admin, topic, 1, Map.of("message.timestamp.type", "LogAppendTime"));
        long createTime = 1_000_000_000_000L; // 2001: far from any append time
        List<RecordMetadata> acks = new ArrayList<>();
        long before = System.currentTimeMillis();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap())) {
            for (int batch = 0; batch < 3; batch++) {
                List<Future<RecordMetadata>> futures = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    futures.add(producer.send(new ProducerRecord<>(topic, null, createTime + i, null, ("v" + i).getBytes(UTF_8))));
                }
                producer.flush();
                for (Future<RecordMetadata> future : futures) {
                    acks.add(future.get(10, SECONDS));
                }
            }
        }
        long after = System.currentTimeMillis();
        assertThat(acks).extracting(RecordMetadata::timestamp).allSatisfy(t -> assertThat(t).isBetween(before, after));

        List<ConsumerRecord<byte[], byte[]>> records = Clients.readAll(bootstrap(), List.of(new TopicPartition(topic, 0)));
        assertThat(records).hasSize(acks.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertThat(record.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
            assertThat(record.timestamp()).as("timestamp of offset %d", record.offset())
                    .isEqualTo(acks.get((int) record.offset()).timestamp());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
    void compressedBatchesRoundTrip(String codec) throws Exception {
        String topic = "compressed-" + codec;
        Clients.createTopic(admin, topic, 1, Map.of());
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap(),
                Map.of("compression.type", codec, "linger.ms", 50))) {
            for (int i = 0; i < 500; i++) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, 1_700_000_000_000L + i,
                        ("key-" + i).getBytes(UTF_8), ("a rather compressible value, number " + i + " ".repeat(i % 50)).getBytes(UTF_8),
                        List.of(new RecordHeader("codec", codec.getBytes(UTF_8))));
                sent.add(record);
                acks.add(producer.send(record));
            }
            producer.flush();
        }
        List<Rec> expected = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            expected.add(Rec.sent(sent.get(i), acks.get(i).get(10, SECONDS)));
        }
        TopicPartition partition = new TopicPartition(topic, 0);
        assertThat(Clients.readAll(bootstrap(), List.of(partition))).extracting(Rec::read).containsExactlyElementsOf(expected);

        // The broker keeps and serves the producer's compressed batches (compression.type=producer).
        List<RecordBatch> batches = fetchBatches(partition);
        assertThat(batches).isNotEmpty()
                .allSatisfy(batch -> assertThat(batch.compressionType()).isEqualTo(CompressionType.forName(codec)));
    }

    private static List<RecordBatch> fetchBatches(TopicPartition partition) throws Exception {
        Uuid topicId = admin.describeTopics(List.of(partition.topic())).allTopicNames().get().get(partition.topic()).topicId();
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
            return client.fetchBatches(topicId, partition, 0);
        }
    }

    @Test
    void recordLargerThanTheTopicsMaxMessageBytesFailsAndLeavesTheTopicUnchanged() throws Exception {
        String topic = "limited";
        Clients.createTopic(admin, topic, 1, Map.of("max.message.bytes", "2000"));
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(topic, ("small-" + i).getBytes(UTF_8))).get(10, SECONDS);
            }
            List<Rec> before = Clients.readAll(bootstrap(), List.of(partition)).stream().map(Rec::read).toList();

            byte[] large = new byte[5000];
            new Random(1).nextBytes(large);
            Future<RecordMetadata> tooLarge = producer.send(new ProducerRecord<>(topic, large));
            assertThatThrownBy(() -> tooLarge.get(30, SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RecordTooLargeException.class);

            assertThat(Clients.readAll(bootstrap(), List.of(partition))).extracting(Rec::read).isEqualTo(before);
            assertThat(before).hasSize(3);

            // The producer goes on: the next record follows the three others.
            assertThat(producer.send(new ProducerRecord<>(topic, "after".getBytes(UTF_8))).get(10, SECONDS).offset())
                    .isEqualTo(3);
        }
    }

    private static byte[] randomBytes(Random random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }
}
