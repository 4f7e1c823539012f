package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.broker.cluster.balancer.BalancePlanner;
import io.tributary.broker.cluster.raft.RaftMetadataQuorum;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.ThrottledReplicas;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The self-balancer under an idempotent acks=all load: a fourth broker joins a cluster whose topics live
 * on three (one of them led by a single broker), and the controller moves replicas and preferred leaders
 * onto it until every broker carries its share — at most five partitions moving at once, throttled, never
 * a partition below {@code min.insync.replicas} — and every acknowledged record is read back once, in
 * order. Afterwards every throttle it set is gone and the operator's own rate is as it was.
 *
 * <p>The balancer's interval is ten minutes, longer than the test: the rounds that do the work are those
 * the broker joining and the moves finishing start.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SelfBalancingTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String TOPIC = "ledger";
    private static final String SKEWED = "skewed";
    private static final int PARTITIONS = 6;
    private static final int MIN_INSYNC = 2;
    private static final int JOINING = 3;
    private static final String RATE = Long.toString(1024 * 1024);
    private static final String OPERATOR_FOLLOWER_RATE = Long.toString(100L * 1024 * 1024);

    @TempDir
    Path dir;

    private LocalCluster cluster;
    private Admin admin;

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aJoiningBrokerGetsItsShareOfReplicasAndLeadersWithoutAnyPartitionBelowMinInsync() throws Exception {
        cluster = LocalCluster.startWithHttp(dir, 4, "--tributary.cluster.balancer.enabled=true",
                "--tributary.cluster.balancer.interval=10m", "--tributary.cluster.balancer.throttle-rate=1MB");
        cluster.node(JOINING).stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.node(0).image().brokers().get(JOINING).fenced());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        // An operator's own follower rate, which the balancer must leave as it is.
        ConfigResource defaults = new ConfigResource(ConfigResource.Type.BROKER, "");
        admin.incrementalAlterConfigs(Map.of(defaults, List.of(new AlterConfigOp(
                new ConfigEntry("follower.replication.throttled.rate", OPERATOR_FOLLOWER_RATE), AlterConfigOp.OpType.SET))))
                .all().get(30, TimeUnit.SECONDS);
        Map<String, String> minInsync = Map.of("min.insync.replicas", Integer.toString(MIN_INSYNC));
        // A second topic led by broker 0 alone: evening the leaders out takes reorders, and the moves more
        // than one round of at most max-concurrent-moves.
        admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3).configs(minInsync),
                new NewTopic(SKEWED, Map.of(0, List.of(0, 1, 2), 1, List.of(0, 2, 1), 2, List.of(0, 1, 2))).configs(minInsync)))
                .all().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.node(0).image().topic(TOPIC).isPresent()
                && cluster.node(0).image().topic(SKEWED).isPresent());

        // Every metadata change broker 0 applies: the smallest ISR each partition ever had, the most partitions
        // moving at once, and the throttles.
        Map<String, Integer> smallestIsr = new ConcurrentHashMap<>();
        AtomicInteger mostMoving = new AtomicInteger();
        AtomicBoolean throttledReplicasSeen = new AtomicBoolean();
        AtomicBoolean rateSeen = new AtomicBoolean();
        AtomicBoolean operatorRateChanged = new AtomicBoolean();
        cluster.node(0).bean(RaftMetadataQuorum.class).onChange(image -> {
            int moving = 0;
            for (String name : List.of(TOPIC, SKEWED)) {
                TopicState topic = image.topics().get(name);
                for (int p = 0; p < topic.partitions().size(); p++) {
                    smallestIsr.merge(name + "-" + p, topic.partitions().get(p).isr().size(), Math::min);
                    moving += topic.partitions().get(p).isReassigning() ? 1 : 0;
                }
                Map<String, String> configs = topic.info().configs();
                throttledReplicasSeen.compareAndSet(false, configs.containsKey(ThrottledReplicas.LEADER_CONFIG)
                        && configs.containsKey(ThrottledReplicas.FOLLOWER_CONFIG));
            }
            mostMoving.accumulateAndGet(moving, Math::max);
            Map<String, String> rates = image.brokerConfigs().clusterDefault();
            rateSeen.compareAndSet(false, RATE.equals(rates.get("leader.replication.throttled.rate")));
            operatorRateChanged.compareAndSet(false, !OPERATOR_FOLLOWER_RATE.equals(rates.get("follower.replication.throttled.rate")));
        });

        AckedLoad load = new AckedLoad(cluster.bootstrapServers(), TOPIC, PARTITIONS);
        Map<Integer, Integer> replicasBefore;
        Map<Integer, Integer> leadersBefore;
        long joined;
        try {
            load.awaitMoreAcks(200, Duration.ofSeconds(30));
            replicasBefore = new TreeMap<>(BalancePlanner.replicaCounts(cluster.node(0).image()));
            leadersBefore = new TreeMap<>(BalancePlanner.leaderCounts(cluster.node(0).image()));
            assertThat(replicasBefore).as("on the three live brokers").containsOnlyKeys(0, 1, 2);
            replicasBefore.put(JOINING, 0);
            leadersBefore.put(JOINING, 0);
            cluster.node(JOINING).start();
            joined = System.nanoTime();

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                MetadataImage image = cluster.node(0).image();
                assertThat(BalancePlanner.spread(BalancePlanner.replicaCounts(image))).as("replicas %s",
                        BalancePlanner.replicaCounts(image)).isLessThanOrEqualTo(1);
                assertThat(BalancePlanner.spread(BalancePlanner.leaderCounts(image))).as("preferred leaders %s",
                        BalancePlanner.leaderCounts(image)).isLessThanOrEqualTo(1);
                for (String name : List.of(TOPIC, SKEWED)) {
                    for (PartitionState state : image.topic(name).orElseThrow().partitions()) {
                        assertThat(state.isReassigning()).as("%s", state).isFalse();
                        assertThat(state.leader()).as("the preferred replica leads %s", state).isEqualTo(state.preferredLeader());
                    }
                }
            });
            // The last moves finishing start the round that takes the throttles back.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                MetadataImage image = cluster.node(0).image();
                assertThat(image.topic(TOPIC).orElseThrow().info().configs()).isEqualTo(minInsync);
                assertThat(image.topic(SKEWED).orElseThrow().info().configs()).isEqualTo(minInsync);
                assertThat(image.brokerConfigs().clusterDefault()).isEqualTo(Map.of("follower.replication.throttled.rate",
                        OPERATOR_FOLLOWER_RATE));
            });
            load.awaitMoreAcks(200, Duration.ofSeconds(45));
        } finally {
            load.stopAndVerify(cluster.bootstrapServers());
        }
        MetadataImage after = cluster.node(0).image();
        Map<Integer, Long> actualLeaders = new TreeMap<>(after.leaderCounts());
        System.out.printf("Self-balancer, broker %d joining 9 partitions x RF 3 (6 under acks=all load): replicas per broker"
                + " %s -> %s, preferred leaders %s -> %s, leaders %s; smallest ISR seen per partition %s; at most %d moving at"
                + " once; balanced in %d ms; longest time without an acknowledgement %d ms%n", JOINING, replicasBefore,
                BalancePlanner.replicaCounts(after), leadersBefore, BalancePlanner.leaderCounts(after), actualLeaders,
                new TreeMap<>(smallestIsr), mostMoving.get(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joined),
                load.longestGapMsSince(joined));

        assertThat(smallestIsr).hasSize(PARTITIONS + 3).allSatisfy((partition, isr) ->
                assertThat(isr).as("smallest ISR of %s", partition).isGreaterThanOrEqualTo(MIN_INSYNC));
        assertThat(mostMoving.get()).as("max-concurrent-moves").isBetween(1, 5);
        assertThat(throttledReplicasSeen).as("the moves were throttled replicas").isTrue();
        assertThat(rateSeen).as("the unset leader rate was set while moves were in flight").isTrue();
        assertThat(operatorRateChanged).as("the operator's follower rate was left alone").isFalse();
        assertThat(BalancePlanner.replicaCounts(after).get(JOINING)).isGreaterThanOrEqualTo(6);
        assertThat(BalancePlanner.spread(actualLeaders.entrySet().stream().filter(e -> e.getKey() >= 0)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().intValue()))))
                .as("leaders %s", actualLeaders).isLessThanOrEqualTo(1);
        assertThat(actualLeaders.get(JOINING)).isGreaterThanOrEqualTo(1);
        for (int p = 0; p < PARTITIONS; p++) {
            TopicPartition tp = new TopicPartition(TOPIC, p);
            ReplicaLogs.assertSameAsLeader(cluster, tp, after.partition(TOPIC, p).orElseThrow().replicas());
        }

        int controller = after.brokers().keySet().stream().filter(id -> cluster.node(id).bean(RaftMetadataQuorum.class)
                .leaderId() == id).findFirst().orElseThrow();
        int other = (controller + 1) % 4;
        JsonNode status = getJson(other, "/api/cluster/balancer");
        assertThat(status.path("nodeId").asInt()).as("asked of the controller").isEqualTo(controller);
        assertThat(status.path("controllerId").asInt()).isEqualTo(controller);
        assertThat(status.path("enabled").asBoolean()).isTrue();
        assertThat(status.path("replicaSpread").asInt()).isLessThanOrEqualTo(1);
        assertThat(status.path("leaderSpread").asInt()).isLessThanOrEqualTo(1);
        assertThat(status.path("replicasPerBroker").size()).isEqualTo(4);
        assertThat(status.path("movesInFlight").isEmpty()).isTrue();
        assertThat(status.path("throttleRatesSet").isEmpty()).isTrue();
        assertThat(status.path("lastRound").path("trigger").asString()).isIn("BROKERS_CHANGED", "MOVES_FINISHED");
        assertThat(status.path("settings").path("throttleRate").asLong()).isEqualTo(1024 * 1024);
        MeterRegistry metrics = cluster.node(controller).bean(MeterRegistry.class);
        assertThat(metrics.get("tributary.balancer.moves.started").functionCounter().count())
                .isEqualTo(status.path("movesStarted").asDouble()).isGreaterThanOrEqualTo(6);
        assertThat(metrics.get("tributary.balancer.replica.spread").gauge().value()).isLessThanOrEqualTo(1);
        assertThat(metrics.get("tributary.balancer.leader.spread").gauge().value()).isLessThanOrEqualTo(1);
        assertThat(metrics.get("tributary.balancer.moves.in.flight").gauge().value()).isZero();
    }

    /**
     * Three brokers with as many replicas and preferred leaderships each, but all the data on one: the
     * balancer swaps replicas until every broker holds about as many bytes, and the counts end as even as
     * they began. Nothing written is lost in the moves.
     */
    @Test
    void unevenDiskUseIsEvenedOutBySwappingReplicasWhileTheCountsStayEven() throws Exception {
        cluster = LocalCluster.startWithHttp(dir, 3, "--tributary.cluster.balancer.enabled=true",
                "--tributary.cluster.balancer.interval=2s", "--tributary.cluster.balancer.throttle-rate=50MB",
                "--tributary.cluster.balancer.min-disk-imbalance=256KB");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        // Three replicas on every broker; the heavy ones all on broker 0.
        admin.createTopics(List.of(new NewTopic("heavy", Map.of(0, List.of(0), 1, List.of(0), 2, List.of(0))),
                new NewTopic("light", Map.of(0, List.of(1), 1, List.of(1), 2, List.of(1), 3, List.of(2), 4, List.of(2),
                        5, List.of(2))))).all().get(30, TimeUnit.SECONDS);
        byte[] value = new byte[1024];
        Map<TopicPartition, Integer> written = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer = new org.apache.kafka.clients
                .producer.KafkaProducer<>(Map.of(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        cluster.bootstrapServers(), org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all"),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (int p = 0; p < 3; p++) {
                for (int i = 0; i < 1024; i++) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("heavy", p, null, value));
                }
                written.put(new TopicPartition("heavy", p), 1024);
            }
            for (int p = 0; p < 6; p++) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("light", p, null, value));
                }
                written.put(new TopicPartition("light", p), 10);
            }
            producer.flush();
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            MetadataImage image = cluster.node(0).image();
            for (int broker = 0; broker < 3; broker++) {
                int b = broker;
                assertThat(image.topic("heavy").orElseThrow().partitions().stream().filter(s -> s.replicas().contains(b)))
                        .as("heavy replicas on broker %d: %s", b, image.topic("heavy")).hasSize(1);
            }
            assertThat(BalancePlanner.replicaCounts(image)).isEqualTo(Map.of(0, 3, 1, 3, 2, 3));
            for (String topic : List.of("heavy", "light")) {
                assertThat(image.topic(topic).orElseThrow().partitions()).allSatisfy(state ->
                        assertThat(state.isReassigning()).isFalse());
            }
        });
        MetadataImage after = cluster.node(0).image();
        assertThat(BalancePlanner.spread(BalancePlanner.leaderCounts(after))).isZero();
        Map<TopicPartition, Long> ends = admin.listOffsets(written.keySet().stream().collect(java.util.stream.Collectors
                .toMap(tp -> tp, tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get(30, TimeUnit.SECONDS)
                .entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        written.forEach((tp, count) -> assertThat(ends.get(tp)).as("records in %s", tp).isEqualTo(count.longValue()));
        for (String topic : List.of("heavy", "light")) {
            for (int p = 0; p < after.topic(topic).orElseThrow().partitions().size(); p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                ReplicaLogs.assertSameAsLeader(cluster, tp, after.partition(topic, p).orElseThrow().replicas());
            }
        }

        int controller = cluster.node(0).bean(RaftMetadataQuorum.class).leaderId();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode status = getJson(controller, "/api/cluster/balancer");
            JsonNode bytes = status.path("diskBytesPerBroker");
            assertThat(bytes.size()).as("%s", status).isEqualTo(3);
            long most = Math.max(bytes.path("0").asLong(), Math.max(bytes.path("1").asLong(), bytes.path("2").asLong()));
            long fewest = Math.min(bytes.path("0").asLong(), Math.min(bytes.path("1").asLong(), bytes.path("2").asLong()));
            assertThat(fewest).as("%s", bytes).isGreaterThan(1_000_000L);
            assertThat(most - fewest).as("%s", bytes).isLessThan(256L * 1024);
            assertThat(status.path("settings").path("minDiskImbalance").asLong()).isEqualTo(256L * 1024);
            assertThat(cluster.node(controller).bean(MeterRegistry.class).get("tributary.balancer.disk.spread").gauge()
                    .value()).isLessThan(0.2);
        });
        System.out.printf("Self-balancer, disk use: bytes per broker %s, replicas %s, preferred leaders %s%n",
                getJson(controller, "/api/cluster/balancer").path("diskBytesPerBroker"), BalancePlanner.replicaCounts(after),
                BalancePlanner.leaderCounts(after));
    }

    private JsonNode getJson(int broker, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.node(broker).httpPort + path))
                .timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
