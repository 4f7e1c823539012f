package io.tributary.broker.admin.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

class TopicsApiTest extends AdminApiTestSupport {

    @Autowired
    PartitionManager partitions;

    @Test
    void createsDescribesListsAndDeletesATopic() {
        Response created = post("/api/topics", Map.of("name", "orders", "partitions", 3, "replicationFactor", 1,
                "configs", Map.of("retention.ms", "60000")));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/api/topics/orders"));
        assertThat(created.body().path("partitions")).hasSize(3);

        Response listed = get("/api/topics");
        assertThat(listed.status()).isEqualTo(200);
        JsonNode orders = find(listed.body(), "name", "orders");
        assertThat(orders.path("partitions").asInt()).isEqualTo(3);
        assertThat(orders.path("internal").asBoolean()).isFalse();
        assertThat(orders.path("id").asString()).isEqualTo(created.body().path("id").asString());

        Response described = get("/api/topics/orders");
        assertThat(described.status()).isEqualTo(200);
        JsonNode partition = described.body().path("partitions").get(2);
        assertThat(partition.path("partition").asInt()).isEqualTo(2);
        assertThat(partition.path("leader").asInt()).isEqualTo(partitions.nodeId());
        assertThat(partition.path("replicas")).hasSize(1);
        assertThat(partition.path("isr")).hasSize(1);
        assertThat(partition.path("logStartOffset").asLong()).isZero();
        assertThat(partition.path("highWatermark").asLong()).isZero();
        assertThat(partition.path("logEndOffset").asLong()).isZero();
        assertThat(partition.has("sizeBytes")).isTrue();
        JsonNode retention = find(described.body().path("configs"), "name", "retention.ms");
        assertThat(retention.path("value").asString()).isEqualTo("60000");
        assertThat(retention.path("source").asString()).isEqualTo("topic");
        assertThat(find(described.body().path("configs"), "name", "segment.ms").path("source").asString()).isEqualTo("default");

        assertThat(delete("/api/topics/orders").status()).isEqualTo(204);
        assertProblem(get("/api/topics/orders"), 404, "UNKNOWN_TOPIC_OR_PARTITION");
        assertThat(get("/api/topics").body().findValuesAsString("name")).doesNotContain("orders");
    }

    @Test
    void aConfigChangeIsDescribedAndAppliedToTheLiveLog() {
        assertThat(post("/api/topics", Map.of("name", "configured", "partitions", 1)).status()).isEqualTo(201);

        Response changed = patch("/api/topics/configured/configs",
                Map.of("set", Map.of("retention.ms", "5000", "cleanup.policy", "compact")));

        assertThat(changed.status()).isEqualTo(200);
        JsonNode configs = get("/api/topics/configured/configs").body();
        assertThat(find(configs, "name", "retention.ms").path("value").asString()).isEqualTo("5000");
        assertThat(find(configs, "name", "retention.ms").path("source").asString()).isEqualTo("topic");
        assertThat(find(configs, "name", "cleanup.policy").path("value").asString()).isEqualTo("compact");
        assertThat(liveRetentionMs("configured")).isEqualTo(5000);

        Response reverted = patch("/api/topics/configured/configs", Map.of("delete", List.of("retention.ms")));

        assertThat(reverted.status()).isEqualTo(200);
        JsonNode retention = find(get("/api/topics/configured").body().path("configs"), "name", "retention.ms");
        assertThat(retention.path("source").asString()).isEqualTo("default");
        assertThat(liveRetentionMs("configured")).isEqualTo(Long.parseLong(retention.path("value").asString()));
        assertThat(find(reverted.body(), "name", "cleanup.policy").path("value").asString()).isEqualTo("compact");
    }

