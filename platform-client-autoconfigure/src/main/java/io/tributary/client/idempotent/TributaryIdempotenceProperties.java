package io.tributary.client.idempotent;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code tributary.idempotence.*} settings of the service's {@link IdempotentConsumer}. */
@ConfigurationProperties(prefix = "tributary.idempotence")
public class TributaryIdempotenceProperties {

    /** Whether the service gets an {@link IdempotentConsumer} (when it has a DataSource). */
    private boolean enabled = true;

    /**
     * Whose processing is recorded: events are processed once per consumer. Defaults to the consumer group
     * (spring.kafka.consumer.group-id), else spring.application.name.
     */
    private String consumer;

    /**
     * How long an event is remembered as processed. Must outlast any redelivery of it: at least the topics'
     * retention, if consumer groups may be reset to the beginning of their topics.
     */
    private Duration retention = Duration.ofDays(14);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getConsumer() {
        return consumer;
    }

    public void setConsumer(String consumer) {
        this.consumer = consumer;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }
}
