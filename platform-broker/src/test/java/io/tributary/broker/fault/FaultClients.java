package io.tributary.broker.fault;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The settings every client of a fault run shares: timeouts short enough that faults make requests fail (and
 * their outcome be recorded), metadata refreshed every second, and a second's reconnect backoff, since a frozen
 * broker's connections sit in "connecting".
 */
final class FaultClients {

    private FaultClients() {
    }

    /** An acks=all idempotent producer, with {@code extra} settings on top (a transactional id, say). */
    static KafkaProducer<String, String> producer(String bootstrap, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000), Map.entry(ProducerConfig.LINGER_MS_CONFIG, 0),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000), Map.entry("metadata.max.age.ms", 1_000),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 1_000),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000)));
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** A consumer that commits by hand from the earliest offset, in {@code group} unless it is null, with {@code extra} on top. */
    static KafkaConsumer<String, String> consumer(String bootstrap, String group, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000,
                "metadata.max.age.ms", 1_000, ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG, 1_000,
                ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        config.putAll(extra);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
