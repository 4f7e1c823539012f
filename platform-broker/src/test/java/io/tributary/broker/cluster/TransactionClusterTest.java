package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions across three brokers: the markers reach partitions led elsewhere (WriteTxnMarkers between
 * brokers, the group's offsets partition included), and the transaction coordinator fails over with its
 * {@code __transaction_state} partition: a producer restarted after its coordinator's broker stopped
 * picks up its transactional id there, fenced epoch and all.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class TransactionClusterTest {

    private static final String TOPIC = "ledger";
    private static final String GROUP = "ledger-readers";
    private static final String TRANSACTIONAL_ID = "ledger-app";

    @TempDir
    static Path dir;
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.start(dir, 3, "--tributary.broker.replica-lag-time-max=2s",
                "--tributary.broker.group.offsets-topic-num-partitions=3",
                "--tributary.broker.transaction.state-log-num-partitions=3");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", cluster.bootstrapServers());
        config.put("transactional.id", TRANSACTIONAL_ID);
        config.put("max.block.ms", 60_000);
        config.put("delivery.timeout.ms", 60_000);
        config.put("request.timeout.ms", 10_000);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void commitToEveryPartition(KafkaProducer<byte[], byte[]> producer, String value, long groupOffset,
            boolean commit) {
        producer.beginTransaction();
        for (int partition = 0; partition < 3; partition++) {
            producer.send(new ProducerRecord<>(TOPIC, partition, null, (value + "-" + partition).getBytes(StandardCharsets.UTF_8)));
        }
        producer.sendOffsetsToTransaction(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(groupOffset)),
                new ConsumerGroupMetadata(GROUP));
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }

    private static List<String> readCommitted() {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", cluster.bootstrapServers());
        config.put("isolation.level", "read_committed");
        config.put("enable.auto.commit", false);
        List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
                new TopicPartition(TOPIC, 2));
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                assertThat(System.nanoTime()).as("read to the last stable offsets %s", ends).isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
        }
        values.sort(null);
        return values;
    }

    private static long committedGroupOffset(Admin admin) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).get(new TopicPartition(TOPIC, 0));
        return offset == null ? -1 : offset.offset();
    }

    @Test
    void markersReachEveryLeaderAndTheCoordinatorFailsOverWithItsPartition() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.initTransactions();
            commitToEveryPartition(producer, "first", 1, true);
            commitToEveryPartition(producer, "dropped", 2, false);
        }
        assertThat(readCommitted()).containsExactly("first-0", "first-1", "first-2");
        int coordinator;
        try (Admin admin = admin()) {
            assertThat(committedGroupOffset(admin)).isEqualTo(1);
            coordinator = admin.describeTransactions(List.of(TRANSACTIONAL_ID)).description(TRANSACTIONAL_ID)
                    .get(30, TimeUnit.SECONDS).coordinatorId();
        }

        try (Admin admin = admin()) {
            var leaders = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC)
                    .partitions().stream().map(p -> p.leader().id()).toList();
            assertThat(leaders).as("leaders of %s: some markers went to another broker", TOPIC)
                    .anyMatch(leader -> leader != coordinator);
        }

        cluster.node(coordinator).stop();

        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.initTransactions(); // the id's state comes from the new leader of its partition
            commitToEveryPartition(producer, "second", 3, true);
        }
        assertThat(readCommitted()).containsExactly("first-0", "first-1", "first-2", "second-0", "second-1", "second-2");
        try (Admin admin = admin()) {
            assertThat(committedGroupOffset(admin)).isEqualTo(3);
            var described = admin.describeTransactions(List.of(TRANSACTIONAL_ID)).description(TRANSACTIONAL_ID)
                    .get(30, TimeUnit.SECONDS);
            assertThat(described.coordinatorId()).isNotEqualTo(coordinator);
            assertThat(described.state().toString()).isEqualTo("CompleteCommit");
            assertThat(described.producerEpoch()).isGreaterThanOrEqualTo(1);
        }
    }
}
