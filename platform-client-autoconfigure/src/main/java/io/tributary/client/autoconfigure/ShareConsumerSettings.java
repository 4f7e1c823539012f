package io.tributary.client.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * A share consumer's settings from the service's consumer settings: the same connection, security, deserializers,
 * client id and group id, without the settings a share consumer refuses (Kafka's share groups manage offsets,
 * commits, isolation and assignment on the broker; the client fails at construction when one is set).
 */
final class ShareConsumerSettings {

    /** The consumer settings {@code KafkaShareConsumer} rejects (Kafka's ShareConsumerConfig). */
    static final List<String> REFUSED_BY_SHARE_CONSUMERS = List.of(
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
            ConsumerConfig.GROUP_PROTOCOL_CONFIG,
            ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);

    private ShareConsumerSettings() {
    }

    static Map<String, Object> from(Map<String, Object> consumerSettings) {
        Map<String, Object> settings = new HashMap<>(consumerSettings);
        REFUSED_BY_SHARE_CONSUMERS.forEach(settings::remove);
        return settings;
    }

    /** The same settings, with records acknowledged one by one by the listener. */
    static Map<String, Object> explicit(Map<String, Object> shareConsumerSettings) {
        Map<String, Object> settings = new HashMap<>(shareConsumerSettings);
        settings.put(ConsumerConfig.SHARE_ACKNOWLEDGEMENT_MODE_CONFIG, "explicit");
        return settings;
    }
}
