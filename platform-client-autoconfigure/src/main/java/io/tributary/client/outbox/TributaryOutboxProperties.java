package io.tributary.client.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code tributary.outbox.*} settings: whether the service has an outbox, and how its relay
 * publishes and cleans it.
 */
@ConfigurationProperties(prefix = "tributary.outbox")
public class TributaryOutboxProperties {

    /** Whether the service gets an {@link Outbox} (and, unless relay-enabled is false, its relay). */
    private boolean enabled = true;

    /** Whether this instance runs the relay; false leaves publishing to other instances of the service. */
    private boolean relayEnabled = true;

    /** How long the relay waits before looking again after a pass that found less than a full batch. */
    private Duration pollInterval = Duration.ofMillis(100);

    /** Most rows one relay pass publishes and marks sent in one database transaction. */
    private int batchSize = 500;

    /** How long a relay pass waits for the broker to acknowledge its sends before it gives up and rolls back. */
    private Duration sendTimeout = Duration.ofMinutes(2);

    /** How long rows are kept after they were sent; older ones are deleted by the relay now and then. */
    private Duration retention = Duration.ofDays(7);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isRelayEnabled() {
        return relayEnabled;
    }

    public void setRelayEnabled(boolean relayEnabled) {
        this.relayEnabled = relayEnabled;
    }

    public Duration getPollInterval() {
        return pollInterval;
    }

    public void setPollInterval(Duration pollInterval) {
        this.pollInterval = pollInterval;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public Duration getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }
}
