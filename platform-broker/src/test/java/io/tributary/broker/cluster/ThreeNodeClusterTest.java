package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.tributary.broker.compat.RawKafkaClient;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers on loopback, one metadata quorum: topics created anywhere are served everywhere,
 * clients find the leaders from any broker, and leaderships move off a stopped broker and back
 * when it returns (once it caught up and rejoined the ISR). Data replication itself: {@link ReplicationTest}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreeNodeClusterTest {

    @TempDir
    static Path dir;

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        // A low threshold, so that the few commands of these tests are snapshotted.
        cluster = LocalCluster.start(dir, 3, "--tributary.cluster.snapshot-threshold=5",
                "--tributary.broker.group.initial-rebalance-delay=0s");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTopicCreatedThroughOneBrokerIsServedByEveryBrokerWithTheSameLeaders() throws Exception {
        try (Admin admin = admin(cluster.node(0).bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        List<Map<Integer, Integer>> leadersSeen = new ArrayList<>();
        for (int node = 0; node < 3; node++) {
            try (Admin admin = admin(cluster.node(node).bootstrapServers())) {
                TopicDescription topic = admin.describeTopics(List.of("orders")).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get("orders");
                Map<Integer, Integer> leaders = new HashMap<>();
                for (TopicPartitionInfo partition : topic.partitions()) {
                    assertThat(partition.replicas()).extracting(Node::id).containsExactlyInAnyOrder(0, 1, 2);
                    assertThat(partition.isr()).hasSize(3);
                    leaders.put(partition.partition(), partition.leader().id());
                }
                leadersSeen.add(leaders);
                DescribeClusterResult described = admin.describeCluster();
                assertThat(described.nodes().get(30, TimeUnit.SECONDS)).extracting(Node::id).containsExactlyInAnyOrder(0, 1, 2);
                assertThat(described.controller().get(30, TimeUnit.SECONDS).id()).isBetween(0, 2);
            }
        }
        assertThat(leadersSeen.get(0).values()).as("one leader per broker").containsExactlyInAnyOrder(0, 1, 2);
        assertThat(leadersSeen).allSatisfy(leaders -> assertThat(leaders).isEqualTo(leadersSeen.get(0)));
    }

    @Test
    void clientsReachEveryPartitionsLeaderThroughAnyBootstrapBroker() throws Exception {
        try (Admin admin = admin(cluster.node(1).bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("routed", 3, (short) 2))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer(cluster.node(1).bootstrapServers())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>("routed", i % 3, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        List<TopicPartition> partitions = List.of(new TopicPartition("routed", 0), new TopicPartition("routed", 1),
                new TopicPartition("routed", 2));
        try (KafkaConsumer<String, String> consumer = consumer(cluster.node(2).bootstrapServers())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                return values.size() >= 30;
            });
            assertThat(values).hasSize(30).contains("v0", "v29");
        }
        // A broker that holds a replica but does not lead sends consumers older than fetch v11 to the leader;
        // newer ones, which send their client metadata, may read from it (Kafka's rule, KIP-392).
        PartitionState state = cluster.node(0).image().partition("routed", 0).orElseThrow();
        int follower = state.replicas().stream().filter(r -> r != state.leader()).findFirst().orElseThrow();
        assertThat(fetchError(follower, "routed", 0, -1, (short) 10)).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        assertThat(fetchError(follower, "routed", 0, -1)).isEqualTo(Errors.NONE);
        assertThat(fetchError(state.leader(), "routed", 0, -1, (short) 10)).isEqualTo(Errors.NONE);
        assertThat(fetchError(state.leader(), "routed", 0, -1)).isEqualTo(Errors.NONE);
    }

    @Test
    void aConsumerGroupIsCoordinatedByTheLeaderOfItsOffsetsPartition() throws Exception {
        try (Admin admin = admin(cluster.node(2).bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("grouped", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer(cluster.node(2).bootstrapServers())) {
            for (int i = 0; i < 9; i++) {
                producer.send(new ProducerRecord<>("grouped", i % 3, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        Map<String, Object> group = Map.of(ConsumerConfig.GROUP_ID_CONFIG, "billing",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = consumer(cluster.node(0).bootstrapServers(), group)) {
            consumer.subscribe(List.of("grouped"));
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                return values.size() >= 9;
            });
            consumer.commitSync(Duration.ofSeconds(10));
            assertThat(values).hasSize(9);
        }
    }

    @Test
    void aStoppedBrokersLeadershipsMoveInANewEpochAndComeBackWhenItReturns() throws Exception {
        int victim = 1;
        try (Admin admin = admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("failover", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
        }
        MetadataImage before = cluster.node(0).image();
        int led = partitionLedBy(before, "failover", victim);
        assertThat(before.partition("failover", led).orElseThrow().leaderEpoch()).isZero();
        assertThat(snapshotsIn(cluster.node(victim).dataDir)).as("snapshots of the metadata").isNotEmpty();

        try (KafkaProducer<String, String> producer = producer(cluster.bootstrapServers())) {
            producer.send(new ProducerRecord<>("failover", led, "k", "before")).get(30, TimeUnit.SECONDS);

            cluster.node(victim).stop();
            int survivor = victim == 0 ? 2 : 0;
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                PartitionState moved = cluster.node(survivor).image().partition("failover", led).orElseThrow();
                assertThat(moved.leader()).isNotIn(victim, PartitionState.NO_LEADER);
                assertThat(moved.leaderEpoch()).isEqualTo(1);
                assertThat(moved.isr()).doesNotContain(victim);
            });
            int newLeader = cluster.node(survivor).image().partition("failover", led).orElseThrow().leader();

            // The producer learns the new leader and goes on; the record lands on the new leader's log.
            var metadata = producer.send(new ProducerRecord<>("failover", led, "k", "after")).get(30, TimeUnit.SECONDS);
            assertThat(metadata.partition()).isEqualTo(led);
            assertThat(fetchError(newLeader, "failover", led, 0)).isEqualTo(Errors.FENCED_LEADER_EPOCH);
            assertThat(fetchError(newLeader, "failover", led, 1)).isEqualTo(Errors.NONE);

            cluster.node(victim).start();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (int node = 0; node < 3; node++) {
                    PartitionState back = cluster.node(node).image().partition("failover", led).orElseThrow();
                    assertThat(back.leader()).as("preferred leader on node %d", node).isEqualTo(victim);
                    assertThat(back.leaderEpoch()).isEqualTo(2);
                    assertThat(back.isr()).contains(victim);
                }
            });
            // The restarted broker recovered the metadata from its snapshot and log, and leads again.
            assertThat(cluster.node(victim).image().topic("failover")).isPresent();
            assertThat(fetchError(victim, "failover", led, 2)).isEqualTo(Errors.NONE);
            producer.send(new ProducerRecord<>("failover", led, "k", "back")).get(30, TimeUnit.SECONDS);
        }
    }

    private static int partitionLedBy(MetadataImage image, String topic, int broker) {
        List<PartitionState> partitions = image.topic(topic).orElseThrow().partitions();
        for (int index = 0; index < partitions.size(); index++) {
            if (partitions.get(index).leader() == broker) {
                return index;
            }
        }
        throw new AssertionError("Broker " + broker + " leads no partition of " + topic);
    }

    private static List<Path> snapshotsIn(Path dataDir) throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.resolve(".raft"))) {
            return files.filter(f -> f.getFileName().toString().matches("snapshot\\.\\d+_\\d+")).toList();
        }
    }

    /** The error of a Fetch of one partition sent straight to {@code broker}, claiming {@code leaderEpoch}. */
    private static Errors fetchError(int broker, String topic, int partition, int leaderEpoch) {
        return fetchError(broker, topic, partition, leaderEpoch, ApiKeys.FETCH.latestVersion());
    }

    private static Errors fetchError(int broker, String topic, int partition, int leaderEpoch, short version) {
        Uuid topicId = cluster.node(0).image().topic(topic).orElseThrow().info().id();
        Map<TopicPartition, FetchRequest.PartitionData> fetch = new LinkedHashMap<>();
        fetch.put(new TopicPartition(topic, partition), new FetchRequest.PartitionData(topicId, 0, -1, 1 << 20,
                leaderEpoch < 0 ? Optional.empty() : Optional.of(leaderEpoch)));
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", cluster.node(broker).kafkaPort)) {
            FetchResponse response = client.call(FetchRequest.Builder.forConsumer(version, 0, 0, fetch).build(version));
            return Errors.forCode(response.data().responses().get(0).partitions().get(0).errorCode());
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    private static KafkaProducer<String, String> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.LINGER_MS_CONFIG, 0, "metadata.max.age.ms", 1_000),
                new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrapServers) {
        return consumer(bootstrapServers, Map.of());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrapServers, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        config.putAll(overrides);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
