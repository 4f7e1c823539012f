package io.tributary.client.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.client.actuate.ConsumerLagMonitor;
import io.tributary.client.actuate.TributaryEndpoint;
import io.tributary.client.actuate.TributaryHealthIndicator;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Actuator for a service on Tributary: the {@code tributary} health indicator, the Kafka clients'
 * metrics in Micrometer, consumer lag gauges, and the {@code /actuator/tributary} endpoint.
 */
@AutoConfiguration(after = TributaryClientAutoConfiguration.class, afterName = {
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
    @ConditionalOnBean(MeterRegistry.class)
    static class Metrics {

        /** Kafka client metrics for every producer and consumer the factories create from now on. */
        @Bean
        SmartInitializingSingleton tributaryClientMetrics(MeterRegistry meterRegistry,
                ObjectProvider<ProducerFactory<?, ?>> producerFactories, ObjectProvider<ConsumerFactory<?, ?>> consumerFactories) {
            return () -> {
                producerFactories.forEach(factory -> factory.addListener(new MicrometerProducerListener<>(meterRegistry)));
                consumerFactories.forEach(factory -> factory.addListener(new MicrometerConsumerListener<>(meterRegistry)));
            };
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
        TributaryEndpoint tributaryEndpoint(TributaryClientProperties properties, KafkaListenerEndpointRegistry registry,
                ConsumerLagMonitor lagMonitor) {
            return new TributaryEndpoint(properties.getBootstrapServers(), registry, lagMonitor);
        }
    }
}
