package io.tributary.broker.cluster;

import io.tributary.broker.compat.KafkaTools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterPartitionReassignmentsOptions;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's own {@code kafka-reassign-partitions}, run in this JVM against four brokers: a topic
 * placed by hand on three of them moves, under an idempotent acks=all load, onto the fourth (generate,
 * execute, verify until complete); a move to a stopped broker stays in progress, shows in Metadata as
 * Kafka shows it, and is cancelled. Bad targets get Kafka's errors through AdminClient and change
 * nothing.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReassignPartitionsToolTest {

    @TempDir
    static Path dir;

    private static LocalCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(dir, 4, "--tributary.broker.replica-lag-time-max=2s");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    @AfterAll
    static void stopCluster() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theToolMovesATopicOffBrokerZeroOntoTheFourthUnderLoadLosingNothingAndLeavingNothingBehind() throws Exception {
        admin.createTopics(List.of(new NewTopic("moving", Map.of(0, List.of(0, 1, 2), 1, List.of(1, 2, 0),
                2, List.of(2, 0, 1))).configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
        awaitEveryBrokerKnows("moving", 3);
        assertThat(logDirs(0, "moving")).hasSize(3);
        fill("moving", 3, 4_000);
        AckedLoad load = new AckedLoad(cluster.bootstrapServers(), "moving", 3);
        long movedAt;
        try {
            load.awaitMoreAcks(200, Duration.ofSeconds(30));
            movedAt = System.nanoTime();

            Path topics = dir.resolve("topics-to-move.json");
            Files.writeString(topics, "{\"version\":1,\"topics\":[{\"topic\":\"moving\"}]}");
            KafkaTools.Run generated = KafkaTools.reassignPartitions("--bootstrap-server",
                    cluster.bootstrapServers(), "--generate", "--topics-to-move-json-file", topics.toString(),
                    "--broker-list", "1,2,3");
            Path plan = dir.resolve("plan.json");
            Files.writeString(plan, ReassignmentPlans.proposal(generated.output()));

            // Throttled at 4 MB/s: the tool lists the moving replicas on the topic and sets every broker's rates.
            KafkaTools.Run executed = KafkaTools.reassignPartitions("--bootstrap-server",
                    cluster.bootstrapServers(), "--execute", "--throttle", "4000000", "--reassignment-json-file",
                    plan.toString());
            assertThat(executed.output()).contains("Successfully started partition reassignments for moving-0,moving-1,moving-2");
            Config throttled = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "moving")))
                    .all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertThat(throttled.get("follower.replication.throttled.replicas").value()).contains(":3");
            assertThat(throttled.get("leader.replication.throttled.replicas").value()).contains(":0");
            assertThat(brokerConfig(3, "follower.replication.throttled.rate")).isEqualTo("4000000");

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String verified = KafkaTools.reassignPartitions("--bootstrap-server", cluster.bootstrapServers(),
                        "--verify", "--reassignment-json-file", plan.toString()).output();
                for (int partition = 0; partition < 3; partition++) {
                    assertThat(verified).contains("Reassignment of partition moving-" + partition + " is completed.");
                }
                assertThat(verified).contains("Clearing topic-level throttles on topic moving");
            });
            // The completed verify cleared the throttles.
            Config cleared = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "moving")))
                    .all().get(30, TimeUnit.SECONDS).values().iterator().next();
            assertThat(cleared.get("follower.replication.throttled.replicas").value()).isEmpty();
            assertThat(brokerConfig(3, "follower.replication.throttled.rate")).isEqualTo(Long.toString(Long.MAX_VALUE));
            System.out.printf("Moving 3 partitions of 4 MB onto broker 3: longest time without an acks=all acknowledgement "
                    + "%d ms%n", load.longestGapMsSince(movedAt));
            load.awaitMoreAcks(200, Duration.ofSeconds(45));
        } finally {
            load.stopAndVerify(cluster.bootstrapServers());
        }

        Map<TopicPartition, List<Integer>> target = ReassignmentPlans.replicas(Files.readString(dir.resolve("plan.json")));
        for (int partition = 0; partition < 3; partition++) {
            TopicPartition tp = new TopicPartition("moving", partition);
            PartitionState state = cluster.node(1).image().partition("moving", partition).orElseThrow();
            assertThat(state.replicas()).as("replicas of %s", tp).isEqualTo(target.get(tp));
            assertThat(state.isReassigning()).isFalse();
            assertThat(state.replicas()).contains(3).doesNotContain(0);
            ReplicaLogs.assertSameAsLeader(cluster, tp, state.replicas());
        }
        assertThat(admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(logDirs(0, "moving"))
                .as("broker 0's copies deleted, directories and all").isEmpty());
    }

    @Test
    void aMoveToAStoppedBrokerStaysInProgressShowsInMetadataAsInKafkaAndTheToolCancelsIt() throws Exception {
        admin.createTopics(List.of(new NewTopic("stuck", Map.of(0, List.of(0, 1, 2))))).all().get(30, TimeUnit.SECONDS);
        awaitEveryBrokerKnows("stuck", 1);
        TopicPartition tp = new TopicPartition("stuck", 0);
        cluster.node(3).stop();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> cluster.node(0).image().brokers().get(3).fenced());
            // The tool refuses to execute a plan naming a broker that is not live; AdminClient does not ask.
            admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(3, 1, 2)))))
                    .all().get(30, TimeUnit.SECONDS);

            // Each broker answers from its own replica of the metadata: wait until the one asked has applied the move.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                PartitionReassignment ongoing = admin.listPartitionReassignments(Set.of(tp)).reassignments()
                        .get(30, TimeUnit.SECONDS).get(tp);
                assertThat(ongoing).isNotNull();
                assertThat(ongoing.replicas()).containsExactly(3, 1, 2, 0);
                assertThat(ongoing.addingReplicas()).containsExactly(3);
                assertThat(ongoing.removingReplicas()).containsExactly(0);
                TopicDescription described = admin.describeTopics(List.of("stuck")).allTopicNames()
                        .get(30, TimeUnit.SECONDS).get("stuck");
                assertThat(described.partitions().get(0).replicas()).extracting(Node::id).containsExactly(3, 1, 2, 0);
                assertThat(described.partitions().get(0).isr()).extracting(Node::id).containsExactlyInAnyOrder(0, 1, 2);
            });

            Path plan = dir.resolve("stuck.json");
            Files.writeString(plan, "{\"version\":1,\"partitions\":[{\"topic\":\"stuck\",\"partition\":0,"
                    + "\"replicas\":[3,1,2],\"log_dirs\":[\"any\",\"any\",\"any\"]}]}");
            assertThat(KafkaTools.reassignPartitions("--bootstrap-server", cluster.bootstrapServers(), "--verify",
                    "--reassignment-json-file", plan.toString()).output())
                    .contains("Reassignment of partition stuck-0 is still in progress.");
            // After cancelling, the tool clears the throttles of every broker in the plan, the stopped one too,
            // which waits for it until the Admin call times out, as against Kafka: 5 s instead of a minute.
            Path impatient = dir.resolve("impatient.properties");
            Files.writeString(impatient, "default.api.timeout.ms=5000\nrequest.timeout.ms=5000\n");
            KafkaTools.Run cancelled = KafkaTools.reassignPartitions("--bootstrap-server",
                    cluster.bootstrapServers(), "--command-config", impatient.toString(), "--cancel",
                    "--reassignment-json-file", plan.toString());
            assertThat(cancelled.output()).contains("Successfully cancelled partition reassignment for: stuck-0");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS)).isEmpty();
                PartitionState reverted = cluster.node(0).image().partition("stuck", 0).orElseThrow();
                assertThat(reverted.replicas()).as("Kafka's revert keeps the order the move gave").containsExactly(1, 2, 0);
                assertThat(reverted.isReassigning()).isFalse();
            });
            assertThat(causeOf(() -> admin.alterPartitionReassignments(Map.of(tp, Optional.empty())).all()
                    .get(30, TimeUnit.SECONDS))).isInstanceOf(NoReassignmentInProgressException.class);
        } finally {
            cluster.node(3).start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.node(0).image().brokers().get(3).fenced());
        assertThat(logDirs(3, "stuck")).as("never a replica there").isEmpty();
    }

    @Test
    void badTargetsGetKafkasErrorsThroughAdminClientAndChangeNothing() throws Exception {
        admin.createTopics(List.of(new NewTopic("steady", Map.of(0, List.of(0, 1, 2))))).all().get(30, TimeUnit.SECONDS);
        awaitEveryBrokerKnows("steady", 1);
        TopicPartition tp = new TopicPartition("steady", 0);
        PartitionState before = cluster.node(0).image().partition("steady", 0).orElseThrow();

        assertThat(causeOf(() -> reassign(tp, List.of(0, 1, 9), true))).isInstanceOf(InvalidReplicaAssignmentException.class)
                .hasMessageContaining("includes broker 9, but no such broker is registered");
        assertThat(causeOf(() -> reassign(tp, List.of(0, 1, 1), true))).isInstanceOf(InvalidReplicaAssignmentException.class)
                .hasMessageContaining("includes the broker 1 more than once");
        assertThat(causeOf(() -> reassign(tp, List.of(0, 1, 2, 3), false)))
                .isInstanceOf(InvalidReplicationFactorException.class)
                .hasMessage("The replication factor is changed from 3 to 4");
        assertThat(causeOf(() -> reassign(new TopicPartition("steady", 4), List.of(0), true)))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(causeOf(() -> reassign(new TopicPartition("nowhere", 0), List.of(0), true)))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(causeOf(() -> admin.createTopics(List.of(new NewTopic("misplaced", Map.of(0, List.of(0, 7)))))
                .all().get(30, TimeUnit.SECONDS))).isInstanceOf(InvalidReplicaAssignmentException.class);

        Path plan = dir.resolve("unknown.json");
        Files.writeString(plan, "{\"version\":1,\"partitions\":[{\"topic\":\"steady\",\"partition\":0,"
                + "\"replicas\":[0,1,9]}]}");
        KafkaTools.Run refused = KafkaTools.reassignPartitions("--bootstrap-server", cluster.bootstrapServers(),
                "--execute", "--reassignment-json-file", plan.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output()).contains("Unknown broker id 9");

        for (int node = 0; node < 4; node++) {
            assertThat(cluster.node(node).image().partition("steady", 0)).as("on broker %d", node).contains(before);
            assertThat(cluster.node(node).image().topics()).doesNotContainKey("misplaced");
        }
    }

    /** Writes {@code records} records of 1 KB to each partition, so that a new replica has something to catch up on. */
    private static void fill(String topic, int partitions, int records) throws Exception {
        byte[] value = new byte[1024];
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (int i = 0; i < records; i++) {
                for (int partition = 0; partition < partitions; partition++) {
                    sent.add(producer.send(new ProducerRecord<>(topic, partition, "fill", value)));
                }
            }
            producer.flush();
            for (java.util.concurrent.Future<?> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static void reassign(TopicPartition tp, List<Integer> target, boolean allowReplicationFactorChange)
            throws Exception {
        admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(target))),
                new AlterPartitionReassignmentsOptions().allowReplicationFactorChange(allowReplicationFactorChange))
                .all().get(30, TimeUnit.SECONDS);
    }

    private static void awaitEveryBrokerKnows(String topic, int partitions) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int node = 0; node < 4; node++) {
                if (cluster.node(node).isRunning()
                        && cluster.node(node).image().partition(topic, partitions - 1).isEmpty()) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The directories (live or being deleted) a broker holds for a topic's partitions. */
    private static List<Path> logDirs(int node, String topic) throws Exception {
        try (Stream<Path> files = Files.list(cluster.node(node).dataDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(topic + "-")).toList();
        }
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Throwable causeOf(Call call) throws Exception {
        try {
            call.run();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    private String brokerConfig(int broker, String name) throws Exception {
        return admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker))))
                .all().get(30, TimeUnit.SECONDS).values().iterator().next().get(name).value();
    }
}
