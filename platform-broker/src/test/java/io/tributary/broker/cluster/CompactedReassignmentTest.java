package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.log.PartitionLog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compacted topic gains replicas after its cleaner ran, as a changelog or {@code __consumer_offsets}
 * does after a partition reassignment: the new replicas copy batches the cleaner thinned, emptied and
 * left gaps between, join the ISR, and once the old replica is gone a consumer reads the same
 * compacted contents from them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CompactedReassignmentTest {

    private static final String TOPIC = "changelog";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final int KEYS = 20;

    @TempDir
    Path dir;

    @Test
    void newReplicasOfACompactedPartitionCatchUpAndServeTheSameContents() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir, 3, "--tributary.broker.log.cleaner-backoff=100ms");
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(0))).configs(Map.of(
                    "cleanup.policy", "compact", "segment.bytes", "2048", "min.cleanable.dirty.ratio", "0.01"))))
                    .all().get(30, TimeUnit.SECONDS);

            List<String> expected = writeUpdates(cluster.bootstrapServers());
            PartitionLog leaderLog = ReplicaLogs.log(cluster, 0, TP);
            await("the cleaner compacts the partition").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(readAll(cluster.bootstrapServers())).isEqualTo(expected));
            assertThat(storedBatches(leaderLog)).as("what the cleaner left for the new replicas to copy")
                    .anyMatch(batch -> batch.countOrNull() == 0)
                    .anyMatch(batch -> batch.countOrNull() > 0 && batch.countOrNull() < span(batch));

            admin.alterPartitionReassignments(Map.of(TP, Optional.of(new NewPartitionReassignment(List.of(0, 1, 2)))))
                    .all().get(30, TimeUnit.SECONDS);
            await("the new replicas join the ISR").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(admin.listPartitionReassignments().reassignments().get(10, TimeUnit.SECONDS)).isEmpty();
                TopicDescription topic = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS)
                        .get(TOPIC);
                assertThat(topic.partitions().get(0).isr()).extracting(Node::id).containsExactlyInAnyOrder(0, 1, 2);
            });

            cluster.node(0).stop();
            await("a new replica leads and serves the compacted contents").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> assertThat(readAll(cluster.bootstrapServers())).isEqualTo(expected));
        }
    }

    /**
     * Rounds of updates to the same keys, some of them deletes, from two idempotent producers: the
     * first producer's last batch is overwritten whole by the second (the cleaner keeps it emptied),
     * most batches keep a record or two or none. Then records of keys of their own, so that the
     * updates all sit in closed segments, which the cleaner may rewrite.
     *
     * @return the compacted contents a consumer must read: each key's latest record at its offset
     */
    private static List<String> writeUpdates(String bootstrap) throws Exception {
        Map<String, String> latest = new HashMap<>();
        Map<String, Long> latestOffset = new HashMap<>();
        for (int producerRound = 0; producerRound < 2; producerRound++) {
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                for (int round = 0; round < 12; round++) {
                    List<Future<RecordMetadata>> sent = new ArrayList<>();
                    List<String> keys = new ArrayList<>();
                    for (int i = 0; i < KEYS / 2; i++) {
                        // Half the keys, in a shifting order: a key's last write lands anywhere in a batch.
                        String key = "key-" + (round * 7 + i * (producerRound == 0 ? 3 : 1)) % KEYS;
                        boolean delete = producerRound == 1 && round == 11 && i % 5 == 0;
                        String value = delete ? null : "p" + producerRound + "-r" + round + "-" + i;
                        sent.add(producer.send(new ProducerRecord<>(TOPIC, 0, key, value)));
                        keys.add(key);
                        latest.put(key, value);
                    }
                    producer.flush(); // one batch per round
                    for (int i = 0; i < sent.size(); i++) {
                        latestOffset.put(keys.get(i), sent.get(i).get(30, TimeUnit.SECONDS).offset());
                    }
                }
            }
        }
        try (KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (int batch = 0; batch < 4; batch++) {
                Map<String, Future<RecordMetadata>> sent = new HashMap<>();
                for (int i = 0; i < 10; i++) {
                    String key = "filler-" + batch + "-" + i;
                    String value = "x".repeat(80);
                    sent.put(key, producer.send(new ProducerRecord<>(TOPIC, 0, key, value)));
                    latest.put(key, value);
                }
                producer.flush();
                for (Map.Entry<String, Future<RecordMetadata>> entry : sent.entrySet()) {
                    latestOffset.put(entry.getKey(), entry.getValue().get(30, TimeUnit.SECONDS).offset());
                }
            }
        }
        return latestOffset.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(entry -> describe(entry.getValue(), entry.getKey(), latest.get(entry.getKey()))).toList();
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 1000,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer());
    }

    /** Every record of the partition, tombstones included, as offset:key=value, read as a consumer does. */
    private static List<String> readAll(String bootstrap) {
        List<String> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            long end = consumer.endOffsets(List.of(TP)).get(TP);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (consumer.position(TP) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(describe(record.offset(), record.key(), record.value()));
                }
            }
        }
        return records;
    }

    private static String describe(long offset, String key, String value) {
        return offset + ":" + key + "=" + value;
    }

    private static List<RecordBatch> storedBatches(PartitionLog log) {
        List<RecordBatch> batches = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            for (RecordBatch batch : log.read(next, 1 << 20, Long.MAX_VALUE, true).slice().toMemoryRecords().batches()) {
                batches.add(batch);
                next = batch.nextOffset();
            }
        }
        return batches;
    }

    private static long span(RecordBatch batch) {
        return batch.lastOffset() - batch.baseOffset() + 1;
    }
}
