package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.partition.Partition;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data replication on three brokers in this JVM: followers fetch from leaders, acks=all waits for
 * the ISR, and a stopped leader loses no acknowledged record; a stopped follower catches up when it
 * returns, and min.insync.replicas refuses writes while too few replicas are in sync.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReplicationTest {

    @TempDir
    static Path dir;

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(dir, 3, "--tributary.broker.replica-lag-time-max=2s");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyAcknowledgedRecordSurvivesTheLeadersStopExactlyOnceInOrderAndTheLeaderCatchesUpWhenBack()
            throws Exception {
        createTopic("ledger", 2, 3, "2");
        int victim = partitionState("ledger", 0).leader();
        AckedLoad load = new AckedLoad(cluster.bootstrapServers(), "ledger", 2);
        try {
            load.awaitMoreAcks(200, Duration.ofSeconds(30));
            long stoppedAt = System.nanoTime();
            cluster.node(victim).stop();
            // Controlled shutdown moved the leadership before the broker's session (3 s) could run out.
            await().atMost(Duration.ofMillis(1500)).until(() -> partitionState("ledger", 0).leader() != victim);
            load.awaitMoreAcks(200, Duration.ofSeconds(45));
            System.out.printf("Failover of ledger-0 (controlled shutdown): %d ms without an acks=all acknowledgement%n",
                    load.longestGapMsSince(stoppedAt));
        } finally {
            load.stopAndVerify(cluster.bootstrapServers());
        }

        cluster.node(victim).start();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int partition = 0; partition < 2; partition++) {
                PartitionState state = cluster.node(victim).image().partition("ledger", partition).orElseThrow();
                assertThat(state.isr()).as("ISR of partition %d", partition).contains(victim);
            }
        });
        for (int partition = 0; partition < 2; partition++) {
            assertSameLogs(new TopicPartition("ledger", partition));
        }
        // The followers fetch through sessions (KIP-227): every leader keeps one for each of its followers. Awaited:
        // the controller gives the returning broker its preferred leadership back meanwhile, and a follower opens
        // its session with the new leader at its next fetch.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int partition = 0; partition < 2; partition++) {
                int leader = partitionState("ledger", partition).leader();
                assertThat(cluster.node(leader).bean(io.tributary.broker.fetch.FetchSessionCache.class).size())
                        .as("fetch sessions on leader %d", leader).isGreaterThanOrEqualTo(2);
            }
        });
    }

    @Test
    void aPartitionWithOneLiveReplicaRefusesAcksAllWritesUntilAnotherReturns() throws Exception {
        // Two replicas on three brokers: stopping one leaves a single live replica but keeps the metadata quorum.
        createTopic("strict", 1, 2, "2");
        PartitionState state = partitionState("strict", 0);
        int follower = state.replicas().stream().filter(r -> r != state.leader()).findFirst().orElseThrow();
        try (KafkaProducer<String, String> producer = producer(Map.of(ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            producer.send(new ProducerRecord<>("strict", 0, "k", "both")).get(30, TimeUnit.SECONDS);
            long firstIncarnation = cluster.node(state.leader()).image().brokers().get(follower).epoch();
            awaitLeaderSeesBrokerEpoch(state.leader(), follower, firstIncarnation);

            cluster.node(follower).stop();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    cluster.node(state.leader()).image().partition("strict", 0).orElseThrow().isr()).hasSize(1));
            Future<RecordMetadata> refused = producer.send(new ProducerRecord<>("strict", 0, "k", "alone"));
            assertThat(causeOf(refused)).isInstanceOf(NotEnoughReplicasException.class);

            cluster.node(follower).start();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    cluster.node(follower).image().partition("strict", 0).orElseThrow().isr()).hasSize(2));
            // KIP-903: the new incarnation registered in a new broker epoch, its fetches carry it, and the leader
            // proposed it back into the ISR with that epoch, which the controller checked.
            long secondIncarnation = cluster.node(state.leader()).image().brokers().get(follower).epoch();
            assertThat(secondIncarnation).isGreaterThan(firstIncarnation);
            awaitLeaderSeesBrokerEpoch(state.leader(), follower, secondIncarnation);
            producer.send(new ProducerRecord<>("strict", 0, "k", "again")).get(30, TimeUnit.SECONDS);
        }
        assertSameLogs(new TopicPartition("strict", 0));
    }

    /** The leader of strict-0 records {@code follower}'s fetches as those of broker epoch {@code epoch}. */
    private static void awaitLeaderSeesBrokerEpoch(int leader, int follower, long epoch) {
        assertThat(epoch).as("a registered broker's epoch").isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.node(leader).partitions()
                .partition(new TopicPartition("strict", 0)).orElseThrow().followersHolding(0))
                .extracting(Partition.FollowerView::replicaId, Partition.FollowerView::brokerEpoch)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(follower, epoch)));
    }

    /** The leader's and every in-sync follower's log hold the same batches, byte for byte. */
    private static void assertSameLogs(TopicPartition tp) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PartitionState state = partitionState(tp.topic(), tp.partition());
            PartitionLog leaderLog = log(state.leader(), tp);
            for (int replica : state.isr()) {
                PartitionLog replicaLog = log(replica, tp);
                assertThat(replicaLog.logEndOffset()).as("log end of %s on %d", tp, replica)
                        .isEqualTo(leaderLog.logEndOffset());
                assertThat(ReplicaLogs.batches(replicaLog)).as("batches of %s on %d", tp, replica)
                        .isEqualTo(ReplicaLogs.batches(leaderLog));
            }
        });
    }

    /** The partition's state once every running broker has applied the topic. */
    private static PartitionState partitionState(String topic, int partition) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (int node = 0; node < 3; node++) {
                if (cluster.node(node).isRunning() && cluster.node(node).image().partition(topic, partition).isEmpty()) {
                    return null;
                }
            }
            LocalCluster.Node running = cluster.node(0).isRunning() ? cluster.node(0) : cluster.node(1);
            return running.image().partition(topic, partition).orElseThrow();
        }, java.util.Objects::nonNull);
    }

    private static PartitionLog log(int node, TopicPartition tp) {
        return cluster.node(node).partitions().partition(tp).orElseThrow().log();
    }

    private static Throwable causeOf(Future<?> future) throws Exception {
        try {
            future.get(30, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private static void createTopic(String name, int partitions, int replicationFactor, String minInsyncReplicas)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) replicationFactor)
                    .configs(Map.of("min.insync.replicas", minInsyncReplicas)))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, ProducerConfig.LINGER_MS_CONFIG, 0,
                "metadata.max.age.ms", 1_000));
        config.putAll(overrides);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }
}
