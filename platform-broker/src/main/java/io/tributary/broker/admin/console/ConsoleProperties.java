package io.tributary.broker.admin.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The console under {@code /console} and the history its charts draw from. */
@ConfigurationProperties("tributary.console")
public class ConsoleProperties {

    /** Whether the broker serves the console (the admin API under /api stays either way). */
    private boolean enabled = true;

    /** How often the broker samples its own traffic, partitions and group lag for the charts. */
    private Duration sampleInterval = Duration.ofSeconds(5);

    /** How much history the charts can show; older samples are dropped. */
    private Duration history = Duration.ofHours(1);

    /** How often open pages refresh their live figures and charts. */
    private Duration refreshInterval = Duration.ofSeconds(5);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Duration getSampleInterval() {
        return sampleInterval;
    }

    public void setSampleInterval(Duration sampleInterval) {
        this.sampleInterval = sampleInterval;
    }

    public Duration getHistory() {
        return history;
    }

    public void setHistory(Duration history) {
        this.history = history;
    }

    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }
}
