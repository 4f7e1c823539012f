package io.tributary.client.autoconfigure;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.tributary.client.events.EventCodec;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.events.EventTypes;
import io.tributary.client.events.EventTypesCustomizer;
import io.tributary.client.listener.DeadLetters;
import io.tributary.client.listener.TypedEventMessageConverter;
import io.tributary.client.topics.TopicDeclaration;
import io.tributary.client.topics.TopicDeclarations;
import io.tributary.client.topics.TopicDeclarer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerConfigUtils;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ContainerProperties;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service's producer and consumer groups on Tributary, with the platform's conventions: typed JSON
 * events, safe producer defaults, commits only after a listener succeeded, retries then a dead-letter
 * topic, and declared topics created at start-up. Each bean backs off when the application defines
 * its own. Runs before Spring Boot's Kafka auto-configuration, which then finds the beans in place.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
        afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(KafkaTemplate.class)
@ConditionalOnProperty(prefix = "tributary.client", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TributaryClientProperties.class)
public class TributaryClientAutoConfiguration {

    private final TributaryClientProperties properties;
    private final String applicationName;

    TributaryClientAutoConfiguration(TributaryClientProperties properties, Environment environment) {
        this.properties = properties;
        this.applicationName = environment.getProperty("spring.application.name", "tributary-client");
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
    ProducerFactory<String, byte[]> tributaryProducerFactory() {
        TributaryClientProperties.Producer producer = properties.getProducer();
        Map<String, Object> configs = commonConfigs();
        configs.put(ProducerConfig.ACKS_CONFIG, producer.getAcks());
        configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, producer.isIdempotence());
        configs.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, producer.getCompressionType());
        configs.put(ProducerConfig.LINGER_MS_CONFIG, (int) producer.getLinger().toMillis());
        configs.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) producer.getDeliveryTimeout().toMillis());
        configs.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        configs.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        configs.putAll(producer.getProperties());
        return new DefaultKafkaProducerFactory<>(configs);
    }

    @Bean
    @ConditionalOnMissingBean
    KafkaTemplate<String, byte[]> kafkaTemplate(ProducerFactory<String, byte[]> producerFactory) {
        return new KafkaTemplate<>(producerFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    EventPublisher eventPublisher(KafkaTemplate<String, byte[]> kafkaTemplate, EventCodec eventCodec) {
        return new EventPublisher(kafkaTemplate, eventCodec);
    }

    @Bean
    @ConditionalOnMissingBean
    ConsumerFactory<String, byte[]> tributaryConsumerFactory() {
        TributaryClientProperties.Consumer consumer = properties.getConsumer();
        Map<String, Object> configs = commonConfigs();
        configs.put(ConsumerConfig.GROUP_ID_CONFIG, groupId());
        configs.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, consumer.getAutoOffsetReset());
        // The container commits, after the listener handled the records.
        configs.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        configs.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, consumer.getMaxPollRecords());
        configs.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        // Bytes in: a payload that is not valid JSON fails in the listener's converter, where it can be dead-lettered.
        configs.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        configs.putAll(consumer.getProperties());
        return new DefaultKafkaConsumerFactory<>(configs);
    }

    @Bean
    @ConditionalOnMissingBean
    TopicDeclarations topicDeclarations(ObjectProvider<TopicDeclaration> declaredBeans) {
        List<TopicDeclaration> declarations = new java.util.ArrayList<>();
        properties.getTopics().forEach((name, topic) -> declarations.add(new TopicDeclaration(name,
                topic.getPartitions(), topic.getReplicationFactor(), topic.getRetention(), topic.getCleanupPolicy(),
                topic.isKeyRequired(), topic.isDeadLetter())));
        declaredBeans.orderedStream().forEach(declarations::add);
        return new TopicDeclarations(declarations, properties.getDeadLetter().isEnabled(),
                properties.getDeadLetter().getSuffix());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Admin tributaryAdmin() {
        return new TributaryAdmin(commonConfigs());
    }

    /** Declared topics exist before any listener container starts. */
    @Bean
    SmartInitializingSingleton tributaryTopicDeclarer(Admin admin, TopicDeclarations declarations) {
        return () -> new TopicDeclarer(admin, properties.getAdmin().getTimeout(), properties.getAdmin().isFailOnMismatch())
                .declare(declarations.all());
    }

    @Bean
    @ConditionalOnMissingBean
    CommonErrorHandler tributaryErrorHandler(KafkaTemplate<String, byte[]> kafkaTemplate) {
        TributaryClientProperties.Retry retry = properties.getRetry();
        return DeadLetters.errorHandler(properties.getDeadLetter().isEnabled() ? kafkaTemplate : null,
                properties.getDeadLetter().getSuffix(), retry.getMaxAttempts(), retry.getInitialInterval().toMillis(),
                retry.getMultiplier(), retry.getMaxInterval().toMillis());
    }

    @Bean
    @ConditionalOnMissingBean(name = "kafkaListenerContainerFactory")
    ConcurrentKafkaListenerContainerFactory<String, byte[]> kafkaListenerContainerFactory(
            ConsumerFactory<String, byte[]> consumerFactory, CommonErrorHandler errorHandler, EventCodec eventCodec,
            TopicDeclarations topicDeclarations) {
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory);
        factory.setConcurrency(properties.getConsumer().getConcurrency());
        factory.setCommonErrorHandler(errorHandler);
        factory.setRecordMessageConverter(new TypedEventMessageConverter(eventCodec, topicDeclarations));
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        return factory;
    }

    private Map<String, Object> commonConfigs() {
        Map<String, Object> configs = new HashMap<>();
        configs.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, properties.getBootstrapServers());
        configs.put(CommonClientConfigs.CLIENT_ID_CONFIG,
                properties.getClientId() != null ? properties.getClientId() : applicationName);
        return configs;
    }

    private String groupId() {
        return properties.getConsumer().getGroupId() != null ? properties.getConsumer().getGroupId() : applicationName;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableKafka
    @ConditionalOnMissingBean(name = KafkaListenerConfigUtils.KAFKA_LISTENER_ANNOTATION_PROCESSOR_BEAN_NAME)
    static class EnableKafkaConfiguration {
    }
}
