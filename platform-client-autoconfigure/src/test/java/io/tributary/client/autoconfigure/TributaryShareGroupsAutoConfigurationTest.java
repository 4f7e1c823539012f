package io.tributary.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import io.tributary.client.listener.TypedEventShareListenerContainerFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ShareKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultShareConsumerFactory;
import org.springframework.kafka.core.ShareConsumerFactory;

/** Which share-consumer beans the starter adds, with which settings, and that each backs off. */
class TributaryShareGroupsAutoConfigurationTest {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withPropertyValues("spring.application.name=orders")
            .withInitializer(context -> new TributaryKafkaDefaults().postProcessEnvironment(context.getEnvironment(),
                    new SpringApplication()))
            .withConfiguration(AutoConfigurations.of(TributaryClientAutoConfiguration.class, KafkaAutoConfiguration.class,
                    TributaryShareGroupsAutoConfiguration.class));

    @Test
    void shareConsumersTakeTheServicesConsumerSettingsButNoneThatAShareConsumerRefuses() {
        contextRunner.withPropertyValues("tributary.bootstrap-servers=127.0.0.1:19092",
                "spring.kafka.consumer.properties.max.poll.records=7",
                "spring.kafka.consumer.heartbeat-interval=2s").run(context -> {
            Map<String, Object> settings = context.getBean(ShareConsumerFactory.class).getConfigurationProperties();
            assertThat(settings).containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, List.of("127.0.0.1:19092"))
                    .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "orders")
                    .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "orders")
                    .containsEntry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class)
                    .containsEntry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class)
                    .containsEntry("max.poll.records", "7")
                    .doesNotContainKeys(ShareConsumerSettings.REFUSED_BY_SHARE_CONSUMERS.toArray(String[]::new));
        });
    }

    @Test
    void securityReachesShareConsumers() {
        contextRunner.withPropertyValues("tributary.security.protocol=SASL_PLAINTEXT",
                "tributary.security.sasl.username=orders", "tributary.security.sasl.password=secret").run(context -> {
            Map<String, Object> settings = context.getBean(ShareConsumerFactory.class).getConfigurationProperties();
            assertThat(settings).containsEntry("security.protocol", "SASL_PLAINTEXT")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
            assertThat(settings.get("sasl.jaas.config").toString()).contains("username=\"orders\"");
        });
    }

    @Test
    void implicitAndExplicitShareListenerFactoriesReadTypedEvents() {
        contextRunner.run(context -> {
            ShareKafkaListenerContainerFactory<?, ?> implicit = factory(context, "shareKafkaListenerContainerFactory");
            ShareKafkaListenerContainerFactory<?, ?> explicit = factory(context, "explicitShareKafkaListenerContainerFactory");
            assertThat(implicit).isInstanceOf(TypedEventShareListenerContainerFactory.class);
            assertThat(explicit).isInstanceOf(TypedEventShareListenerContainerFactory.class);
            assertThat(implicit.getContainerProperties().isExplicitShareAcknowledgment()).isFalse();
            assertThat(explicit.getContainerProperties().isExplicitShareAcknowledgment()).isTrue();
        });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        contextRunner.withUserConfiguration(OwnShareConsumers.class).run(context -> {
            assertThat(context).getBean("shareKafkaListenerContainerFactory").isSameAs(OwnShareConsumers.FACTORY);
            assertThat(context.getBean(ShareConsumerFactory.class).getConfigurationProperties())
                    .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "own");
            assertThat(context).hasBean("explicitShareKafkaListenerContainerFactory");
        });
    }

    @Test
    void switchedOffWithTheClient() {
        contextRunner.withPropertyValues("tributary.client.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(ShareConsumerFactory.class).doesNotHaveBean("shareKafkaListenerContainerFactory"));
    }

    private static ShareKafkaListenerContainerFactory<?, ?> factory(ApplicationContext context, String name) {
        return context.getBean(name, ShareKafkaListenerContainerFactory.class);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnShareConsumers {

        static final DefaultShareConsumerFactory<String, String> CONSUMERS = new DefaultShareConsumerFactory<>(
                Map.of(ConsumerConfig.GROUP_ID_CONFIG, "own"));

        static final ShareKafkaListenerContainerFactory<String, String> FACTORY =
                new ShareKafkaListenerContainerFactory<>(CONSUMERS);

        @Bean
        DefaultShareConsumerFactory<String, String> ownShareConsumerFactory() {
            return CONSUMERS;
        }

        @Bean
        ShareKafkaListenerContainerFactory<String, String> shareKafkaListenerContainerFactory() {
            return FACTORY;
        }
    }
}
