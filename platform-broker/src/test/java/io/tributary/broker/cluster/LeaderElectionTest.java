package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import io.tributary.broker.compat.KafkaTools;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leader elections on three brokers, with Kafka's {@code kafka-leader-election} tool run in-process: a
 * preferred election gives a restarted broker its leadership back, and an unclean election gives a
 * partition whose only in-sync replica died a live out-of-sync replica as leader — which has only the
 * records it had: those written while it was away are lost, and the old leader, when it returns,
 * truncates them too. With {@code unclean.leader.election.enable} set as a dynamic broker config, the
 * controller makes that election by itself. Automatic preferred elections are off here, so that a
 * leadership stays where it moved until the tool runs.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LeaderElectionTest {

    @TempDir
    static Path dir;

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(dir, 3, "--tributary.cluster.auto-leader-rebalance-enable=false",
                "--tributary.broker.replica-lag-time-max=2s");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPreferredElectionGivesARestartedBrokerItsLeadershipBack() throws Exception {
        createTopic("prefs", 3, 3, Map.of());
        PartitionState before = state("prefs", 0);
        int preferred = before.preferredLeader();
        List<String> written = produce("prefs", 0, "before", 10);

        cluster.node(preferred).stop();
        await().atMost(Duration.ofSeconds(15)).until(() -> state("prefs", 0).leader() != preferred);
        written.addAll(produce("prefs", 0, "while-away", 10));
        cluster.node(preferred).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> state("prefs", 0).isr().contains(preferred));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> state("prefs", 0).leader() != preferred);
        int movedEpoch = state("prefs", 0).leaderEpoch();

        KafkaTools.Run run = KafkaTools.leaderElection("--bootstrap-server", cluster.bootstrapServers(),
                "--election-type", "preferred", "--all-topic-partitions");

        assertThat(run.exitCode()).as(run.out()).isZero();
        // Every partition: also those the other tests left away from their preferred replica.
        assertThat(run.out().lines().filter(line -> line.startsWith("Successfully completed leader election (PREFERRED)")))
                .singleElement().satisfies(line -> assertThat(line.split("for partitions ")[1].split(", ")).contains("prefs-0"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int node = 0; node < 3; node++) {
                PartitionState elected = cluster.node(node).image().partition("prefs", 0).orElseThrow();
                assertThat(elected.leader()).as("leader on node %d", node).isEqualTo(preferred);
                assertThat(elected.leaderEpoch()).isEqualTo(movedEpoch + 1);
            }
        });
        KafkaTools.Run again = KafkaTools.leaderElection("--bootstrap-server", cluster.bootstrapServers(),
                "--election-type", "preferred", "--topic", "prefs", "--partition", "0");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("Valid replica already elected for partitions prefs-0");
        assertThat(readAll("prefs", 0)).containsExactlyElementsOf(written);
    }

    @Test
    void anUncleanElectionMakesALiveOutOfSyncReplicaLeaderAndLosesWhatItLacked() throws Exception {
        Replicas replicas = createAndLoseTheOnlyInSyncReplica("lossy");

        // Unclean elections are off by default: the partition waits for its in-sync replica.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                .until(() -> state("lossy", 0).leader() == PartitionState.NO_LEADER);
        int leaderlessEpoch = state("lossy", 0).leaderEpoch();

        KafkaTools.Run run = KafkaTools.leaderElection("--bootstrap-server", cluster.bootstrapServers(),
                "--election-type", "unclean", "--topic", "lossy", "--partition", "0");

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.out()).contains("Successfully completed leader election (UNCLEAN) for partitions lossy-0");
        // The broker that answered has applied the election; the one read here may still be applying it.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            PartitionState unclean = state("lossy", 0);
            assertThat(unclean.leader()).isEqualTo(replicas.outOfSync);
            assertThat(unclean.isr()).containsExactly(replicas.outOfSync);
            assertThat(unclean.leaderEpoch()).isEqualTo(leaderlessEpoch + 1);
        });
        verifyTheNewLeadersRecordsWin("lossy", replicas);
    }

    @Test
    void theControllerElectsUncleanlyByItselfWhereTheBrokerConfigAllowsIt() throws Exception {
        ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
        try (Admin admin = admin()) {
            admin.incrementalAlterConfigs(Map.of(clusterDefault, List.of(new AlterConfigOp(
                    new ConfigEntry("unclean.leader.election.enable", "true"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try {
            Replicas replicas = createAndLoseTheOnlyInSyncReplica("lossy-auto");

            await().atMost(Duration.ofSeconds(15)).until(() -> state("lossy-auto", 0).leader() == replicas.outOfSync);
            assertThat(state("lossy-auto", 0).isr()).containsExactly(replicas.outOfSync);
            verifyTheNewLeadersRecordsWin("lossy-auto", replicas);
        } finally {
            try (Admin admin = admin()) {
                admin.incrementalAlterConfigs(Map.of(clusterDefault, List.of(new AlterConfigOp(
                        new ConfigEntry("unclean.leader.election.enable", null), AlterConfigOp.OpType.DELETE))))
                        .all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Partition 0's replicas: the one that stays in sync, then dies; the one that falls behind; the other broker. */
    private record Replicas(int inSync, int outOfSync, int other, List<String> kept, List<String> lost) {
    }

    /**
     * Writes to partition 0 of a new topic with two replicas while both are in sync, stops the follower,
     * writes more to the leader alone, stops the leader and starts the follower again: a live replica
     * that is out of sync, and a partition without a leader. The third broker stays up throughout, so
     * that the metadata quorum is back as soon as the follower returns.
     */
    private Replicas createAndLoseTheOnlyInSyncReplica(String topic) throws Exception {
        createTopic(topic, 3, 2, Map.of());
        PartitionState initial = state(topic, 0);
        int inSync = initial.leader();
        int outOfSync = initial.replicas().stream().filter(r -> r != inSync).findFirst().orElseThrow();
        int other = IntStream.range(0, 3).filter(n -> n != inSync && n != outOfSync).findFirst().orElseThrow();
        List<String> kept = produce(topic, 0, "kept", 10);

        cluster.node(outOfSync).stop();
        await().atMost(Duration.ofSeconds(15)).until(() -> state(topic, 0).isr().equals(List.of(inSync)));
        List<String> lost = produce(topic, 0, "lost", 10);
        cluster.node(inSync).stop();
        cluster.node(outOfSync).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.node(other).image().brokers().get(outOfSync) != null
                && !cluster.node(other).image().brokers().get(outOfSync).fenced());
        PartitionState leaderless = state(topic, 0);
        assertThat(leaderless.leader()).isIn(PartitionState.NO_LEADER, outOfSync);
        return new Replicas(inSync, outOfSync, other, kept, lost);
    }

    /**
     * The new leader serves what it had, and what is written to it; the former leader, back, truncates
     * what only it had and ends with the new leader's log.
     */
    private void verifyTheNewLeadersRecordsWin(String topic, Replicas replicas) throws Exception {
        assertThat(readAll(topic, 0)).as("the records the new leader had").containsExactlyElementsOf(replicas.kept);
        List<String> after = produce(topic, 0, "after", 5);
        cluster.node(replicas.inSync).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> state(topic, 0).isr().contains(replicas.inSync));
        TopicPartition partition = new TopicPartition(topic, 0);
        long leaderEnd = cluster.node(replicas.outOfSync).partitions().partition(partition).orElseThrow().log().logEndOffset();
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(replicas.inSync).partitions().partition(partition)
                .orElseThrow().log().logEndOffset() == leaderEnd);
        assertThat(leaderEnd).isEqualTo(replicas.kept.size() + after.size());
        List<String> expected = new ArrayList<>(replicas.kept);
        expected.addAll(after);
        assertThat(readAll(topic, 0)).containsExactlyElementsOf(expected).doesNotContainAnyElementsOf(replicas.lost);
    }

    private static PartitionState state(String topic, int partition) {
        for (int node = 0; node < 3; node++) {
            if (cluster.node(node).isRunning()) {
                return cluster.node(node).image().partition(topic, partition).orElseThrow();
            }
        }
        throw new IllegalStateException("No broker runs");
    }

    private static void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs)
            throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) replicationFactor).configs(configs)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> IntStream.range(0, 3).allMatch(node ->
                cluster.node(node).image().topic(name).isPresent()));
    }

    private static List<String> produce(String topic, int partition, String prefix, int count) throws Exception {
        List<String> values = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.LINGER_MS_CONFIG, 0, "metadata.max.age.ms", 1_000),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                String value = prefix + "-" + i;
                producer.send(new ProducerRecord<>(topic, partition, null, value)).get(30, TimeUnit.SECONDS);
                values.add(value);
            }
        }
        return values;
    }

    /** Every record of a partition up to its high watermark, as a consumer reads it from the leader. */
    private static List<String> readAll(String topic, int partition) {
        TopicPartition tp = new TopicPartition(topic, partition);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, "metadata.max.age.ms", 1_000),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                return consumer.position(tp) >= end;
            });
            return values;
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }
}
