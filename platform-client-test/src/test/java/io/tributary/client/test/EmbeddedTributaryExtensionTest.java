package io.tributary.client.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The official Kafka clients against a broker from the extension, as a test without Spring would use it. */
@ExtendWith(EmbeddedTributaryExtension.class)
class EmbeddedTributaryExtensionTest {

    @Test
    void aConsumerGroupReadsBackWhatAProducerSent(EmbeddedTributaryBroker broker) throws Exception {
        send(broker, "orders", "order-1", "created");

        try (KafkaConsumer<String, String> consumer = consumer(broker, Map.of(ConsumerConfig.GROUP_ID_CONFIG, "billing"))) {
            consumer.subscribe(List.of("orders"));
            List<ConsumerRecord<String, String>> records = pollUntilAny(consumer);
            assertThat(records).singleElement().satisfies(record -> {
                assertThat(record.key()).isEqualTo("order-1");
                assertThat(record.value()).isEqualTo("created");
            });
        }
    }

    @Test
    void aRestartedBrokerKeepsItsAddressAndItsRecords(EmbeddedTributaryBroker broker) throws Exception {
        String bootstrapServers = broker.bootstrapServers();
        send(broker, "payments", "payment-1", "authorized");

        broker.restart();

        assertThat(broker.bootstrapServers()).isEqualTo(bootstrapServers);
        try (KafkaConsumer<String, String> consumer = consumer(broker, Map.of())) {
            TopicPartition partition = new TopicPartition("payments", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            assertThat(pollUntilAny(consumer)).extracting(ConsumerRecord::value).containsExactly("authorized");
        }
    }

    static void send(EmbeddedTributaryBroker broker, String topic, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedTributaryBroker broker, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(extra);
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static List<ConsumerRecord<String, String>> pollUntilAny(KafkaConsumer<String, String> consumer) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        // The consumer is not thread-safe, so Awaitility polls on the test's thread.
        await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ZERO)
                .until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                    return !records.isEmpty();
                });
        return records;
    }
}
