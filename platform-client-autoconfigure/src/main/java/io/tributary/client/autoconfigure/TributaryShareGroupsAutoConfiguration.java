package io.tributary.client.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import io.tributary.client.listener.TypedEventShareListenerContainerFactory;
import io.tributary.client.share.ShareGroupConfigurer;
import io.tributary.client.share.ShareGroupDeclaration;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.ShareKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultShareConsumerFactory;
import org.springframework.kafka.core.ShareConsumerFactory;
import org.springframework.kafka.support.converter.RecordMessageConverter;

/**
 * Queues: Kafka share groups (KIP-932) through Spring for Apache Kafka's share consumer containers, which Spring
 * Boot 4.0's Kafka auto-configuration does not build. The share consumers take the service's consumer settings
 * (Boot's {@link ConsumerFactory}, so {@code spring.kafka.*}, the connection details and {@code tributary.security.*}),
 * minus what a share consumer refuses, and their listener methods get typed events like any other. Two listener
 * container factories: {@code shareKafkaListenerContainerFactory} acknowledges each record when the listener
 * returns (accept) or throws (reject), {@code explicitShareKafkaListenerContainerFactory} leaves it to the listener's
 * {@code ShareAcknowledgment}. {@code tributary.share-groups.<group>.*} (and {@link ShareGroupDeclaration} beans)
 * set group configs, such as where a new share group starts, before any listener joins. Each bean backs off when the
 * application defines its own.
 */
@AutoConfiguration(after = { KafkaAutoConfiguration.class, TributaryClientAutoConfiguration.class })
@ConditionalOnClass(ShareKafkaListenerContainerFactory.class)
@ConditionalOnProperty(prefix = "tributary.client", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TributaryClientProperties.class)
public class TributaryShareGroupsAutoConfiguration {

    private final TributaryClientProperties properties;

    TributaryShareGroupsAutoConfiguration(TributaryClientProperties properties) {
        this.properties = properties;
    }

    @Bean
    @ConditionalOnMissingBean(ShareConsumerFactory.class)
    DefaultShareConsumerFactory<Object, Object> shareConsumerFactory(ConsumerFactory<?, ?> consumerFactory) {
        return new DefaultShareConsumerFactory<>(ShareConsumerSettings.from(consumerFactory.getConfigurationProperties()));
    }

    /** Implicit acknowledgement: a record is accepted when the listener returns, rejected (never redelivered) when it throws. */
    @Bean
    @ConditionalOnMissingBean(name = "shareKafkaListenerContainerFactory")
    ShareKafkaListenerContainerFactory<Object, Object> shareKafkaListenerContainerFactory(
            ShareConsumerFactory<?, ?> shareConsumerFactory, RecordMessageConverter messageConverter) {
        return new TypedEventShareListenerContainerFactory<>(anyTypes(shareConsumerFactory), messageConverter);
    }

    /** Explicit acknowledgement: the listener takes a {@code ShareAcknowledgment} and accepts, releases or rejects each record. */
    @Bean
    @ConditionalOnMissingBean(name = "explicitShareKafkaListenerContainerFactory")
    ShareKafkaListenerContainerFactory<Object, Object> explicitShareKafkaListenerContainerFactory(
            ShareConsumerFactory<?, ?> shareConsumerFactory, RecordMessageConverter messageConverter) {
        ShareConsumerFactory<Object, Object> consumers = anyTypes(shareConsumerFactory);
        DefaultShareConsumerFactory<Object, Object> explicitConsumers = new DefaultShareConsumerFactory<>(
                ShareConsumerSettings.explicit(consumers.getConfigurationProperties()));
        // Deserializers the application's factory holds as objects rather than as settings.
        if (consumers.getKeyDeserializer() != null) {
            explicitConsumers.setKeyDeserializer(consumers.getKeyDeserializer());
        }
        if (consumers.getValueDeserializer() != null) {
            explicitConsumers.setValueDeserializer(consumers.getValueDeserializer());
        }
        ShareKafkaListenerContainerFactory<Object, Object> factory = new TypedEventShareListenerContainerFactory<>(
                explicitConsumers, messageConverter);
        factory.getContainerProperties().setExplicitShareAcknowledgment(true);
        return factory;
    }

    /** Declared share groups' configs are on the cluster before any listener container starts. */
    @Bean
    SmartInitializingSingleton tributaryShareGroupConfigurer(ObjectProvider<Admin> admin,
            ObjectProvider<ShareGroupDeclaration> declaredBeans) {
        return () -> {
            List<ShareGroupDeclaration> declarations = new ArrayList<>();
            properties.getShareGroups().forEach((group, settings) -> declarations.add(declaration(group, settings)));
            declaredBeans.orderedStream().forEach(declarations::add);
            if (!declarations.isEmpty()) { // a service without share groups needs no admin client for them
                new ShareGroupConfigurer(admin.getObject(), properties.getAdmin().getTimeout()).configure(declarations);
            }
        };
    }

    /** Listener methods declare their own key and value types; the factory serves them all. */
    @SuppressWarnings("unchecked")
    private static ShareConsumerFactory<Object, Object> anyTypes(ShareConsumerFactory<?, ?> factory) {
        return (ShareConsumerFactory<Object, Object>) factory;
    }

    private static ShareGroupDeclaration declaration(String group, TributaryClientProperties.ShareGroup settings) {
        ShareGroupDeclaration declaration = ShareGroupDeclaration.named(group);
        if (settings.getAutoOffsetReset() != null) {
            declaration = declaration.withAutoOffsetReset(settings.getAutoOffsetReset());
        }
        if (settings.getRecordLockDuration() != null) {
            declaration = declaration.withRecordLockDuration(settings.getRecordLockDuration());
        }
        for (var config : settings.getProperties().entrySet()) {
            declaration = declaration.with(config.getKey(), config.getValue());
        }
        return declaration;
    }
}
