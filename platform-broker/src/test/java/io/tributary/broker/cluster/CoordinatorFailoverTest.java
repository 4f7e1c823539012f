package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
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
        List<CommittingMember> members = List.of(member(), member());
        CommittedOffsetSampler sampler = new CommittedOffsetSampler(CoordinatorFailoverTest::admin, GROUP);
        try {
            members.forEach(CommittingMember::start);
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
            for (CommittingMember member : members) {
                member.stop();
            }
        }
        assertThat(sampler.wentBack).as("committed offsets that went back").isEmpty();
        assertThat(sampler.samples.get()).as("samples of the committed offsets").isGreaterThan(20);
    }

    private static CommittingMember member() {
        return new CommittingMember(cluster.bootstrapServers(), GROUP, TOPIC, "classic", null);
    }

    private static Set<Integer> consumed(List<CommittingMember> members, int partition) {
        Set<Integer> values = ConcurrentHashMap.newKeySet();
        members.forEach(member -> values.addAll(member.consumed(partition)));
        return values;
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                "metadata.max.age.ms", 1_000));
    }
}
