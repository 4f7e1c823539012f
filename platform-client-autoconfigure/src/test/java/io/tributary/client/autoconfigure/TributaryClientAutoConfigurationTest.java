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
import org.apache.kafka.clients.consumer.ConsumerConfig;
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
            .withConfiguration(AutoConfigurations.of(TributaryClientAutoConfiguration.class,
                    TributaryActuatorAutoConfiguration.class));

    @Test
    void bootstrapServersDefaultToTheLocalBroker() {
        contextRunner.run(context -> assertThat(context.getBean(TributaryClientProperties.class).getBootstrapServers())
                .isEqualTo("localhost:9092"));
    }

    @Test
    void producerDefaultsAreSafeAndNamedAfterTheApplication() {
        contextRunner.withPropertyValues("tributary.bootstrap-servers=localhost:9092,127.0.0.1:9093").run(context -> {
            Map<String, Object> configs = ((DefaultKafkaProducerFactory<?, ?>) context.getBean(ProducerFactory.class))
                    .getConfigurationProperties();
            assertThat(configs).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                    .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                    .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                    .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "orders")
                    .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092,127.0.0.1:9093");
            assertThat(context).hasSingleBean(EventPublisher.class).hasSingleBean(KafkaTemplate.class);
        });
    }

    @Test
    void consumersCommitThemselvesAfterHandlingInTheApplicationsGroup() {
        contextRunner.run(context -> {
            Map<String, Object> configs = context.getBean(DefaultKafkaConsumerFactory.class).getConfigurationProperties();
            assertThat(configs).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "orders")
                    .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
                    .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            assertThat(context).hasBean("kafkaListenerContainerFactory");
        });
    }

    @Test
    void clientSettingsPassThroughAndGroupCanBeNamed() {
        contextRunner.withPropertyValues("tributary.consumer.group-id=billing", "tributary.producer.acks=1",
                "tributary.producer.properties.batch.size=65536", "tributary.consumer.properties.fetch.min.bytes=1024")
                .run(context -> {
                    assertThat(context.getBean(DefaultKafkaProducerFactory.class).getConfigurationProperties())
                            .containsEntry(ProducerConfig.ACKS_CONFIG, "1")
                            .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
                    assertThat(context.getBean(DefaultKafkaConsumerFactory.class).getConfigurationProperties())
                            .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "billing")
                            .containsEntry(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "1024");
                });
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
                        .doesNotHaveBean(TributaryHealthIndicator.class));
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
                    assertThat(context.getStartupFailure()).hasMessageContaining("tributary.bootstrap-servers");
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
