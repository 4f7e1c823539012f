package io.tributary.broker.compat.groups;

import static io.tributary.broker.compat.groups.GroupClients.committed;
import static io.tributary.broker.compat.groups.GroupClients.createTopic;
import static io.tributary.broker.compat.groups.GroupClients.describe;
import static io.tributary.broker.compat.groups.GroupClients.endOffsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.kafka.annotation.EnableKafka;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * A Spring for Apache Kafka application against the broker: a {@code @KafkaListener} with two
 * concurrent consumers in one group, records sent with {@code KafkaTemplate}. The application
 * context is a plain {@code @EnableKafka} configuration, nothing of the broker's own application.
 */
@Timeout(60)
class SpringKafkaListenerTest extends BrokerPerClass {

    private static final String TOPIC = "spring-orders";
    private static final String GROUP = "spring-listeners";

    /** The listener: what a Spring application writes. */
    static class OrderListener {
        final List<ConsumerRecord<String, String>> received = new CopyOnWriteArrayList<>();

        @KafkaListener(id = "orders", topics = TOPIC, groupId = GROUP, concurrency = "2")
        void onOrder(ConsumerRecord<String, String> record) {
            received.add(record);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableKafka
    static class ListenerApplication {

        @Bean
        ConsumerFactory<String, String> consumerFactory(@Value("${test.bootstrap-servers}") String bootstrap) {
            Map<String, Object> config = new HashMap<>();
            config.put("bootstrap.servers", bootstrap);
            config.put("auto.offset.reset", "earliest");
            config.put("session.timeout.ms", 6_000);
            config.put("heartbeat.interval.ms", 200);
            config.put("max.poll.interval.ms", 20_000);
            config.put("fetch.max.wait.ms", 100);
            return new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new StringDeserializer());
        }

        @Bean
        ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory(
                ConsumerFactory<String, String> consumerFactory) {
            ConcurrentKafkaListenerContainerFactory<String, String> factory = new ConcurrentKafkaListenerContainerFactory<>();
            factory.setConsumerFactory(consumerFactory);
            factory.getContainerProperties().setPollTimeout(200);
            return factory;
        }

        @Bean
        KafkaTemplate<String, String> kafkaTemplate(@Value("${test.bootstrap-servers}") String bootstrap) {
            return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of("bootstrap.servers", bootstrap),
                    new StringSerializer(), new StringSerializer()));
        }

        @Bean
        OrderListener orderListener() {
            return new OrderListener();
        }
    }

    private AnnotationConfigApplicationContext startApplication() {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("test.bootstrap-servers", bootstrap())));
        context.register(ListenerApplication.class);
        context.refresh();
        return context;
    }

    @Test
    void aKafkaListenerConsumesInAGroupAndResumesFromItsCommitsAfterARestart() throws Exception {
        createTopic(admin, TOPIC, 2);

        try (AnnotationConfigApplicationContext application = startApplication()) {
            OrderListener listener = application.getBean(OrderListener.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ConsumerGroupDescription group = describe(admin, GROUP);
                assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(group.members()).hasSize(2)
                        .allSatisfy(member -> assertThat(member.assignment().topicPartitions()).hasSize(1));
            });
            @SuppressWarnings("unchecked")
            KafkaTemplate<String, String> template = application.getBean(KafkaTemplate.class);
            for (int i = 0; i < 20; i++) {
                template.send(TOPIC, i % 2, "order-" + i, "order " + i).get(10, TimeUnit.SECONDS);
            }

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(listener.received).hasSize(20);
                assertThat(committed(admin, GROUP)).isEqualTo(endOffsets(admin, TOPIC, 2));
            });
            assertThat(listener.received).extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "order " + i).toList());
            // Each of the two consumers read the one partition it was assigned.
            ConsumerGroupDescription group = describe(admin, GROUP);
            for (MemberDescription member : group.members()) {
                TopicPartition assigned = member.assignment().topicPartitions().iterator().next();
                assertThat(member.clientId()).startsWith("consumer-" + GROUP);
                assertThat(listener.received.stream().filter(r -> r.partition() == assigned.partition())).hasSize(10);
            }
        }
        // The application stopped: its consumers left the group.
        assertThat(describe(admin, GROUP).groupState()).isEqualTo(GroupState.EMPTY);

        try (AnnotationConfigApplicationContext restarted = startApplication()) {
            OrderListener listener = restarted.getBean(OrderListener.class);
            @SuppressWarnings("unchecked")
            KafkaTemplate<String, String> template = restarted.getBean(KafkaTemplate.class);
            for (int i = 20; i < 24; i++) {
                template.send(TOPIC, i % 2, "order-" + i, "order " + i).get(10, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(committed(admin, GROUP)).isEqualTo(endOffsets(admin, TOPIC, 2)));
            assertThat(listener.received).as("only the new records: the group's commits were honoured")
                    .extracting(ConsumerRecord::value).containsExactlyInAnyOrder("order 20", "order 21", "order 22", "order 23");
        }
    }
}
