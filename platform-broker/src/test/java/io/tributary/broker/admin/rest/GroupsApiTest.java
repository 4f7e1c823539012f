package io.tributary.broker.admin.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.tributary.broker.admin.ShareGroupWork;
import tools.jackson.databind.JsonNode;

class GroupsApiTest extends AdminApiTestSupport {

    /** The same for a group of either protocol: a consumer-protocol group (KIP-848) shows its members and lag alike. */
    @ParameterizedTest(name = "group.protocol={0}")
    @ValueSource(strings = {"classic", "consumer"})
    void anActiveGroupIsDescribedAndItsOffsetsCannotBeResetUntilItIsEmpty(String protocol) throws Exception {
        String billing = "billing-" + protocol;
        String payments = "payments-" + protocol;
        assertThat(post("/api/topics", Map.of("name", payments, "partitions", 2)).status()).isEqualTo(201);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>(payments, i % 2, (long) (i + 1) * 1_000, "k" + i, "v" + i)).get();
            }
        }

        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger consumed = new AtomicInteger();
        CompletableFuture<Void> polling = CompletableFuture.runAsync(() -> {
            try (KafkaConsumer<String, String> consumer = consumer(billing, protocol)) {
                consumer.subscribe(List.of(payments));
                while (!stop.get()) {
                    int count = consumer.poll(Duration.ofMillis(50)).count();
                    if (count > 0) {
                        consumed.addAndGet(count);
                        consumer.commitSync();
                    }
                }
            }
        });
        try {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                JsonNode group = get("/api/groups/" + billing).body();
                assertThat(group.path("state").asString()).isEqualTo("Stable");
                assertThat(consumed.get()).isEqualTo(6);
                assertThat(group.path("offsets")).hasSize(2);
            });
            JsonNode group = get("/api/groups/" + billing).body();
            assertThat(group.path("protocolType").asString()).isEqualTo("consumer");
            assertThat(group.path("type").asString()).isEqualTo(protocol);
            assertThat(group.path("protocol").asString()).isNotEmpty();
            JsonNode member = group.path("members").get(0);
            assertThat(member.path("clientId").asString()).isNotEmpty();
            assertThat(member.path("host").asString()).isNotEmpty();
            assertThat(member.path("assignment").path(payments)).hasSize(2);
            for (JsonNode offset : group.path("offsets")) {
                assertThat(offset.path("committedOffset").asLong()).isEqualTo(3);
                assertThat(offset.path("endOffset").asLong()).isEqualTo(3);
                assertThat(offset.path("lag").asLong()).isZero();
            }
            JsonNode listed = TopicsApiTest.find(get("/api/groups").body(), "groupId", billing);
            assertThat(listed.path("state").asString()).isEqualTo("Stable");
            assertThat(listed.path("members").asInt()).isEqualTo(1);

            assertProblem(post("/api/groups/" + billing + "/offsets/reset", Map.of("topic", payments, "to", "earliest")), 409);

            assertThat(get("/api/groups/" + billing).body().path("offsets").findValuesAsString("committedOffset"))
                    .containsOnly("3");
        } finally {
            stop.set(true);
            polling.get(10, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(10))
                .until(() -> get("/api/groups/" + billing).body().path("state").asString().equals("Empty"));

        Response reset = post("/api/groups/" + billing + "/offsets/reset", Map.of("topic", payments, "to", "earliest"));

        assertThat(reset.status()).isEqualTo(200);
        assertThat(reset.body().path("offsets")).hasSize(2);
        for (JsonNode offset : get("/api/groups/" + billing).body().path("offsets")) {
            assertThat(offset.path("committedOffset").asLong()).isZero();
            assertThat(offset.path("lag").asLong()).isEqualTo(3);
        }

        // partition 0 holds timestamps 1000, 3000, 5000; partition 1 holds 2000, 4000, 6000
        post("/api/groups/" + billing + "/offsets/reset", Map.of("topic", payments, "to", "timestamp", "timestamp", 3_500));
        Map<Integer, Long> committed = committed(billing);
        assertThat(committed).containsEntry(0, 2L).containsEntry(1, 1L);

        post("/api/groups/" + billing + "/offsets/reset", Map.of("topic", payments, "to", "offset", "offset", 99));
        assertThat(committed(billing)).containsEntry(0, 3L).containsEntry(1, 3L);
    }

    @Test
    void aResetCreatesTheOffsetsOfAGroupThatDoesNotExistYet() {
        assertThat(post("/api/topics", Map.of("name", "fresh", "partitions", 1)).status()).isEqualTo(201);
        post("/api/topics/fresh/records", Map.of("value", "a"));
        post("/api/topics/fresh/records", Map.of("value", "b"));
        assertProblem(get("/api/groups/newcomer"), 404);

        Response reset = post("/api/groups/newcomer/offsets/reset", Map.of("topic", "fresh", "to", "latest"));

        assertThat(reset.status()).isEqualTo(200);
        JsonNode group = get("/api/groups/newcomer").body();
        assertThat(group.path("state").asString()).isEqualTo("Empty");
        assertThat(group.path("members")).isEmpty();
        assertThat(group.path("offsets").get(0).path("committedOffset").asLong()).isEqualTo(2);
        assertThat(group.path("offsets").get(0).path("lag").asLong()).isZero();
    }

    @Test
    void badResetsAreRefusedAndChangeNothing() {
        assertThat(post("/api/topics", Map.of("name", "kept", "partitions", 1)).status()).isEqualTo(201);
        post("/api/topics/kept/records", Map.of("value", "a"));
        assertThat(post("/api/groups/careful/offsets/reset", Map.of("topic", "kept", "to", "latest")).status())
                .isEqualTo(200);

        assertProblem(post("/api/groups/careful/offsets/reset", Map.of("topic", "kept", "to", "yesterday")), 400);
        assertProblem(post("/api/groups/careful/offsets/reset", Map.of("topic", "kept", "to", "timestamp")), 400);
        assertProblem(post("/api/groups/careful/offsets/reset", Map.of("topic", "kept", "to", "offset")), 400);
        assertProblem(post("/api/groups/careful/offsets/reset", Map.of("to", "earliest")), 400);
        assertProblem(post("/api/groups/careful/offsets/reset", Map.of("topic", "gone", "to", "earliest")), 404,
                "UNKNOWN_TOPIC_OR_PARTITION");

        assertThat(committed("careful")).containsEntry(0, 1L);
    }

    /** A share group commits no offsets: its lag is its backlog, from each share-partition's start offset. */
    @Test
    void aShareGroupIsListedAndDescribedWithItsTypeAndBacklog() throws Exception {
        String topic = "share-backlog";
        String group = "share-backlog-workers";
        assertThat(post("/api/topics", Map.of("name", topic, "partitions", 1)).status()).isEqualTo(201);
        ShareGroupWork.acceptFirst(bootstrapServers(), group, topic, 10, 4);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode described = get("/api/groups/" + group).body();
            assertThat(described.path("type").asString()).isEqualTo("share");
            assertThat(described.path("offsets")).hasSize(1);
            JsonNode offset = described.path("offsets").get(0);
            assertThat(offset.path("topic").asString()).isEqualTo(topic);
            assertThat(offset.path("committedOffset").asLong()).isEqualTo(4);
            assertThat(offset.path("endOffset").asLong()).isEqualTo(10);
            assertThat(offset.path("lag").asLong()).isEqualTo(6);
        });
        JsonNode listed = TopicsApiTest.find(get("/api/groups").body(), "groupId", group);
        assertThat(listed.path("type").asString()).isEqualTo("share");
        assertThat(listed.path("totalLag").asLong()).isEqualTo(6);
        // Its start offsets are not committed offsets: the consumer-offset reset refuses it, saying what to use.
        assertProblem(post("/api/groups/" + group + "/offsets/reset", Map.of("topic", topic, "to", "earliest")), 400);
    }

    private Map<Integer, Long> committed(String groupId) {
        Map<Integer, Long> offsets = new HashMap<>();
        for (JsonNode offset : get("/api/groups/" + groupId).body().path("offsets")) {
            offsets.put(offset.path("partition").asInt(), offset.path("committedOffset").asLong());
        }
        return offsets;
    }

    private KafkaProducer<String, String> producer() {
        Map<String, Object> config = new HashMap<>(clientConfig());
        config.put("key.serializer", StringSerializer.class);
        config.put("value.serializer", StringSerializer.class);
        return new KafkaProducer<>(config);
    }

    private KafkaConsumer<String, String> consumer(String groupId) {
        return consumer(groupId, "classic");
    }

    private KafkaConsumer<String, String> consumer(String groupId, String protocol) {
        Map<String, Object> config = new HashMap<>(clientConfig());
        config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config);
    }
}
