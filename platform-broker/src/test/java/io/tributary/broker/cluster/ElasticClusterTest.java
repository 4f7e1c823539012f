package io.tributary.broker.cluster;

import io.tributary.broker.compat.KafkaTools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import io.tributary.broker.compat.RawKafkaClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.RaftVoterEndpoint;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A cluster that grows and shrinks, with every broker in a JVM of its own, under an idempotent
 * acks=all load on a topic of six partitions (replication factor 3, {@code min.insync.replicas=2})
 * from start to end: three voters; a fourth and a fifth broker join as brokers only; Kafka's
 * {@code kafka-reassign-partitions} (generate, execute with a throttle, verify) spreads the topic over
 * all five, and the leader of a partition gaining a replica is killed -9 in the middle of that move
 * and started again, yet the move completes; then one of the original brokers is drained through the
 * admin API, stopped and unregistered.
 *
 * <p>The retired broker is one of the three voters, since retiring an original broker is what an
 * operator replacing hardware does, and leaving it a voter would leave a quorum of three in which a
 * dead member counts (one more failure and no metadata change goes through). So, as
 * docs/cluster.md says to, the fourth broker is first promoted to voter (AddRaftVoter: four voters),
 * and the retiring one leaves the quorum (RemoveRaftVoter) before it stops: three voters at all
 * times, one of them a broker that joined as a broker only. The victim of the kill is a different
 * original broker, so that the drain and the crash recovery are each seen on their own.
 *
 * <p>Checks: every acknowledged record read back exactly once, in order, per partition; every broker
 * left answers Metadata identically (leaders, leader epochs, replicas, ISR, brokers, controller), with
 * no partition under-replicated; each replica's segment files hold its leader's batches exactly;
 * nothing of the topic is left in the retired broker's data directory.
 */
