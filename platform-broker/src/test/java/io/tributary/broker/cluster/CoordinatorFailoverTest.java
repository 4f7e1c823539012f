package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group coordinator fails over with its {@code __consumer_offsets} partition: a consumer group
 * keeps consuming while the broker coordinating it stops, and the offsets it committed, as the
 * coordinators answer them, never go back.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class CoordinatorFailoverTest {

    private static final String TOPIC = "payments";
    private static final String GROUP = "settlement";

    @TempDir
    static Path dir;

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(dir, 3, "--tributary.broker.replica-lag-time-max=2s",
                "--tributary.broker.group.initial-rebalance-delay=0s",
                "--tributary.broker.group.offsets-topic-num-partitions=3");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aConsumerGroupKeepsConsumingAcrossACoordinatorFailoverAndItsCommittedOffsetsNeverGoBack() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        AckedLoad load = new AckedLoad(cluster.bootstrapServers(), TOPIC, 2);
        List<GroupMember> members = List.of(new GroupMember(), new GroupMember());
        OffsetSampler sampler = new OffsetSampler();
        try {
            members.forEach(GroupMember::start);
            sampler.start();
            await().atMost(Duration.ofSeconds(45)).until(() -> sampler.committed(0) > 100 && sampler.committed(1) > 100);

            int coordinator;
            try (Admin admin = admin()) {
                coordinator = admin.describeConsumerGroups(List.of(GROUP)).all().get(30, TimeUnit.SECONDS).get(GROUP)
                        .coordinator().id();
            }
            assertThat(cluster.node(coordinator).partitions().partition(
                    new TopicPartition("__consumer_offsets", Math.abs(GROUP.hashCode()) % 3)).orElseThrow().replicas())
                    .as("replicas of the group's offsets partition").hasSize(3);
            long before0 = sampler.committed(0);
            long before1 = sampler.committed(1);
            long stoppedAt = System.nanoTime();
            cluster.node(coordinator).stop();

            await().atMost(Duration.ofSeconds(45))
                    .until(() -> sampler.committed(0) > before0 && sampler.committed(1) > before1);
            System.out.printf("Coordinator failover (controlled shutdown of broker %d): at most %d ms without a newly "
                    + "committed offset%n", coordinator, sampler.longestGapMsSince(stoppedAt));
            try (Admin admin = admin()) {
                int next = admin.describeConsumerGroups(List.of(GROUP)).all().get(30, TimeUnit.SECONDS).get(GROUP)
                        .coordinator().id();
                assertThat(next).as("the new coordinator").isNotEqualTo(coordinator);
            }
            load.awaitMoreAcks(100, Duration.ofSeconds(30));
        } finally {
            load.stopAndVerify(cluster.bootstrapServers());
        }
        try {
            for (int partition = 0; partition < 2; partition++) {
                int p = partition;
                await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(consumed(members, p))
                        .as(() -> "records of partition " + p + " consumed; the members: " + members + "; the committed"
                                + " offsets: " + sampler.highest)
                        .containsAll(load.acknowledged(p)));
            }
        } finally {
            sampler.stop();
            for (GroupMember member : members) {
                member.stop();
            }
        }
        assertThat(sampler.wentBack).as("committed offsets that went back").isEmpty();
        assertThat(sampler.samples.get()).as("samples of the committed offsets").isGreaterThan(20);
    }

    private static Set<Integer> consumed(List<GroupMember> members, int partition) {
        Set<Integer> values = ConcurrentHashMap.newKeySet();
        members.forEach(member -> values.addAll(member.consumed.get(partition)));
        return values;
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                "metadata.max.age.ms", 1_000));
    }

    /** A member of the group on a thread of its own: polls, remembers what it read, commits after every poll. */
    private static final class GroupMember {
        final Map<Integer, Set<Integer>> consumed = Map.of(0, ConcurrentHashMap.newKeySet(), 1, ConcurrentHashMap.newKeySet());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<String> failures = new CopyOnWriteArrayList<>();
        /** What the consumer thread last saw of its assignment and positions, for a failure's message. */
        private volatile String lastSeen = "not polled yet";
        private KafkaConsumer<String, String> consumer;
        private Thread thread;

        void start() {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, GROUP, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000,
                    ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500, ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                    "metadata.max.age.ms", 1_000), new StringDeserializer(), new StringDeserializer());
            thread = new Thread(this::consume, "group-member");
            thread.start();
        }

        private void consume() {
            consumer.subscribe(List.of(TOPIC));
            while (running.get()) {
                try {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        consumed.get(record.partition()).add(Integer.parseInt(record.value()));
                    }
                    consumer.commitSync(Duration.ofSeconds(10));
                    lastSeen = Instant.now() + " positions " + positions();
                } catch (WakeupException e) {
                    break;
                } catch (RuntimeException e) {
                    // A rebalance or a coordinator on the move: the consumer carries on.
                    failures.add(Instant.now() + " " + e);
                }
            }
            consumer.close(Duration.ofSeconds(5));
        }

        private Map<Integer, Long> positions() {
            Map<Integer, Long> positions = new java.util.TreeMap<>();
            consumer.assignment().forEach(tp -> positions.put(tp.partition(), consumer.position(tp, Duration.ofSeconds(5))));
            return positions;
        }

        @Override
        public String toString() {
            return "{consumed " + consumed.get(0).size() + "/" + consumed.get(1).size() + " records of partitions 0/1, "
                    + "last committed at " + lastSeen + ", " + failures.size() + " failures"
                    + (failures.isEmpty() ? "" : ", the last " + failures.subList(Math.max(0, failures.size() - 3),
                            failures.size())) + "}";
        }

        void stop() throws InterruptedException {
            running.set(false);
            consumer.wakeup();
            thread.join(30_000);
            assertThat(thread.isAlive()).as("consumer thread stopped").isFalse();
        }
    }

    /** Reads the group's committed offsets over and over through whichever broker answers, noting any that went back. */
    private static final class OffsetSampler {
        final Map<Integer, Long> highest = new ConcurrentHashMap<>();
        final List<String> wentBack = new CopyOnWriteArrayList<>();
        final AtomicLong samples = new AtomicLong();
        /** When each partition's committed offset was seen to advance, in nanoseconds. */
        final List<Long> advances = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        void start() {
            thread = new Thread(this::sample, "offset-sampler");
            thread.start();
        }

        long committed(int partition) {
            return highest.getOrDefault(partition, -1L);
        }

        /** The longest time without a committed offset moving on, after {@code nanos}. */
        long longestGapMsSince(long nanos) {
            long gap = 0;
            for (int i = 1; i < advances.size(); i++) {
                if (advances.get(i) > nanos) {
                    gap = Math.max(gap, advances.get(i) - Math.max(nanos, advances.get(i - 1)));
                }
            }
            return gap / 1_000_000;
        }

        private void sample() {
            try (Admin admin = admin()) {
                while (running.get()) {
                    try {
                        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                        samples.incrementAndGet();
                        offsets.forEach((tp, offset) -> {
                            long previous = committed(tp.partition());
                            if (offset.offset() < previous) {
                                wentBack.add(tp + ": " + previous + " -> " + offset.offset());
                            } else if (offset.offset() > previous) {
                                highest.put(tp.partition(), offset.offset());
                                advances.add(System.nanoTime());
                            }
                        });
                    } catch (Exception e) {
                        // no coordinator for a moment: sample again
                    }
                    await().pollDelay(Duration.ofMillis(50)).until(() -> true);
                }
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }
}