    @Test
    void anInvalidConfigIsRefusedAndNothingChanges() {
        assertThat(post("/api/topics", Map.of("name", "strict", "partitions", 1,
                "configs", Map.of("retention.ms", "7000"))).status()).isEqualTo(201);

        // one good change and one bad: neither is applied
        assertProblem(patch("/api/topics/strict/configs",
                Map.of("set", Map.of("retention.ms", "8000", "segment.bytes", "not-a-number"))), 400, "INVALID_CONFIG");
        assertProblem(patch("/api/topics/strict/configs", Map.of("set", Map.of("no.such.config", "1"))), 400,
                "INVALID_CONFIG");
        assertProblem(patch("/api/topics/strict/configs", Map.of("delete", List.of("no.such.config"))), 400,
                "INVALID_CONFIG");

        assertThat(find(get("/api/topics/strict/configs").body(), "name", "retention.ms").path("value").asString())
                .isEqualTo("7000");
        assertThat(liveRetentionMs("strict")).isEqualTo(7000);

        assertProblem(post("/api/topics", Map.of("name", "born-invalid", "configs", Map.of("retention.ms", "soon"))),
                400, "INVALID_CONFIG");
        assertProblem(get("/api/topics/born-invalid"), 404);
    }

    @Test
    void partitionsGrowButNeverShrink() {
        assertThat(post("/api/topics", Map.of("name", "growing", "partitions", 2)).status()).isEqualTo(201);

        Response grown = post("/api/topics/growing/partitions", Map.of("count", 5));

        assertThat(grown.status()).isEqualTo(200);
        assertThat(get("/api/topics/growing").body().path("partitions")).hasSize(5);
        assertThat(partitions.partition(new TopicPartition("growing", 4))).isPresent();

        assertProblem(post("/api/topics/growing/partitions", Map.of("count", 3)), 400, "INVALID_PARTITIONS");
        assertProblem(post("/api/topics/growing/partitions", Map.of()), 400);
        assertThat(get("/api/topics/growing").body().path("partitions")).hasSize(5);
    }

    @Test
    void badTopicsAreRefusedWithProblemDetailsAndNotCreated() {
        assertThat(post("/api/topics", Map.of("name", "taken", "partitions", 1)).status()).isEqualTo(201);

        assertProblem(post("/api/topics", Map.of("name", "taken", "partitions", 4)), 409, "TOPIC_ALREADY_EXISTS");
        assertThat(get("/api/topics/taken").body().path("partitions")).hasSize(1);

        assertProblem(post("/api/topics", Map.of("name", "no-partitions", "partitions", 0)), 400, "INVALID_PARTITIONS");
        assertProblem(post("/api/topics", Map.of("name", "too-replicated", "replicationFactor", 3)), 400,
                "INVALID_REPLICATION_FACTOR");
        assertProblem(post("/api/topics", Map.of("name", "bad/name")), 400, "INVALID_TOPIC_EXCEPTION");
        assertProblem(post("/api/topics", Map.of("partitions", 1)), 400);
        assertProblem(postRaw("/api/topics", "{\"name\": "), 400);
        assertThat(get("/api/topics").body().findValuesAsString("name"))
                .doesNotContain("no-partitions", "too-replicated", "bad/name");
    }

    @Test
    void anUnknownTopicIsNotFoundEverywhere() {
        assertProblem(get("/api/topics/missing"), 404, "UNKNOWN_TOPIC_OR_PARTITION");
        assertProblem(get("/api/topics/missing/configs"), 404, "UNKNOWN_TOPIC_OR_PARTITION");
        assertProblem(patch("/api/topics/missing/configs", Map.of("set", Map.of("retention.ms", "1"))), 404);
        assertProblem(post("/api/topics/missing/partitions", Map.of("count", 2)), 404);
        assertProblem(delete("/api/topics/missing"), 404, "UNKNOWN_TOPIC_OR_PARTITION");
        assertProblem(get("/api/topics/missing/partitions/0/records"), 404);
        assertProblem(post("/api/topics/missing/records", Map.of("value", "v")), 404);
        assertThat(get("/api/topics").body().findValuesAsString("name")).doesNotContain("missing");
    }

    private long liveRetentionMs(String topic) {
        return partitions.partition(new TopicPartition(topic, 0)).orElseThrow().log().config().retentionMs();
    }

    static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (value.equals(node.path(field).asString())) {
                return node;
            }
        }
        throw new AssertionError("No element with " + field + "=" + value + " in " + array);
    }
}
