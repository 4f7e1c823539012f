package io.tributary.broker.admin;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The broker's Micrometer metrics, under {@code tributary.broker.metrics}. */
@ConfigurationProperties(prefix = "tributary.broker.metrics")
public class BrokerMetricsProperties {

    /**
     * How often the per-partition and per-group gauges are re-registered for the partitions and
     * groups that exist, and consumer lag is recomputed.
     */
    private Duration refreshInterval = Duration.ofSeconds(10);

    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }
}
