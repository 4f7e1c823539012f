package io.tributary.broker.cluster;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Retiring one broker of four through the admin API while an idempotent acks=all producer writes:
 * the drain moves every replica off it (replication factors kept), it is stopped with no partition
 * under-replicated, then unregistered, after which neither the metadata nor Kafka's DescribeCluster
 * lists it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BrokerDrainTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int RETIRING = 3;

    @TempDir
    static Path dir;

    private static LocalCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.startWithHttp(dir, 4, "--tributary.broker.replica-lag-time-max=2s");
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
    void aDrainedBrokerIsStoppedWithNothingUnderReplicatedAndUnregistered() throws Exception {
        admin.createTopics(List.of(new NewTopic("ledger", 4, (short) 3).configs(Map.of("min.insync.replicas", "2")),
                new NewTopic("single", Map.of(0, List.of(RETIRING), 1, List.of(2))))).all().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.node(0).image().topic("ledger").isPresent()
                && cluster.node(0).image().topic("single").isPresent());
        List<TopicPartition> held = heldBy(RETIRING);

        assertThat(send("POST", 0, "/api/brokers/9/drain").statusCode()).isEqualTo(404);
        AckedLoad load = new AckedLoad(cluster.bootstrapServers(), "ledger", 4);
        try {
            load.awaitMoreAcks(200, Duration.ofSeconds(30));

            HttpResponse<String> drained = send("POST", 0, "/api/brokers/" + RETIRING + "/drain");
            assertThat(drained.statusCode()).as(drained.body()).isEqualTo(202);
            assertThat(drained.headers().firstValue("Location")).hasValueSatisfying(
                    location -> assertThat(location).endsWith("/api/brokers/" + RETIRING + "/drain"));
            JsonNode plan = JSON.readTree(drained.body());
            List<TopicPartition> planned = new ArrayList<>();
            for (JsonNode move : plan.path("moves")) {
                planned.add(new TopicPartition(move.path("topic").asString(), move.path("partition").asInt()));
                assertThat(move.path("error").isNull()).as("move %s", move).isTrue();
                assertThat(ints(move.path("to"))).as("move %s", move).doesNotContain(RETIRING)
                        .hasSameSizeAs(ints(move.path("from"))).doesNotHaveDuplicates();
            }
            assertThat(planned).containsExactlyInAnyOrderElementsOf(held);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonNode progress = JSON.readTree(send("GET", 1, "/api/brokers/" + RETIRING + "/drain").body());
                assertThat(progress.path("remaining")).as(progress.toString()).isEmpty();
                assertThat(progress.path("done").asBoolean()).isTrue();
            });
            load.awaitMoreAcks(200, Duration.ofSeconds(45));
        } finally {
            load.stopAndVerify(cluster.bootstrapServers());
        }
        for (TopicPartition tp : held) {
            PartitionState state = cluster.node(0).image().partition(tp.topic(), tp.partition()).orElseThrow();
            ReplicaLogs.assertSameAsLeader(cluster, tp, state.replicas());
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(logDirs(RETIRING))
                .as("nothing left on the drained broker").isEmpty());

        cluster.node(RETIRING).stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.node(0).image().brokers().get(RETIRING).fenced());
        for (TopicPartition tp : List.of(new TopicPartition("ledger", 0), new TopicPartition("ledger", 1),
                new TopicPartition("ledger", 2), new TopicPartition("ledger", 3), new TopicPartition("single", 0))) {
            PartitionState state = cluster.node(0).image().partition(tp.topic(), tp.partition()).orElseThrow();
            assertThat(state.isUnderReplicated()).as("%s: %s", tp, state).isFalse();
        }
        assertThat(getJson(0, "/api/cluster").path("partitions").path("underReplicated").asInt()).isZero();
        assertThat(describeCluster(true)).extracting(Node::id).contains(RETIRING);

        HttpResponse<String> running = send("DELETE", 0, "/api/brokers/2");
        assertThat(running.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(running.body()).path("kafkaError").asString()).isEqualTo("INVALID_REQUEST");
        assertThat(causeOf(() -> admin.unregisterBroker(2).all().get(30, TimeUnit.SECONDS)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("running");

        assertThat(send("DELETE", 0, "/api/brokers/" + RETIRING).statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int node = 0; node < RETIRING; node++) {
                assertThat(cluster.node(node).image().brokers()).as("broker %d's metadata", node).doesNotContainKey(RETIRING);
            }
            assertThat(describeCluster(true)).extracting(Node::id).containsExactlyInAnyOrder(0, 1, 2);
        });
        List<Integer> listed = new ArrayList<>();
        getJson(1, "/api/cluster").path("brokers").forEach(broker -> listed.add(broker.path("nodeId").asInt()));
        assertThat(listed).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(causeOf(() -> admin.unregisterBroker(RETIRING).all().get(30, TimeUnit.SECONDS)))
                .isInstanceOf(BrokerIdNotRegisteredException.class);
        assertThat(JSON.readTree(send("DELETE", 1, "/api/brokers/" + RETIRING).body()).path("kafkaError").asString())
                .isEqualTo("BROKER_ID_NOT_REGISTERED");
    }

    /** The partitions that have a replica on {@code node}, as broker 0's metadata says. */
    private static List<TopicPartition> heldBy(int node) {
        List<TopicPartition> held = new ArrayList<>();
        for (String topic : List.of("ledger", "single")) {
            cluster.node(0).image().topic(topic).ifPresent(state -> {
                for (int index = 0; index < state.partitions().size(); index++) {
                    if (state.partitions().get(index).replicas().contains(node)) {
                        held.add(new TopicPartition(topic, index));
                    }
                }
            });
        }
        return held;
    }

    private static List<Node> describeCluster(boolean includeFenced) throws Exception {
        return List.copyOf(admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(includeFenced))
                .nodes().get(30, TimeUnit.SECONDS));
    }

    private static List<Path> logDirs(int node) throws IOException {
        try (Stream<Path> files = Files.list(cluster.node(node).dataDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("ledger-")
                    || f.getFileName().toString().startsWith("single-")).toList();
        }
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asInt()));
        return values;
    }

    private static JsonNode getJson(int broker, String path) {
        HttpResponse<String> response = send("GET", broker, path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(String method, int broker, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.node(broker).httpPort + path))
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
}
