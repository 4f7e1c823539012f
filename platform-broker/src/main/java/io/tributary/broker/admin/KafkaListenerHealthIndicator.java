package io.tributary.broker.admin;

import io.tributary.broker.config.BrokerConfiguration.KafkaListener;
import io.tributary.broker.metadata.LocalBroker;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** UP while the Kafka listener accepts connections, with the address it advertises and its open connections. */
public final class KafkaListenerHealthIndicator implements HealthIndicator {

    private final KafkaListener listener;
    private final LocalBroker broker;

    public KafkaListenerHealthIndicator(KafkaListener listener, LocalBroker broker) {
        this.listener = listener;
        this.broker = broker;
    }

    @Override
    public Health health() {
        Health.Builder builder = listener.isRunning() ? Health.up() : Health.down();
        return builder.withDetail("listener", broker.listeners().get(0).toString())
                .withDetail("listeners", broker.listeners().stream().map(Object::toString).toList())
                .withDetail("connections", listener.connectionCount())
                .build();
    }
}
