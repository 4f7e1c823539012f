package io.tributary.client.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.client.actuate.ConsumerLagMonitor;
import io.tributary.client.actuate.TributaryEndpoint;
import io.tributary.client.actuate.TributaryHealthIndicator;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * Actuator for a service on Tributary: the {@code tributary} health indicator, consumer lag gauges, and the
 * {@code /actuator/tributary} endpoint. The Kafka clients' own metrics come from Spring Boot's
 * {@code KafkaMetricsAutoConfiguration}.
 */
@AutoConfiguration(after = TributaryClientAutoConfiguration.class, afterName = {
        "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration" })
@ConditionalOnBean(TributaryClientProperties.class)
public class TributaryActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AbstractHealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("tributary")
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "tributaryHealthIndicator")
        TributaryHealthIndicator tributaryHealthIndicator(Admin admin) {
            return new TributaryHealthIndicator(admin, java.time.Duration.ofSeconds(5));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(KafkaListenerEndpointRegistry.class)
    static class Lag {

        @Bean
        @ConditionalOnMissingBean
        ConsumerLagMonitor consumerLagMonitor(Admin admin, KafkaListenerEndpointRegistry registry,
                ObjectProvider<MeterRegistry> meterRegistry, TributaryClientProperties properties) {
            return new ConsumerLagMonitor(admin, registry, meterRegistry.getIfAvailable(),
                    properties.getMetrics().getLagInterval(), java.time.Duration.ofSeconds(5));
        }

        @Bean
        @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
        @ConditionalOnAvailableEndpoint
        @ConditionalOnMissingBean
        TributaryEndpoint tributaryEndpoint(KafkaConnectionDetails connectionDetails,
                KafkaListenerEndpointRegistry registry, ConsumerLagMonitor lagMonitor) {
            return new TributaryEndpoint(String.join(",", connectionDetails.getBootstrapServers()), registry, lagMonitor);
        }
    }
}
