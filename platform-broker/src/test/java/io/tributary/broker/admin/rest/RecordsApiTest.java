package io.tributary.broker.admin.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RecordsApiTest extends AdminApiTestSupport {

    private static final byte[] NOT_UTF8 = {(byte) 0xff, (byte) 0xfe, 0x00, 0x01};

    @Test
    void browsingShowsWhatAKafkaProducerWrote() throws Exception {
        assertThat(post("/api/topics", Map.of("name", "browsed", "partitions", 1)).status()).isEqualTo(201);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>("browsed", 0, 1_000L, bytes("k1"), bytes("hello"),
                    List.of(new RecordHeader("trace", bytes("t-1"))))).get();
            producer.send(new ProducerRecord<>("browsed", 0, 2_000L, null, NOT_UTF8,
                    List.of(new RecordHeader("bin", NOT_UTF8)))).get();
            producer.send(new ProducerRecord<byte[], byte[]>("browsed", 0, 3_000L, bytes("k3"), (byte[]) null)).get();
        }

        Response page = get("/api/topics/browsed/partitions/0/records?offset=0");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().path("highWatermark").asLong()).isEqualTo(3);
        assertThat(page.body().path("nextOffset").asLong()).isEqualTo(3);
        JsonNode records = page.body().path("records");
        assertThat(records).hasSize(3);
        JsonNode first = records.get(0);
        assertThat(first.path("offset").asLong()).isZero();
        assertThat(first.path("timestamp").asLong()).isEqualTo(1_000L);
        assertThat(first.path("key").asString()).isEqualTo("k1");
        assertThat(first.path("keyEncoding").asString()).isEqualTo("utf8");
        assertThat(first.path("value").asString()).isEqualTo("hello");
        assertThat(first.path("valueEncoding").asString()).isEqualTo("utf8");
        assertThat(first.path("headers").get(0).path("key").asString()).isEqualTo("trace");
        assertThat(first.path("headers").get(0).path("value").asString()).isEqualTo("t-1");
        JsonNode binary = records.get(1);
        assertThat(binary.path("key").isNull()).isTrue();
        assertThat(binary.path("valueEncoding").asString()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(binary.path("value").asString())).isEqualTo(NOT_UTF8);
        assertThat(binary.path("headers").get(0).path("encoding").asString()).isEqualTo("base64");
        assertThat(records.get(2).path("value").isNull()).isTrue();

        JsonNode fromOffset = get("/api/topics/browsed/partitions/0/records?offset=1&limit=1").body();
        assertThat(fromOffset.path("records")).hasSize(1);
        assertThat(fromOffset.path("records").get(0).path("offset").asLong()).isEqualTo(1);
        assertThat(fromOffset.path("nextOffset").asLong()).isEqualTo(2);

        JsonNode fromTime = get("/api/topics/browsed/partitions/0/records?timestamp=2500").body();
        assertThat(fromTime.path("records")).hasSize(1);
        assertThat(fromTime.path("records").get(0).path("key").asString()).isEqualTo("k3");

        assertThat(get("/api/topics/browsed/partitions/0/records?offset=3").body().path("records")).isEmpty();
        assertThat(get("/api/topics/browsed/partitions/0/records").body().path("records")).hasSize(3);
    }

    @Test
    void browsingRefusesBadInput() {
        assertThat(post("/api/topics", Map.of("name", "small", "partitions", 1)).status()).isEqualTo(201);

        assertProblem(get("/api/topics/small/partitions/0/records?limit=501"), 400);
        assertProblem(get("/api/topics/small/partitions/0/records?limit=0"), 400);
        assertProblem(get("/api/topics/small/partitions/0/records?offset=7"), 400);
        assertProblem(get("/api/topics/small/partitions/0/records?offset=0&timestamp=0"), 400);
        assertProblem(get("/api/topics/small/partitions/0/records?offset=abc"), 400);
        assertProblem(get("/api/topics/small/partitions/1/records"), 404, "UNKNOWN_TOPIC_OR_PARTITION");
    }

    @Test
    void aRecordProducedOverRestIsReadByAKafkaConsumer() {
        assertThat(post("/api/topics", Map.of("name", "rest-produced", "partitions", 3)).status()).isEqualTo(201);

        Response produced = post("/api/topics/rest-produced/records",
                Map.of("key", "customer-42", "value", "{\"total\": 12}", "headers", Map.of("source", "rest")));

        assertThat(produced.status()).isEqualTo(201);
        int partition = produced.body().path("partition").asInt();
        assertThat(partition).isEqualTo(BuiltInPartitioner.partitionForKey(bytes("customer-42"), 3));
        assertThat(produced.body().path("offset").asLong()).isZero();
        assertThat(produced.headers().firstValue("Location")).isPresent();

        Response binary = post("/api/topics/rest-produced/records",
                Map.of("partition", partition, "value", Base64.getEncoder().encodeToString(NOT_UTF8),
                        "valueEncoding", "base64"));
        assertThat(binary.status()).isEqualTo(201);
        assertThat(binary.body().path("offset").asLong()).isEqualTo(1);

        List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(null)) {
            TopicPartition tp = new TopicPartition("rest-produced", partition);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(received::add);
                return received.size() >= 2;
            });
        }
        ConsumerRecord<byte[], byte[]> record = received.get(0);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("customer-42");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("{\"total\": 12}");
        assertThat(new String(record.headers().lastHeader("source").value(), StandardCharsets.UTF_8)).isEqualTo("rest");
        assertThat(received.get(1).value()).isEqualTo(NOT_UTF8);
        assertThat(received.get(1).key()).isNull();
    }

    @Test
    void recordsWithoutAKeyAreSpreadRoundRobin() {
        assertThat(post("/api/topics", Map.of("name", "spread", "partitions", 2)).status()).isEqualTo(201);

        int first = post("/api/topics/spread/records", Map.of("value", "a")).body().path("partition").asInt();
        int second = post("/api/topics/spread/records", Map.of("value", "b")).body().path("partition").asInt();

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void aBadRecordIsRefusedAndNothingIsAppended() {
        assertThat(post("/api/topics", Map.of("name", "guarded", "partitions", 1,
                "configs", Map.of("max.message.bytes", "1024"))).status()).isEqualTo(201);

        assertProblem(post("/api/topics/guarded/records", Map.of("partition", 1, "value", "v")), 404);
        assertProblem(post("/api/topics/guarded/records", Map.of("value", "%%%", "valueEncoding", "base64")), 400);
        assertProblem(post("/api/topics/guarded/records", Map.of("value", "v", "keyEncoding", "rot13", "key", "k")), 400);
        assertProblem(post("/api/topics/guarded/records", Map.of("value", "x".repeat(4096))), 413);

        JsonNode partition = get("/api/topics/guarded").body().path("partitions").get(0);
        assertThat(partition.path("logEndOffset").asLong()).isZero();
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new HashMap<>(clientConfig());
        config.put("key.serializer", ByteArraySerializer.class);
        config.put("value.serializer", ByteArraySerializer.class);
        return new KafkaProducer<>(config);
    }

    KafkaConsumer<byte[], byte[]> consumer(String groupId) {
        Map<String, Object> config = new HashMap<>(clientConfig());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        if (groupId != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return new KafkaConsumer<>(config);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