// Every wait inside is bounded; this caps the whole. Five JVMs on two slow cores take 150-180 s (two brokers
// starting at once take a minute of it), which a 180 s cap left no room for.
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ElasticClusterTest {

    private static final String TOPIC = "elastic";
    private static final int PARTITIONS = 6;
    /** 1 MB of records of 1 KB in each partition before the load starts, for every new replica to copy. */
    private static final int FILL_RECORDS = 1_000;
    /**
     * 500 KB/s for each broker's followers and leaders: a new replica takes seconds to copy its megabyte or
     * more, so the moves are still going on when the leader dies, and are over within seconds after.
     */
    private static final String THROTTLE = "500000";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private ProcessCluster brokers;
    private final long started = System.nanoTime();

    @AfterEach
    void stopBrokers() throws InterruptedException {
        if (brokers != null) {
            brokers.close();
        }
    }

    @Test
    void brokersJoinTakeReplicasThroughAKilledLeaderAndAnOriginalOneRetiresLosingNothing() throws Exception {
        brokers = ProcessCluster.start(dir);
        progress("three voters started");
        String originals = brokers.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, originals,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                "metadata.max.age.ms", 1_000))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            fill(originals);
            AckedLoad load = new AckedLoad(originals, TOPIC, PARTITIONS);
            int retiring = -1;
            try {
                load.awaitMoreAcks(50, Duration.ofSeconds(60));
                join(admin);
                progress("brokers 3 and 4 joined");
                int victim = spreadOverTheNewcomersKillingALeaderMidMove(admin, load);
                progress("the topic spread over five brokers");
                retiring = victim == 0 ? 1 : 0;
                retire(admin, retiring);
                progress("broker " + retiring + " retired");
                load.awaitMoreAcks(50, Duration.ofSeconds(60));
            } finally {
                load.stopAndVerify(brokers.bootstrapServers());
            }

            int retired = retiring;
            List<Integer> remaining = IntStream.range(0, 5).filter(id -> id != retired).boxed().toList();
            Served served = awaitSameMetadata(remaining);
            assertThat(served.brokers()).as("brokers in Metadata").hasSize(4).noneMatch(b -> b.startsWith(retired + "@"));
            List<Integer> holders = served.partitions().stream().flatMap(p -> p.replicaNodes().stream()).distinct().toList();
            assertThat(holders).as("brokers holding replicas").contains(3, 4).doesNotContain(retired);
            for (MetadataResponsePartition partition : served.partitions()) {
                assertSameLogsOnDisk(new TopicPartition(TOPIC, partition.partitionIndex()), partition.leaderId(),
                        partition.replicaNodes());
            }
            assertThat(logDirs(retired)).as("nothing of the topic left on the retired broker").isEmpty();
        }
        progress("checked");
    }

    private void progress(String step) {
        System.out.printf("ElasticClusterTest, %d s: %s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), step);
    }

    /** Brokers 3 and 4 join as brokers only (observers of the quorum) and serve the voters' metadata. */
    private void join(Admin admin) {
        brokers.addBrokers(3, 4);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(admin.describeCluster().nodes().get(10, TimeUnit.SECONDS)).extracting(Node::id)
                    .containsExactlyInAnyOrder(0, 1, 2, 3, 4);
            QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS);
            assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(quorum.observers()).extracting(QuorumInfo.ReplicaState::replicaId).contains(3, 4);
        });
        awaitSameMetadata(List.of(0, 1, 2, 3, 4));
    }

    /**
     * Kafka's tool spreads the topic over all five brokers with a throttle; while it copies, the leader
     * of a partition gaining a replica is killed -9, and started again. Returns the victim's id.
     */
    private int spreadOverTheNewcomersKillingALeaderMidMove(Admin admin, AckedLoad load) throws Exception {
        String all = brokers.bootstrapServers();
        Path topics = dir.resolve("topics-to-move.json");
        Files.writeString(topics, "{\"version\":1,\"topics\":[{\"topic\":\"" + TOPIC + "\"}]}");
        String plan = ReassignmentPlans.proposal(KafkaTools.reassignPartitions("--bootstrap-server", all, "--generate",
                "--topics-to-move-json-file", topics.toString(), "--broker-list", "0,1,2,3,4").output());
        Map<TopicPartition, List<Integer>> target = ReassignmentPlans.replicas(plan);
        assertThat(target.values().stream().flatMap(List::stream)).as("the proposal").contains(3, 4);
        Path planFile = dir.resolve("plan.json");
        Files.writeString(planFile, plan);
        assertThat(KafkaTools.reassignPartitions("--bootstrap-server", all, "--execute", "--throttle", THROTTLE,
                "--reassignment-json-file", planFile.toString()).output())
                .contains("Successfully started partition reassignments");

        Map<TopicPartition, PartitionReassignment> ongoing = await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.listPartitionReassignments().reassignments().get(10, TimeUnit.SECONDS),
                        moves -> moves.values().stream().anyMatch(move -> !move.addingReplicas().isEmpty()));
        TopicPartition moving = ongoing.entrySet().stream().filter(move -> !move.getValue().addingReplicas().isEmpty())
                .map(Map.Entry::getKey).min(Comparator.comparingInt(TopicPartition::partition)).orElseThrow();
        int victim = partitions(admin).get(moving.partition()).leader().id();
        long killedAt = System.nanoTime();
        brokers.broker(victim).kill();
        // Its followers can no longer fetch from it, so nothing can have completed the move since it was listed.
        assertThat(admin.listPartitionReassignments(Set.of(moving)).reassignments().get(30, TimeUnit.SECONDS))
                .as("%s still moving after the kill of its leader %d", moving, victim).containsKey(moving);
        load.awaitMoreAcks(50, Duration.ofSeconds(60));
        System.out.printf("kill -9 of broker %d, leader of %s in the middle of its move: longest time without an acks=all "
                + "acknowledgement %d ms%n", victim, moving, load.longestGapMsSince(killedAt));
        brokers.broker(victim).start();
        progress("broker " + victim + " restarted");

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String verified = KafkaTools.reassignPartitions("--bootstrap-server", all, "--verify",
                    "--reassignment-json-file", planFile.toString()).output();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                assertThat(verified).contains("Reassignment of partition " + TOPIC + "-" + partition + " is completed.");
            }
            assertThat(verified).contains("Clearing topic-level throttles on topic " + TOPIC);
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (TopicPartitionInfo partition : partitions(admin)) {
                assertThat(partition.replicas()).extracting(Node::id).as("replicas of partition %d", partition.partition())
                        .isEqualTo(target.get(new TopicPartition(TOPIC, partition.partition())));
            }
        });
        return victim;
    }

    /**
     * Retires {@code retiring}, an original voter: broker 3 becomes a voter, the drain moves every replica
     * off {@code retiring}, which then leaves the quorum, stops, and is unregistered.
     */
    private void retire(Admin admin, int retiring) throws Exception {
        Uuid newcomerDirectory = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).observers().stream()
                .filter(observer -> observer.replicaId() == 3).findFirst().orElseThrow().replicaDirectoryId();
        admin.addRaftVoter(3, newcomerDirectory, Set.of(new RaftVoterEndpoint("RAFT", "127.0.0.1", brokers.raftPort(3))))
                .all().get(60, TimeUnit.SECONDS);
        awaitVoters(admin, 0, 1, 2, 3);

        HttpResponse<String> drained = send("POST", 3, "/api/brokers/" + retiring + "/drain");
        assertThat(drained.statusCode()).as(drained.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode progress = JSON.readTree(send("GET", 4, "/api/brokers/" + retiring + "/drain").body());
            assertThat(progress.path("remaining")).as(progress.toString()).isEmpty();
            assertThat(progress.path("done").asBoolean()).isTrue();
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(logDirs(retiring))
                .as("the drained broker's copies deleted").isEmpty());

        Uuid retiringDirectory = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).voters().stream()
                .filter(voter -> voter.replicaId() == retiring).findFirst().orElseThrow().replicaDirectoryId();
        admin.removeRaftVoter(retiring, retiringDirectory).all().get(60, TimeUnit.SECONDS);
        awaitVoters(admin, IntStream.of(0, 1, 2, 3).filter(id -> id != retiring).toArray());

        brokers.broker(retiring).close();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(brokersSeen(admin))
                .filteredOn(node -> node.id() == retiring).singleElement().matches(Node::isFenced, "fenced"));
        for (TopicPartitionInfo partition : partitions(admin)) {
            assertThat(partition.isr()).as("ISR of partition %d once the drained broker stopped", partition.partition())
                    .hasSameSizeAs(partition.replicas());
        }
        HttpResponse<String> unregistered = send("DELETE", 4, "/api/brokers/" + retiring);
        assertThat(unregistered.statusCode()).as(unregistered.body()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(brokersSeen(admin)).extracting(Node::id)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 5).filter(id -> id != retiring).boxed().toList()));
    }

    /** What a broker's Metadata answer says of the cluster and the topic; partitions by index. */
    private record Served(String clusterId, int controller, List<String> brokers, List<MetadataResponsePartition> partitions) {
    }

    /** Waits until {@code nodes} answer Metadata identically and no partition is under-replicated. */
    private Served awaitSameMetadata(List<Integer> nodes) {
        AtomicReference<Served> agreed = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Served reference = metadataFrom(nodes.get(0));
            for (int node : nodes) {
                assertThat(metadataFrom(node)).as("Metadata from broker %d", node).isEqualTo(reference);
            }
            for (MetadataResponsePartition partition : reference.partitions()) {
                assertThat(partition.isrNodes()).as("ISR of %s", partition)
                        .containsExactlyInAnyOrderElementsOf(partition.replicaNodes());
                assertThat(partition.offlineReplicas()).isEmpty();
            }
            agreed.set(reference);
        });
        return agreed.get();
    }

    private Served metadataFrom(int node) {
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", brokers.broker(node).port())) {
            MetadataResponse response = client.call(new MetadataRequest.Builder(List.of(TOPIC), false)
                    .build(ApiKeys.METADATA.latestVersion()));
            MetadataResponseData data = response.data();
            List<String> nodes = data.brokers().stream().map(b -> b.nodeId() + "@" + b.host() + ":" + b.port() + "/" + b.rack())
                    .sorted().toList();
            List<MetadataResponsePartition> partitions = data.topics().find(TOPIC).partitions().stream()
                    .sorted(Comparator.comparingInt(MetadataResponsePartition::partitionIndex)).toList();
            return new Served(data.clusterId(), data.controllerId(), nodes, partitions);
        }
    }

    /** Waits until each replica's segment files hold exactly the leader's batches. */
    private void assertSameLogsOnDisk(TopicPartition tp, int leader, List<Integer> replicas) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> leaderBatches = ReplicaLogs.batchesOnDisk(brokers.broker(leader).dataDir(), tp);
            assertThat(leaderBatches).as("batches of %s on its leader %d", tp, leader).isNotEmpty();
            for (int replica : replicas) {
                assertThat(ReplicaLogs.batchesOnDisk(brokers.broker(replica).dataDir(), tp))
                        .as("batches of %s on broker %d", tp, replica).isEqualTo(leaderBatches);
            }
        });
    }

    private static void awaitVoters(Admin admin, int... voters) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.describeMetadataQuorum().quorumInfo()
                .get(10, TimeUnit.SECONDS).voters()).extracting(QuorumInfo.ReplicaState::replicaId)
                .containsExactlyInAnyOrderElementsOf(IntStream.of(voters).boxed().toList()));
    }

    private static List<TopicPartitionInfo> partitions(Admin admin) throws Exception {
        TopicDescription topic = admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
        return topic.partitions();
    }

    private static List<Node> brokersSeen(Admin admin) throws Exception {
        return List.copyOf(admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes()
                .get(10, TimeUnit.SECONDS));
    }

    private static void fill(String bootstrap) throws Exception {
        byte[] value = new byte[1024];
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < FILL_RECORDS; i++) {
                for (int partition = 0; partition < PARTITIONS; partition++) {
                    sent.add(producer.send(new ProducerRecord<>(TOPIC, partition, "fill", value)));
                }
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The directories (live or being deleted) a broker holds for the topic's partitions. */
    private List<Path> logDirs(int node) throws IOException {
        try (Stream<Path> files = Files.list(brokers.broker(node).dataDir())) {
            return files.filter(f -> f.getFileName().toString().startsWith(TOPIC + "-")).toList();
        }
    }

    private HttpResponse<String> send(String method, int broker, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + brokers.broker(broker).httpPort() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
