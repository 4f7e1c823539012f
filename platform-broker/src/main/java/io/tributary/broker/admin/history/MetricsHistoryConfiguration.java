package io.tributary.broker.admin.history;

import java.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.broker.admin.console.ConsoleProperties;
import io.tributary.broker.admin.service.GroupAdmin;
import io.tributary.broker.partition.PartitionManager;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The history the console's charts draw from; sampled only while the console is on. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "tributary.console.enabled", matchIfMissing = true)
public class MetricsHistoryConfiguration {

    @Bean(initMethod = "start", destroyMethod = "close")
    MetricsHistory metricsHistory(MeterRegistry registry, PartitionManager partitions, GroupAdmin groups,
            ConsoleProperties properties) {
        return new MetricsHistory(registry, partitions, groups::coordinatedLags, Clock.systemUTC(),
                properties.getSampleInterval(), properties.getHistory());
    }
}
