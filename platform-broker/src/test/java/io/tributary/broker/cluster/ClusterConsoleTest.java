package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Any broker's console and admin API show the whole cluster: three brokers, a topic whose three
 * partitions have one replica each (so each lives on one broker only), and every question asked of
 * broker 0 — partition figures, records, producing, a group another broker coordinates, disks,
 * following a key — answered for partitions and groups that only the other two hold.
 */
class ClusterConsoleTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    private static LocalCluster cluster;
    private static Map<Integer, Integer> leaders;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.startWithHttp(dir, 3, "--tributary.console.sample-interval=500ms");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("spread", 3, (short) 1))).all().get();
            leaders = new HashMap<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var description = admin.describeTopics(List.of("spread")).allTopicNames().get().get("spread");
                description.partitions().forEach(p -> leaders.put(p.partition(), p.leader() == null ? -1 : p.leader().id()));
                return leaders.values().stream().allMatch(id -> id >= 0);
            });
        }
        assertThat(leaders.values()).as("the round-robin placement puts each partition on another broker")
                .containsExactlyInAnyOrder(0, 1, 2);
        Properties config = new Properties();
        config.put("bootstrap.servers", cluster.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            for (int partition = 0; partition < 3; partition++) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("spread", partition, "p" + partition + "-k" + i,
                            "{\"partition\":" + partition + ",\"n\":" + i + "}"));
                }
            }
            producer.flush();
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void describesEveryPartitionWithItsLeadersFigures() {
        JsonNode topic = getJson(0, "/api/topics/spread");
        assertThat(topic.path("partitions")).hasSize(3);
        for (JsonNode partition : topic.path("partitions")) {
            int index = partition.path("partition").asInt();
            assertThat(partition.path("figuresFrom").asInt()).as("partition %d", index).isEqualTo(leaders.get(index));
            JsonNode leaders = getJson(ClusterConsoleTest.leaders.get(index), "/api/broker/partitions?topic=spread");
            long leaderHighWatermark = java.util.stream.StreamSupport.stream(leaders.spliterator(), false)
                    .filter(f -> f.path("partition").asInt() == index).findFirst().orElseThrow()
                    .path("highWatermark").asLong();
            assertThat(partition.path("highWatermark").asLong()).as("partition %d", index)
                    .isGreaterThanOrEqualTo(10).isLessThanOrEqualTo(leaderHighWatermark);
            assertThat(partition.path("sizeBytes").asLong()).isPositive();
        }
        String page = getHtml(0, "/console/topics/spread");
        assertThat(page).doesNotContain("—</td>");
    }

    @Test
    void browsesAndProducesToPartitionsHeldElsewhere() {
        int remote = partitionLedBy(2);
        JsonNode records = getJson(0, "/api/topics/spread/partitions/" + remote + "/records?limit=10");
        assertThat(records.path("records")).hasSize(10);
        assertThat(records.path("records").get(3).path("key").asString()).isEqualTo("p" + remote + "-k3");

        JsonNode filtered = getJson(0, "/api/topics/spread/partitions/" + remote + "/records?newest=true&key=p" + remote + "-k7");
        assertThat(filtered.path("records")).hasSize(1);

        assertThat(getHtml(0, "/console/topics/spread/messages?partition=" + remote)).contains("p" + remote + "-k9");

        int other = partitionLedBy(1);
        JsonNode produced = postJson(0, "/api/topics/spread/records",
                Map.of("partition", other, "key", "via-broker-0", "value", "forwarded"), 201);
        assertThat(produced.path("partition").asInt()).isEqualTo(other);
        assertThat(produced.path("offset").asLong()).isGreaterThanOrEqualTo(10);
        JsonNode back = getJson(1, "/api/topics/spread/partitions/" + other + "/records?offset="
                + produced.path("offset").asLong() + "&limit=1");
        assertThat(back.path("records").get(0).path("value").asString()).isEqualTo("forwarded");
    }

    @Test
    void showsGroupsThatOtherBrokersCoordinate() throws Exception {
        String group;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            // Groups spread over the __consumer_offsets partitions, so some are coordinated elsewhere.
            List<String> ids = IntStream.range(0, 12).mapToObj(i -> "group-" + i).toList();
            for (String id : ids) {
                admin.alterConsumerGroupOffsets(id, Map.of(new TopicPartition("spread", 0), new OffsetAndMetadata(4)))
                        .all().get();
            }
            group = null;
            for (String id : ids) {
                var description = admin.describeConsumerGroups(List.of(id)).all().get().get(id);
                if (description.coordinator().id() != 0) {
                    group = id;
                    break;
                }
            }
        }
        assertThat(group).as("a group that broker 0 does not coordinate").isNotNull();
        String id = group;
        JsonNode listed = getJson(0, "/api/groups");
        assertThat(listed.findValuesAsString("groupId")).contains(id);
        JsonNode described = getJson(0, "/api/groups/" + id);
        assertThat(described.path("offsets").get(0).path("committedOffset").asLong()).isEqualTo(4);
        long end = described.path("offsets").get(0).path("endOffset").asLong();
        assertThat(end).isGreaterThanOrEqualTo(10);
        assertThat(described.path("offsets").get(0).path("lag").asLong()).isEqualTo(end - 4);
        assertThat(getHtml(0, "/console/groups/" + id)).contains("Offsets and lag", ">" + (end - 4) + "<");
        // Its coordinator samples its lag; broker 0's chart draws that history.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode chart = getJson(0, "/console/api/groups/" + id + "/lag");
            assertThat(chart.path("lag")).isNotEmpty();
            assertThat(chart.path("lag").get(chart.path("lag").size() - 1).asLong()).isEqualTo(end - 4);
        });
        JsonNode preview = postJson(0, "/api/groups/" + id + "/offsets/reset/preview",
                Map.of("topic", "spread", "to", "latest"), 200);
        assertThat(preview).hasSize(3);
        assertThat(preview.get(0).path("newOffset").asLong()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void overviewShowsEveryBrokersDiskAndTheWholeClustersTraffic() {
        JsonNode overview = getJson(0, "/api/cluster");
        assertThat(overview.path("brokers")).hasSize(3);
        for (JsonNode broker : overview.path("brokers")) {
            assertThat(broker.path("disk").path("totalBytes").asLong()).as("broker %s", broker.path("nodeId")).isPositive();
        }
        assertThat(overview.path("partitions").path("offline").asInt()).isZero();
        assertThat(getHtml(0, "/console")).doesNotContain("unknown:");
        // Broker 0 leads one partition of three: the cluster's traffic includes the other two's.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            try (KafkaProducer<String, String> producer = producer()) {
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>("spread", partitionLedBy(1), "t" + i, "traffic"));
                }
            }
            JsonNode local = getJson(0, "/console/api/traffic?scope=broker");
            JsonNode all = getJson(0, "/console/api/traffic");
            assertThat(sum(all.path("recordsIn"))).isGreaterThan(sum(local.path("recordsIn")));
        });
    }

    @Test
    void followsAKeyIntoAPartitionAnotherBrokerHolds() {
        // A key that Kafka's partitioner sends to a partition broker 0 does not hold.
        String key = IntStream.range(0, 100).mapToObj(i -> "order-" + i)
                .filter(k -> leaders.get(io.tributary.broker.admin.service.RecordBrowser.partitionForKey(k, 3)) != 0)
                .findFirst().orElseThrow();
        postJson(1, "/api/topics/spread/records", Map.of("key", key, "value", "{\"orderId\":\"" + key + "\"}",
                "headers", Map.of("tributary-event-type", "OrderCreated")), 201);
        String page = getHtml(0, "/console/follow?key=" + key + "&topic=spread");
        assertThat(page).contains("OrderCreated", "&quot;orderId&quot; : &quot;" + key + "&quot;");
    }

    private static double sum(JsonNode values) {
        double total = 0;
        for (JsonNode value : values) {
            total += value.asDouble();
        }
        return total;
    }

    private static int partitionLedBy(int broker) {
        return leaders.entrySet().stream().filter(e -> e.getValue() == broker).findFirst().orElseThrow().getKey();
    }

    private static KafkaProducer<String, String> producer() {
        Properties config = new Properties();
        config.put("bootstrap.servers", cluster.bootstrapServers());
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static JsonNode getJson(int broker, String path) {
        HttpResponse<String> response = send(broker, HttpRequest.newBuilder(uri(broker, path)).GET());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String getHtml(int broker, String path) {
        HttpResponse<String> response = send(broker, HttpRequest.newBuilder(uri(broker, path)).GET());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private static JsonNode postJson(int broker, String path, Object body, int status) {
        HttpResponse<String> response = send(broker, HttpRequest.newBuilder(uri(broker, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static URI uri(int broker, String path) {
        return URI.create("http://127.0.0.1:" + cluster.node(broker).httpPort + path);
    }

    private static HttpResponse<String> send(int broker, HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
