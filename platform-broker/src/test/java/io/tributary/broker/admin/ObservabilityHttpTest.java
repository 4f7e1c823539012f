package io.tributary.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import io.tributary.broker.config.BrokerConfiguration.KafkaListener;
import io.tributary.broker.metadata.LocalBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Actuator health, info and Prometheus metrics of a running broker, over HTTP, with real Kafka clients. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ObservabilityHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void brokerProperties(DynamicPropertyRegistry registry) {
        registry.add("tributary.broker.data-dir", () -> dataDir.toString());
        registry.add("tributary.broker.port", () -> 0);
        registry.add("tributary.broker.host", () -> "127.0.0.1");
        registry.add("tributary.broker.log.flush-messages", () -> 1);
        registry.add("tributary.broker.group.offsets-topic-num-partitions", () -> 1);
        registry.add("tributary.broker.group.initial-rebalance-delay", () -> "0ms");
        registry.add("tributary.broker.metrics.refresh-interval", () -> "100ms");
    }

    private static KafkaProducer<String, String> producer;

    @LocalServerPort
    int httpPort;

    @Autowired
    KafkaListener listener;

    @Autowired
    LocalBroker broker;

    ActuatorClient actuator;

    @BeforeEach
    void setUp() {
        actuator = new ActuatorClient(httpPort);
        if (producer == null) {
            Properties config = new Properties();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + listener.port());
            config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(config);
        }
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    @Test
    void healthIsUpWithTheDetailsOfEachIndicator() {
        HttpResponse<String> response = actuator.get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"")
                .contains("\"logDirectory\"", "\"threshold\"", "\"free\"", "\"writable\":true")
                .contains("\"partitions\"", "\"offline\":[]", "\"underReplicated\":0")
                .contains("\"kafkaListener\"", "\"listener\":\"PLAINTEXT://127.0.0.1:" + listener.port() + "\"");
    }

    @Test
    void healthGoesDownWhileTheLogDirectoryIsReadOnlyAndComesBackUp() throws Exception {
        try (ReadOnlyDirectory ignored = ReadOnlyDirectory.of(dataDir)) {
            HttpResponse<String> down = actuator.get("/actuator/health");

            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"status\":\"DOWN\"").contains("\"writable\":false");
        }
        assertThat(actuator.get("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void infoHasTheNodeIdClusterIdAndListeners() {
        HttpResponse<String> response = actuator.get("/actuator/info");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"nodeId\":0")
                .contains("\"clusterId\":\"" + broker.clusterId() + "\"")
                .contains("\"version\":")
                .contains("PLAINTEXT://127.0.0.1:" + listener.port());
    }

    @Test
    void producedAndFetchedBytesAndRequestsPerApiAreCountedAndGrow() throws Exception {
        String topic = "metrics-traffic";
        produce(topic, 10);
        double bytesIn = actuator.value("tributary_topic_bytes_in_total", "topic=\"" + topic + "\"");
        assertThat(bytesIn).isGreaterThan(0);
        assertThat(actuator.value("tributary_topic_records_in_total", "topic=\"" + topic + "\"")).isEqualTo(10);

        produce(topic, 10);
        assertThat(actuator.value("tributary_topic_bytes_in_total", "topic=\"" + topic + "\"")).isGreaterThan(bytesIn);
        assertThat(actuator.value("tributary_topic_records_in_total", "topic=\"" + topic + "\"")).isEqualTo(20);

        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            int read = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (read < 20 && System.nanoTime() < deadline) {
                read += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertThat(read).isEqualTo(20);
        }
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(
                actuator.value("tributary_topic_bytes_out_total", "topic=\"" + topic + "\"")).isGreaterThanOrEqualTo(
                actuator.value("tributary_topic_bytes_in_total", "topic=\"" + topic + "\"")));
        assertThat(actuator.value("tributary_topic_records_out_total", "topic=\"" + topic + "\"")).isGreaterThanOrEqualTo(20);

        assertThat(actuator.value("tributary_requests_seconds_count", "api=\"Produce\"")).isGreaterThanOrEqualTo(2);
        assertThat(actuator.value("tributary_requests_seconds_count", "api=\"Fetch\"")).isGreaterThanOrEqualTo(1);
        assertThat(actuator.value("tributary_requests_seconds_count", "api=\"Metadata\"")).isGreaterThanOrEqualTo(1);
        assertThat(actuator.sample("tributary_requests_seconds_bucket", "api=\"Produce\"")).isPresent();
        assertThat(actuator.value("tributary_log_flush_seconds_count")).isGreaterThan(0);
        assertThat(actuator.value("tributary_connections")).isGreaterThanOrEqualTo(1);
        assertThat(actuator.value("tributary_partitions")).isGreaterThanOrEqualTo(1);
        assertThat(actuator.value("tributary_partitions_leader")).isGreaterThanOrEqualTo(1);
        assertThat(actuator.value("tributary_partitions_under_replicated")).isZero();
        assertThat(actuator.value("tributary_isr_shrinks_total")).isZero();
        assertThat(actuator.value("tributary_produce_delayed")).isZero();
        assertThat(actuator.sample("tributary_fetch_delayed")).isPresent();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(actuator.value("tributary_log_end_offset", "topic=\"" + topic + "\"", "partition=\"0\"")).isEqualTo(20);
            assertThat(actuator.value("tributary_log_size_bytes", "topic=\"" + topic + "\"", "partition=\"0\"")).isGreaterThan(0);
        });
    }

    @Test
    void consumerLagRisesWithProducedRecordsAndDropsAfterTheGroupCommits() throws Exception {
        String topic = "metrics-lag";
        String group = "lag-group";
        TopicPartition partition = new TopicPartition(topic, 0);
        produce(topic, 3);
        String[] labels = {"group=\"" + group + "\"", "type=\"classic\"", "topic=\"" + topic + "\"", "partition=\"0\""};
        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(3)));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(actuator.value("tributary_consumer_lag", labels)).isZero());

            produce(topic, 5);
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(actuator.value("tributary_consumer_lag", labels)).isEqualTo(5));

            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(8)));
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(actuator.value("tributary_consumer_lag", labels)).isZero());
        }
    }

    /** A share group's lag is its backlog: from each share-partition's start offset to the high watermark. */
    @Test
    void aShareGroupsLagIsItsBacklog() throws Exception {
        String topic = "metrics-share-lag";
        String group = "share-lag-group";
        ShareGroupWork.acceptFirst("127.0.0.1:" + listener.port(), group, topic, 10, 4);
        String[] labels = {"group=\"" + group + "\"", "type=\"share\"", "topic=\"" + topic + "\"", "partition=\"0\""};
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(actuator.value("tributary_consumer_lag", labels)).isEqualTo(6));

        produce(topic, 5);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(actuator.value("tributary_consumer_lag", labels)).isEqualTo(11));
    }

    private static void produce(String topic, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, 0, "k" + i, "value-" + i));
        }
        producer.flush();
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + listener.port());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config);
    }
}
