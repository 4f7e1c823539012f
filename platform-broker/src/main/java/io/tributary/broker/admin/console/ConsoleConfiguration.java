package io.tributary.broker.admin.console;

import java.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.broker.admin.history.MetricsHistory;
import io.tributary.broker.group.ConsumerLag;
import io.tributary.broker.partition.PartitionManager;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The console's beans; {@code tributary.console.enabled=false} leaves them all out. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "tributary.console.enabled", matchIfMissing = true)
public class ConsoleConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    MetricsHistory metricsHistory(MeterRegistry registry, PartitionManager partitions, ConsumerLag lag,
            ConsoleProperties properties) {
        return new MetricsHistory(registry, partitions, lag, Clock.systemUTC(), properties.getSampleInterval(),
                properties.getHistory());
    }

    @Bean
    ConsoleFormat consoleFormat() {
        return new ConsoleFormat();
    }
}
