package io.tributary.client.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import io.tributary.client.events.EventCodec;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.events.EventTypes;
import io.tributary.client.events.EventTypesCustomizer;
import io.tributary.client.listener.DeadLetters;
import io.tributary.client.listener.TypedEventMessageConverter;
import io.tributary.client.topics.TopicDeclaration;
import io.tributary.client.topics.TopicDeclarations;
import io.tributary.client.topics.TopicDeclarer;
import org.apache.kafka.clients.admin.Admin;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.support.converter.RecordMessageConverter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's typed events, dead letters and topic declarations on Tributary, on top of Spring Boot's Kafka
 * auto-configuration: Boot builds the producer factory, the {@link KafkaTemplate}, the consumer factory and the
 * listener container factory from {@code spring.kafka.*}, with the platform's defaults underneath
 * ({@link TributaryKafkaDefaults}); this adds what is Tributary's own and hands Boot the pieces it picks up by
 * type: the {@link RecordMessageConverter} that decodes typed events and the {@link CommonErrorHandler} that
 * retries then dead-letters. {@code tributary.bootstrap-servers}, when set, becomes the
 * {@link KafkaConnectionDetails}. Each bean backs off when the application defines its own.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class,
        afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass({ KafkaTemplate.class, KafkaAutoConfiguration.class })
@ConditionalOnProperty(prefix = "tributary.client", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TributaryClientProperties.class)
public class TributaryClientAutoConfiguration {

    private final TributaryClientProperties properties;

    TributaryClientAutoConfiguration(TributaryClientProperties properties) {
        this.properties = properties;
    }

    /** {@code tributary.bootstrap-servers}, when set, as Boot's connection details; otherwise Boot's own apply. */
    @Bean
    @ConditionalOnMissingBean(KafkaConnectionDetails.class)
    @ConditionalOnProperty(prefix = "tributary", name = "bootstrap-servers")
    KafkaConnectionDetails tributaryConnectionDetails(KafkaProperties kafkaProperties,
            ObjectProvider<SslBundles> sslBundles) {
        return new TributaryConnectionDetails(properties.getBootstrapServers(), kafkaProperties,
                sslBundles.getIfAvailable());
    }

    @Bean
    @ConditionalOnMissingBean
    EventTypes eventTypes(BeanFactory beanFactory, ObjectProvider<EventTypesCustomizer> customizers) {
        EventTypes eventTypes = new EventTypes();
        EventTypeScanner.scan(beanFactory, eventTypes);
        customizers.orderedStream().forEach(customizer -> customizer.customize(eventTypes));
        return eventTypes;
    }

    @Bean
    @ConditionalOnMissingBean
    EventCodec eventCodec(ObjectProvider<JsonMapper> jsonMapper, EventTypes eventTypes) {
        return new EventCodec(jsonMapper.getIfAvailable(() -> JsonMapper.builder().build()), eventTypes);
    }

    @Bean
    @ConditionalOnMissingBean
    EventPublisher eventPublisher(KafkaTemplate<String, byte[]> kafkaTemplate, EventCodec eventCodec) {
        return new EventPublisher(kafkaTemplate, eventCodec);
    }

    /** Decodes a record into the event class its type header names; Boot's listener container factory takes it. */
    @Bean
    @ConditionalOnMissingBean
    RecordMessageConverter tributaryMessageConverter(EventCodec eventCodec, TopicDeclarations topicDeclarations) {
        return new TypedEventMessageConverter(eventCodec, topicDeclarations);
    }

    @Bean
    @ConditionalOnMissingBean
    TopicDeclarations topicDeclarations(ObjectProvider<TopicDeclaration> declaredBeans) {
        List<TopicDeclaration> declarations = new ArrayList<>();
        properties.getTopics().forEach((name, topic) -> declarations.add(new TopicDeclaration(name,
                topic.getPartitions(), topic.getReplicationFactor(), topic.getRetention(), topic.getCleanupPolicy(),
                topic.isKeyRequired(), topic.isDeadLetter())));
        declaredBeans.orderedStream().forEach(declarations::add);
        return new TopicDeclarations(declarations, properties.getDeadLetter().isEnabled(),
                properties.getDeadLetter().getSuffix());
    }

    /** An admin client with the settings of Boot's {@link KafkaAdmin}: its connection details, client id, security. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Admin tributaryAdmin(KafkaAdmin kafkaAdmin) {
        return new TributaryAdmin(kafkaAdmin.getConfigurationProperties());
    }

    /** Declared topics exist before any listener container starts. */
    @Bean
    SmartInitializingSingleton tributaryTopicDeclarer(Admin admin, TopicDeclarations declarations) {
        return () -> new TopicDeclarer(admin, properties.getAdmin().getTimeout(), properties.getAdmin().isFailOnMismatch())
                .declare(declarations.all());
    }

    /** Retries in place, then the dead-letter topic; Boot's listener container factory takes it. */
    @Bean
    @ConditionalOnMissingBean
    CommonErrorHandler tributaryErrorHandler(KafkaTemplate<String, byte[]> kafkaTemplate) {
        TributaryClientProperties.Retry retry = properties.getRetry();
        return DeadLetters.errorHandler(properties.getDeadLetter().isEnabled() ? kafkaTemplate : null,
                properties.getDeadLetter().getSuffix(), retry.getMaxAttempts(), retry.getInitialInterval().toMillis(),
                retry.getMultiplier(), retry.getMaxInterval().toMillis());
    }
}
