package io.tributary.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import io.tributary.client.autoconfigure.TributaryActuatorAutoConfiguration;
import io.tributary.client.autoconfigure.TributaryClientAutoConfiguration;
import io.tributary.client.autoconfigure.TributaryKafkaDefaults;
import io.tributary.client.actuate.TributaryEndpoint;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.it.ShopEvents.OrderPlaced;
import io.tributary.client.test.EmbeddedTributaryBroker;
import io.tributary.client.test.EmbeddedTributaryExtension;
import io.tributary.client.topics.TopicDeclarationMismatchException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListener;
import io.micrometer.core.instrument.MeterRegistry;

/** Several instances of one service, topic declarations meeting existing topics, and what Actuator shows. */
@ExtendWith(EmbeddedTributaryExtension.class)
class ServiceInstancesTest {

    /** Which instance handled which order, across both instances. */
    static final Map<String, String> HANDLED_BY = new ConcurrentHashMap<>();
    static final Map<String, java.util.concurrent.atomic.AtomicInteger> DELIVERIES = new ConcurrentHashMap<>();

    private ApplicationContextRunner service(EmbeddedTributaryBroker broker, String instance) {
        return new ApplicationContextRunner()
                .withInitializer(context -> new TributaryKafkaDefaults().postProcessEnvironment(
                        context.getEnvironment(), new org.springframework.boot.SpringApplication()))
                .withConfiguration(AutoConfigurations.of(TributaryClientAutoConfiguration.class,
                        org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration.class,
                        org.springframework.boot.kafka.autoconfigure.metrics.KafkaMetricsAutoConfiguration.class,
                        TributaryActuatorAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                        EndpointAutoConfiguration.class, MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class))
                .withUserConfiguration(CountingService.class)
                .withPropertyValues("spring.application.name=counting", "instance=" + instance,
                        "tributary.bootstrap-servers=" + broker.bootstrapServers(),
                        "tributary.topics.counted.partitions=4", "spring.kafka.producer.properties.linger.ms=0",
                        "management.endpoints.web.exposure.include=tributary");
    }

    @Test
    void twoInstancesShareTheGroupsPartitionsAndEachEventIsHandledOnce(EmbeddedTributaryBroker broker) {
        service(broker, "a").run(a -> service(broker, "b").run(b -> {
            await().atMost(Duration.ofSeconds(60)).until(() -> assigned(a).size() == 2 && assigned(b).size() == 2);
            assertThat(assigned(a)).doesNotContainAnyElementsOf(assigned(b));

            EventPublisher publisher = a.getBean(EventPublisher.class);
            for (int i = 0; i < 100; i++) {
                publisher.publish("counted", "order-" + i, new OrderPlaced("order-" + i, BigDecimal.ONE));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> HANDLED_BY.size() == 100);
            assertThat(Set.copyOf(HANDLED_BY.values())).containsExactlyInAnyOrder("a", "b");
            assertThat(DELIVERIES.values()).allSatisfy(count -> assertThat(count).hasValue(1));

            TributaryEndpoint.Report report = a.getBean(TributaryEndpoint.class).report();
            assertThat(report.groups()).singleElement().satisfies(group -> {
                assertThat(group.groupId()).isEqualTo("counting");
                assertThat(group.listeners()).singleElement()
                        .satisfies(l -> assertThat(l.assignedPartitions()).hasSize(2));
                assertThat(group.lag()).hasSize(4).allSatisfy(lag -> assertThat(lag.lag()).isZero());
            });
            assertThat(a.getBean(MeterRegistry.class).find("tributary.consumer.lag").tag("topic", "counted").gauges())
                    .hasSize(4);
            assertThat(a.getBean(MeterRegistry.class).find("kafka.producer.record.send.total").functionCounter())
                    .as("the producer's own metrics are in Micrometer").isNotNull();
            Health health = a.getBean(io.tributary.client.actuate.TributaryHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKey("clusterId");
        }));
    }

    @Test
    void anExistingTopicWithFewerPartitionsThanDeclaredStopsStartUpWithTheReason(EmbeddedTributaryBroker broker)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("too-small", 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
        }
        ContextConsumer<AssertableApplicationContext> failsWithMismatch = context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(TopicDeclarationMismatchException.class)
                    .hasMessageContaining("too-small: declared 3 partitions, the topic has 1");
        };
        service(broker, "a").withPropertyValues("tributary.topics.too-small.partitions=3").run(failsWithMismatch);
        service(broker, "a").withPropertyValues("tributary.topics.too-small.partitions=3",
                "tributary.admin.fail-on-mismatch=false").run(context -> assertThat(context).hasNotFailed());
    }

    private static Set<String> assigned(AssertableApplicationContext context) {
        return context.getBean(org.springframework.kafka.config.KafkaListenerEndpointRegistry.class)
                .getListenerContainers().stream()
                .flatMap(c -> c.getAssignedPartitions() == null ? java.util.stream.Stream.empty()
                        : c.getAssignedPartitions().stream())
                .map(Object::toString)
                .collect(java.util.stream.Collectors.toSet());
    }

    @Configuration(proxyBeanMethods = false)
    static class CountingService {

        @Bean
        Counter counter(org.springframework.core.env.Environment environment) {
            return new Counter(environment.getProperty("instance"));
        }
    }

    static class Counter {

        private final String instance;

        Counter(String instance) {
            this.instance = instance;
        }

        @KafkaListener(topics = "counted")
        void on(OrderPlaced order) {
            HANDLED_BY.putIfAbsent(order.orderId(), instance);
            DELIVERIES.computeIfAbsent(order.orderId(), id -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        }
    }
}
