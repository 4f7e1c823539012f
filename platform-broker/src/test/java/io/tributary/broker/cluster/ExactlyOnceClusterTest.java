package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once across crashes, on three brokers in their own JVMs: an idempotent producer writes
 * numbers to an input topic while a consume-transform-produce loop copies them, in transactions with
 * {@code sendOffsetsToTransaction}, to an output topic. The broker coordinating the loop's transactional
 * id is killed -9 and restarted, then the leader of an output partition. Read committed, the output
 * holds every acknowledged input exactly once, in order, and nothing else.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ExactlyOnceClusterTest {

    private static final String INPUT = "payments";
    private static final String OUTPUT = "ledger";
    private static final String TRANSACTIONAL_ID = "ledger-writer";
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    private ProcessCluster brokers;

    @AfterEach
    void stopBrokers() throws InterruptedException {
        if (brokers != null) {
            brokers.close();
        }
    }

    @Test
    void theOutputHoldsEveryAcknowledgedInputExactlyOnceWhileTheCoordinatorAndALeaderAreKilled() throws Exception {
        brokers = ProcessCluster.start(dir, "--tributary.broker.transaction.state-log-num-partitions=3",
                "--tributary.broker.group.offsets-topic-num-partitions=3");
        String bootstrap = brokers.bootstrapServers();
        try (Admin admin = admin()) {
            for (String topic : List.of(INPUT, OUTPUT)) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 3)
                            .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // On a busy machine the Admin client may retry a creation that had worked, and be told so.
                    assertThat(e.getCause()).isInstanceOf(TopicExistsException.class);
                }
            }
        }
        AckedLoad load = new AckedLoad(bootstrap, INPUT, PARTITIONS);
        TransactionalCopier copier = new TransactionalCopier(bootstrap, INPUT, OUTPUT, TRANSACTIONAL_ID).start();
        try {
            awaitMoreCommitted(copier, 20);
            int coordinator = transactionCoordinator();
            brokers.broker(coordinator).kill();
            awaitMoreCommitted(copier, 10);
            assertThat(transactionCoordinator()).as("the transactional id's coordinator after the kill").isNotEqualTo(coordinator);
            brokers.broker(coordinator).start();

            int leader = leaderOf(new TopicPartition(OUTPUT, 0));
            awaitMoreCommitted(copier, 10);
            brokers.broker(leader).kill();
            awaitMoreCommitted(copier, 10);
            brokers.broker(leader).start();
            load.awaitMoreAcks(50, Duration.ofSeconds(60));
        } finally {
            load.stopAndVerify(bootstrap);
        }
        try {
            awaitCopiedToTheEnd();
        } finally {
            copier.close();
        }
        assertThat(copier.failure()).as("the copier's failure").isNull();

        Map<Integer, List<Integer>> copied = readCommittedOutput();
        for (int p = 0; p < PARTITIONS; p++) {
            List<Integer> values = copied.getOrDefault(p, List.of());
            assertThat(new HashSet<>(values)).as("no input copied twice to partition %d", p).hasSameSizeAs(values);
            assertThat(values).as("order in partition %d", p).isSorted();
            Set<Integer> distinct = new HashSet<>(values);
            List<Integer> missing = load.acknowledged(p).stream().filter(v -> !distinct.contains(v)).toList();
            assertThat(missing).as("acknowledged inputs of partition %d never copied", p).isEmpty();
        }
    }

    private void awaitMoreCommitted(TransactionalCopier copier, int count) {
        int target = copier.committedTransactions.get() + count;
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            if (copier.failure() != null) {
                throw new AssertionError("the copier failed", copier.failure());
            }
            return copier.committedTransactions.get() >= target;
        });
    }

    private int transactionCoordinator() throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTransactions(List.of(TRANSACTIONAL_ID)).all().get(30, TimeUnit.SECONDS)
                    .get(TRANSACTIONAL_ID).coordinatorId();
        }
    }

    private int leaderOf(TopicPartition tp) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(tp.topic())).allTopicNames().get(30, TimeUnit.SECONDS).get(tp.topic())
                    .partitions().get(tp.partition()).leader().id();
        }
    }

    /** Waits until the copier's committed offsets reach the end of every input partition. */
    private void awaitCopiedToTheEnd() {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            try (Admin admin = admin()) {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    latest.put(new TopicPartition(INPUT, p), OffsetSpec.latest());
                }
                var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("copier")
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                for (TopicPartition tp : latest.keySet()) {
                    assertThat(committed.get(tp)).as("%s committed", tp).isNotNull();
                    assertThat(committed.get(tp).offset()).as("%s committed", tp).isEqualTo(ends.get(tp).offset());
                }
            }
        });
    }

    /** The output, read committed to its end, as each input partition's numbers. */
    private Map<Integer, List<Integer>> readCommittedOutput() {
        Map<Integer, List<Integer>> copied = new HashMap<>();
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(OUTPUT, p));
            }
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = reader.endOffsets(partitions, Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : reader.poll(Duration.ofMillis(200))) {
                    String[] fields = record.value().split(":");
                    copied.computeIfAbsent(Integer.parseInt(fields[0]), p -> new ArrayList<>()).add(Integer.parseInt(fields[1]));
                }
                return partitions.stream().allMatch(tp -> reader.position(tp) >= ends.get(tp));
            });
        }
        return copied;
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                "metadata.max.age.ms", 1_000));
    }
}
