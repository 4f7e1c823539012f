package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.compat.groups.OwnershipChecker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A KIP-848 consumer group ({@code group.protocol=consumer}) on three brokers in their own JVMs: a
 * member joins, and while the others revoke for it the broker coordinating the group is killed -9. The
 * group's record is in the in-sync replicas of its {@code __consumer_offsets} partition, so the next
 * coordinator carries on from the same epochs: the group converges, no partition is owned by two
 * members at once, every acknowledged record is consumed, and committed offsets never go back.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ConsumerGroupCoordinatorKillTest {

    private static final String TOPIC = "work";
    private static final String GROUP = "workers";
    private static final int PARTITIONS = 4;

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
    void aConsumerGroupConvergesAfterItsCoordinatorIsKilledMidReconciliation() throws Exception {
        brokers = ProcessCluster.start(dir, "--tributary.broker.group.consumer-heartbeat-interval=500ms",
                "--tributary.broker.group.consumer-session-timeout=10s",
                "--tributary.broker.group.offsets-topic-num-partitions=3");
        String bootstrap = brokers.bootstrapServers();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        AckedLoad load = new AckedLoad(bootstrap, TOPIC, PARTITIONS);
        OwnershipChecker ownership = new OwnershipChecker();
        List<CommittingMember> members = new ArrayList<>();
        CommittedOffsetSampler sampler = new CommittedOffsetSampler(this::admin, GROUP).start();
        try {
            for (int i = 0; i < 2; i++) {
                members.add(new CommittingMember(bootstrap, GROUP, TOPIC, "consumer", ownership.listenerFor("member-" + i)).start());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (int p = 0; p < PARTITIONS; p++) {
                    if (sampler.committed(p) < 50) {
                        return false;
                    }
                }
                return true;
            });
            int coordinator;
            try (Admin admin = admin()) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get(30, TimeUnit.SECONDS)
                        .get(GROUP);
                assertThat(group.type()).isEqualTo(GroupType.CONSUMER);
                coordinator = group.coordinator().id();
            }
            members.add(new CommittingMember(bootstrap, GROUP, TOPIC, "consumer", ownership.listenerFor("member-2")).start());
            // The newcomer's join moves the group epoch; the others revoke at their next heartbeats.
            await().atMost(Duration.ofSeconds(30)).until(() -> members.get(0).assignment().size()
                    + members.get(1).assignment().size() < PARTITIONS || !members.get(2).assignment().isEmpty());
            brokers.broker(coordinator).kill();

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                Set<TopicPartition> all = new HashSet<>();
                int total = 0;
                for (CommittingMember member : members) {
                    assertThat(member.assignment()).as("%s", member).isNotEmpty();
                    all.addAll(member.assignment());
                    total += member.assignment().size();
                }
                assertThat(all).hasSize(PARTITIONS);
                assertThat(total).isEqualTo(PARTITIONS);
            });
            load.awaitMoreAcks(100, Duration.ofSeconds(60));
        } finally {
            load.stopAndVerify(bootstrap);
        }
        try {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                int p = partition;
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    Set<Integer> consumed = new HashSet<>();
                    members.forEach(member -> consumed.addAll(member.consumed(p)));
                    assertThat(consumed).as(() -> "records of partition " + p + " consumed; the members: " + members)
                            .containsAll(load.acknowledged(p));
                });
            }
        } finally {
            sampler.stop();
            for (CommittingMember member : members) {
                member.stop();
            }
        }
        assertThat(ownership.violations()).as("partitions owned by two members at once").isEmpty();
        assertThat(sampler.wentBack).as("committed offsets that went back").isEmpty();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                "metadata.max.age.ms", 1_000));
    }
}
