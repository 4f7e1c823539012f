package io.tributary.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import io.tributary.client.actuate.ConsumerLagMonitor;
import io.tributary.client.actuate.TributaryEndpoint;
import io.tributary.client.actuate.TributaryHealthIndicator;
import io.tributary.client.autoconfigure.scanned.ScannedEvent;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.events.EventTypes;
import io.tributary.client.topics.TopicDeclaration;
import io.tributary.client.topics.TopicDeclarations;
import java.util.List;
import io.tributary.client.listener.TypedEventMessageConverter;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.converter.RecordMessageConverter;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurationPackage;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

class TributaryClientAutoConfigurationTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withPropertyValues("spring.application.name=orders")
            .withInitializer(context -> new TributaryKafkaDefaults().postProcessEnvironment(context.getEnvironment(),
                    new SpringApplication()))
            .withConfiguration(AutoConfigurations.of(TributaryClientAutoConfiguration.class,
                    TributaryActuatorAutoConfiguration.class, KafkaAutoConfiguration.class));

    @Test
    void withoutSettingsBootsDefaultBootstrapServersApply() {
        contextRunner.run(context -> {
            assertThat(context).hasSingleBean(KafkaConnectionDetails.class)
                    .doesNotHaveBean(TributaryConnectionDetails.class);
            assertThat(producerConfigs(context)).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    List.of("localhost:9092"));
        });
    }

    @Test
    void platformDefaultsReachProducerConsumerAndListenerContainers() {
        contextRunner.run(context -> {
            assertThat(producerConfigs(context)).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                    .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
                    .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                    .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "5")
                    .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "orders")
                    .containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
            assertThat(consumerConfigs(context)).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "orders")
                    .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                    .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
                    .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "orders")
                    .containsEntry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            ContainerProperties container = listenerContainer(context).getContainerProperties();
            assertThat(container.getAckMode()).isEqualTo(ContainerProperties.AckMode.BATCH);
            assertThat(container.isObservationEnabled()).isTrue();
            assertThat(context.getBean(KafkaTemplate.class)).extracting("observationEnabled").isEqualTo(true);
            assertThat(context).hasSingleBean(EventPublisher.class).hasSingleBean(KafkaTemplate.class);
        });
    }

    @Test
    void withoutAnApplicationNameTheGroupAndClientIdAreTheClients() {
        new ApplicationContextRunner()
                .withInitializer(context -> new TributaryKafkaDefaults().postProcessEnvironment(
                        context.getEnvironment(), new SpringApplication()))
                .withConfiguration(AutoConfigurations.of(TributaryClientAutoConfiguration.class,
                        KafkaAutoConfiguration.class))
                .run(context -> assertThat(consumerConfigs(context))
                        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "tributary-client")
                        .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "tributary-client"));
    }

    @Test
    void everySpringKafkaSettingWinsOverThePlatformsDefaults() {
        contextRunner.withPropertyValues("spring.kafka.bootstrap-servers=127.0.0.1:19092,localhost:19093",
                "spring.kafka.client-id=orders-api", "spring.kafka.producer.acks=1",
                "spring.kafka.producer.compression-type=zstd", "spring.kafka.producer.properties.linger.ms=50",
                "spring.kafka.producer.batch-size=32KB", "spring.kafka.consumer.group-id=invoicing",
                "spring.kafka.consumer.auto-offset-reset=latest", "spring.kafka.consumer.max-poll-records=7",
                "spring.kafka.consumer.properties.fetch.min.bytes=1024", "spring.kafka.listener.ack-mode=record",
                "spring.kafka.listener.concurrency=3", "spring.kafka.listener.observation-enabled=false",
                "spring.kafka.template.observation-enabled=false", "spring.kafka.admin.client-id=orders-admin")
                .run(context -> {
                    assertThat(producerConfigs(context))
                            .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, List.of("127.0.0.1:19092", "localhost:19093"))
                            .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "orders-api")
                            .containsEntry(ProducerConfig.ACKS_CONFIG, "1")
                            .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                            .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "50")
                            .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 32768);
                    assertThat(consumerConfigs(context))
                            .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, List.of("127.0.0.1:19092", "localhost:19093"))
                            .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "invoicing")
                            .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest")
                            .containsEntry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 7)
                            .containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1024");
                    ConcurrentMessageListenerContainer<?, ?> container = listenerContainer(context);
                    assertThat(container.getContainerProperties().getAckMode())
                            .isEqualTo(ContainerProperties.AckMode.RECORD);
                    assertThat(container.getContainerProperties().isObservationEnabled()).isFalse();
                    assertThat(container.getConcurrency()).isEqualTo(3);
                    assertThat(context.getBean(KafkaTemplate.class)).extracting("observationEnabled").isEqualTo(false);
                    // The admin client the health indicator, lag and topic declarations use is Boot's KafkaAdmin's.
                    assertThat(context.getBean(KafkaAdmin.class).getConfigurationProperties())
                            .containsEntry(AdminClientConfig.CLIENT_ID_CONFIG, "orders-admin")
                            .containsEntry(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, List.of("127.0.0.1:19092", "localhost:19093"));
                });
    }

    @Test
    void settingsThePlatformHasNoDefaultForReachTheClientsAsBootDocumentsThem() {
        contextRunner.withPropertyValues("spring.kafka.properties.request.timeout.ms=12345",
                "spring.kafka.security.protocol=PLAINTEXT", "spring.kafka.producer.retries=7",
                "spring.kafka.producer.buffer-memory=16MB", "spring.kafka.consumer.isolation-level=read-committed",
                "spring.kafka.consumer.heartbeat-interval=2s", "spring.kafka.consumer.fetch-max-wait=250ms",
                "spring.kafka.listener.poll-timeout=3s", "spring.kafka.listener.client-id=orders-listener",
                "spring.kafka.admin.properties.default.api.timeout.ms=40000")
                .run(context -> {
                    assertThat(producerConfigs(context)).containsEntry("request.timeout.ms", "12345")
                            .containsEntry("security.protocol", "PLAINTEXT")
                            .containsEntry(ProducerConfig.RETRIES_CONFIG, 7)
                            .containsEntry(ProducerConfig.BUFFER_MEMORY_CONFIG, 16L * 1024 * 1024)
                            .containsEntry(ProducerConfig.ACKS_CONFIG, "all");
                    assertThat(consumerConfigs(context)).containsEntry("request.timeout.ms", "12345")
                            .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                            .containsEntry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2000)
                            .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 250)
                            .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "orders");
                    ContainerProperties container = listenerContainer(context).getContainerProperties();
                    assertThat(container.getPollTimeout()).isEqualTo(3000);
                    assertThat(container.getClientId()).isEqualTo("orders-listener");
                    assertThat(context.getBean(KafkaAdmin.class).getConfigurationProperties())
                            .containsEntry("request.timeout.ms", "12345")
                            .containsEntry("default.api.timeout.ms", "40000");
                });
    }

    @Test
    void tributaryBootstrapServersAreTheConnectionDetailsOfEveryClient() {
        contextRunner.withPropertyValues("tributary.bootstrap-servers=127.0.0.1:29092, localhost:29093",
                "spring.kafka.bootstrap-servers=127.0.0.2:9092").run(context -> {
                    assertThat(context.getBean(KafkaConnectionDetails.class)).isInstanceOf(TributaryConnectionDetails.class);
                    List<String> expected = List.of("127.0.0.1:29092", "localhost:29093");
                    assertThat(producerConfigs(context)).containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, expected);
                    assertThat(consumerConfigs(context)).containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, expected);
                    assertThat(context.getBean(KafkaAdmin.class).getConfigurationProperties())
                            .containsEntry(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, expected);
                });
    }

    @Test
    void deprecatedTributaryKeysStillApplyButLoseToSpringKafka() {
        contextRunner.withPropertyValues("tributary.consumer.group-id=billing", "tributary.producer.acks=1",
                "tributary.producer.linger=20ms", "tributary.client-id=old-id",
                "tributary.producer.properties.batch.size=65536", "tributary.consumer.properties.fetch.min.bytes=1024",
                "tributary.consumer.concurrency=2", "tributary.consumer.auto-offset-reset=latest",
                "spring.kafka.consumer.auto-offset-reset=none")
                .run(context -> {
                    assertThat(producerConfigs(context)).containsEntry(ProducerConfig.ACKS_CONFIG, "1")
                            .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "20")
                            .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "old-id")
                            .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, "65536")
                            .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
                    assertThat(consumerConfigs(context)).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "billing")
                            .containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1024")
                            .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
                    assertThat(listenerContainer(context).getConcurrency()).isEqualTo(2);
                });
    }

    @Test
    void bootsListenerContainersGetTheTypedEventConverterAndTheDeadLetteringErrorHandler() {
        contextRunner.run(context -> {
            Object factory = context.getBean("kafkaListenerContainerFactory");
            assertThat(factory).extracting("recordMessageConverter").isSameAs(context.getBean(RecordMessageConverter.class))
                    .isInstanceOf(TypedEventMessageConverter.class);
            assertThat(listenerContainer(context).getCommonErrorHandler())
                    .isSameAs(context.getBean(CommonErrorHandler.class)).isInstanceOf(DefaultErrorHandler.class);
        });
    }

    @Test
    void theApplicationsConnectionDetailsWinOverTributaryBootstrapServers() {
        contextRunner.withPropertyValues("tributary.bootstrap-servers=127.0.0.1:29092")
                .withBean(KafkaConnectionDetails.class, () -> () -> List.of("127.0.0.3:9092"))
                .run(context -> assertThat(producerConfigs(context))
                        .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, List.of("127.0.0.3:9092")));
    }

    @Test
    void theApplicationsErrorHandlerAndConverterWin() {
        CommonErrorHandler ownHandler = new DefaultErrorHandler();
        RecordMessageConverter ownConverter = new org.springframework.kafka.support.converter.MessagingMessageConverter();
        contextRunner.withBean(CommonErrorHandler.class, () -> ownHandler)
                .withBean(RecordMessageConverter.class, () -> ownConverter)
                .run(context -> {
                    assertThat(listenerContainer(context).getCommonErrorHandler()).isSameAs(ownHandler);
                    assertThat(context.getBean("kafkaListenerContainerFactory")).extracting("recordMessageConverter")
                            .isSameAs(ownConverter);
                });
    }

    private static Map<String, Object> producerConfigs(ApplicationContext context) {
        return ((DefaultKafkaProducerFactory<?, ?>) context.getBean(ProducerFactory.class)).getConfigurationProperties();
    }

    private static Map<String, Object> consumerConfigs(ApplicationContext context) {
        return context.getBean(DefaultKafkaConsumerFactory.class).getConfigurationProperties();
    }

    private static ConcurrentMessageListenerContainer<?, ?> listenerContainer(ApplicationContext context) {
        ConcurrentKafkaListenerContainerFactory<?, ?> factory = context.getBean("kafkaListenerContainerFactory",
                ConcurrentKafkaListenerContainerFactory.class);
        return factory.createContainer("some-topic");
    }

    @Test
    void backsOffFromTheApplicationsOwnBeans() {
        contextRunner.withUserConfiguration(OwnKafkaBeans.class).run(context -> {
            assertThat(context.getBean(ProducerFactory.class)).isSameAs(context.getBean("ownProducerFactory"));
            assertThat(context.getBean(KafkaTemplate.class)).isSameAs(context.getBean("ownTemplate"));
            assertThat(context.getBean("kafkaListenerContainerFactory")).isSameAs(OwnKafkaBeans.FACTORY);
        });
    }

    @Test
    void canBeSwitchedOff() {
        contextRunner.withPropertyValues("tributary.client.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(EventPublisher.class)
                        .doesNotHaveBean(TributaryClientProperties.class)
                        .doesNotHaveBean(TributaryHealthIndicator.class)
                        .doesNotHaveBean(TributaryConnectionDetails.class));
        // Nor does it set the platform's defaults: Boot's (the Kafka clients') apply.
        contextRunner.withPropertyValues("tributary.client.enabled=false", "tributary.producer.acks=1")
                .run(context -> assertThat(producerConfigs(context)).doesNotContainKey(ProducerConfig.ACKS_CONFIG)
                        .doesNotContainKey(ProducerConfig.COMPRESSION_TYPE_CONFIG));
    }

    @Test
    void eventTypesAreFoundInTheApplicationsPackages() {
        contextRunner.withUserConfiguration(ScanPackages.class).run(context -> {
            EventTypes eventTypes = context.getBean(EventTypes.class);
            assertThat(eventTypes.classOf("ScannedThing")).contains(ScannedEvent.class);
            assertThat(eventTypes.nameOf(ScannedEvent.class)).isEqualTo("ScannedThing");
        });
    }

    @Test
    void topicsDeclaredInPropertiesAndAsBeansComeWithDeadLetterTopics() {
        // No broker here: the declarer gives up quickly, with a message that names the setting to check.
        contextRunner.withUserConfiguration(DeclaredTopicBean.class)
                .withPropertyValues("tributary.bootstrap-servers=127.0.0.1:1", "tributary.admin.timeout=1s",
                        "tributary.topics.orders.partitions=6", "tributary.topics.orders.key-required=true",
                        "tributary.topics.orders.retention=7d", "tributary.topics.customers.cleanup-policy=compact")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasMessageContaining("spring.kafka.bootstrap-servers");
                });
        TopicDeclarations declarations = new TopicDeclarations(java.util.List.of(
                TopicDeclaration.named("orders").withPartitions(6).requiringKeys(),
                TopicDeclaration.named("customers").compacted()), true, ".DLT");
        assertThat(declarations.all()).extracting(TopicDeclaration::name)
                .containsExactly("orders", "orders.DLT", "customers", "customers.DLT");
        assertThat(declarations.find("orders.DLT").orElseThrow().partitions()).isEqualTo(6);
        assertThat(declarations.find("customers.DLT").orElseThrow().cleanupPolicy()).isEqualTo("delete");
        assertThat(declarations.keyRequired("orders")).isTrue();
        assertThat(declarations.keyRequired("orders.DLT")).isFalse();
    }

    @Test
    void actuatorGetsHealthLagAndEndpointWhenPresent() {
        contextRunner.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class,
                EndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class))
                .withPropertyValues("management.endpoints.web.exposure.include=tributary")
                .run(context -> assertThat(context).hasSingleBean(TributaryHealthIndicator.class)
                        .hasSingleBean(ConsumerLagMonitor.class)
                        .hasSingleBean(TributaryEndpoint.class));
    }

    @Test
    void healthIndicatorCanBeSwitchedOff() {
        contextRunner.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class))
                .withPropertyValues("management.health.tributary.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(TributaryHealthIndicator.class));
    }

    @Test
    void healthIsDownWithTheReasonWhenTheClusterDoesNotAnswer() {
        contextRunner.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class))
                .withPropertyValues("tributary.bootstrap-servers=127.0.0.1:1")
                .run(context -> {
                    var health = context.getBean(TributaryHealthIndicator.class).health(true);
                    assertThat(health.getStatus()).isEqualTo(org.springframework.boot.health.contributor.Status.DOWN);
                    assertThat(health.getDetails()).containsKey("error");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnKafkaBeans {

        static final ConcurrentKafkaListenerContainerFactory<Object, Object> FACTORY = new ConcurrentKafkaListenerContainerFactory<>();

        @Bean
        ProducerFactory<String, byte[]> ownProducerFactory() {
            return new DefaultKafkaProducerFactory<>(Map.of());
        }

        @Bean
        KafkaTemplate<String, byte[]> ownTemplate(ProducerFactory<String, byte[]> factory) {
            return new KafkaTemplate<>(factory);
        }

        @Bean
        ConcurrentKafkaListenerContainerFactory<Object, Object> kafkaListenerContainerFactory() {
            return FACTORY;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigurationPackage(basePackageClasses = ScannedEvent.class)
    static class ScanPackages {
    }

    @Configuration(proxyBeanMethods = false)
    static class DeclaredTopicBean {

        @Bean
        TopicDeclaration payments() {
            return TopicDeclaration.named("payments").withPartitions(3);
        }
    }
}
