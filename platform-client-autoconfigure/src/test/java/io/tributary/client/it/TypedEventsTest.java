package io.tributary.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.tributary.client.events.EventHeaders;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.it.ShopEvents.OrderCancelled;
import io.tributary.client.it.ShopEvents.OrderPlaced;
import io.tributary.client.it.ShopEvents.PaymentTaken;
import io.tributary.client.test.EmbeddedTributary;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.messaging.handler.annotation.Header;

/**
 * The starter against a real broker: typed events of several types on one topic, retries and the
 * dead-letter topic, bad records, declared topics.
 */
@SpringBootTest(properties = {
        "spring.application.name=shop",
        "tributary.topics.shop-orders.partitions=3",
        "tributary.topics.shop-orders.key-required=true",
        "tributary.topics.shop-orders.retention=3d",
        "tributary.topics.shop-payments.partitions=2",
        "tributary.retry.max-attempts=3",
        "tributary.retry.initial-interval=50ms",
        "spring.kafka.producer.properties.linger.ms=0",
        // This service has no database, though JDBC is on the module's test classpath.
        "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"
})
@EmbeddedTributary
class TypedEventsTest {

    @Autowired
    EventPublisher publisher;

    @Autowired
    KafkaTemplate<String, byte[]> template;

    @Autowired
    Admin admin;

    @Autowired
    OrderListener orders;

    @Autowired
    PaymentListener payments;

    @Autowired
    DeadLetterListener deadLetters;

    @Test
    void severalEventTypesOnOneTopicReachTheirHandlersTypedAndInOrderPerKey() throws Exception {
        for (int i = 0; i < 20; i++) {
            publisher.publish("shop-orders", "order-" + (i % 4), new OrderPlaced("order-" + (i % 4), BigDecimal.valueOf(i)));
        }
        publisher.publish("shop-orders", "order-1", new OrderCancelled("order-1", "changed my mind")).get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).until(() -> orders.placedFor("order-").size() == 20
                && orders.cancelled.size() == 1);
        assertThat(orders.cancelled.get(0)).isEqualTo(new OrderCancelled("order-1", "changed my mind"));
        for (int key = 0; key < 4; key++) {
            String orderId = "order-" + key;
            List<BigDecimal> totals = orders.placedFor(orderId).stream()
                    .map(OrderPlaced::total).toList();
            assertThat(totals).as("events of %s in publishing order", orderId).isSorted().hasSize(5);
        }
        assertThat(orders.eventIds).doesNotContainNull().doesNotHaveDuplicates();
    }

    @Test
    void aFailingListenerIsRetriedThenTheRecordGoesToTheDeadLetterTopicWithTheReason() throws Exception {
        publisher.publish("shop-payments", "order-x", new PaymentTaken("order-x", new BigDecimal("-1"))).get(10, TimeUnit.SECONDS);
        publisher.publish("shop-payments", "order-y", new PaymentTaken("order-y", new BigDecimal("5"))).get(10, TimeUnit.SECONDS);

        ConsumerRecord<String, byte[]> dead = await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetters.find("shop-payments.DLT", "order-x"), r -> r != null);
        assertThat(payments.attempts.get("order-x")).hasValue(3);
        assertThat(header(dead, EventHeaders.DEAD_LETTER_REASON)).contains("negative amount");
        assertThat(header(dead, EventHeaders.DEAD_LETTER_ATTEMPTS)).isEqualTo("3");
        assertThat(header(dead, EventHeaders.EVENT_TYPE)).isEqualTo("PaymentTaken");
        assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo("shop-payments");
        // The partition moved on: the good payment after the poison one was handled.
        await().atMost(Duration.ofSeconds(30)).until(() -> payments.handled.contains("order-y"));
    }

    @Test
    void recordsThatCannotBeReadGoToTheDeadLetterTopicAtOnceAndTheListenerMovesOn() throws Exception {
        send("shop-orders", "bad-json", "OrderPlaced", "{not json".getBytes(StandardCharsets.UTF_8));
        send("shop-orders", "unknown-type", "OrderShipped", "{\"orderId\":\"unknown-type\"}".getBytes(StandardCharsets.UTF_8));
        send("shop-orders", null, "OrderPlaced", "{\"orderId\":\"keyless\",\"total\":1}".getBytes(StandardCharsets.UTF_8));
        publisher.publish("shop-orders", "after-bad", new OrderPlaced("after-bad", BigDecimal.ONE)).get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.find("shop-orders.DLT", "bad-json") != null
                && deadLetters.find("shop-orders.DLT", "unknown-type") != null
                && deadLetters.find("shop-orders.DLT", null) != null);
        assertThat(header(deadLetters.find("shop-orders.DLT", "bad-json"), EventHeaders.DEAD_LETTER_REASON))
                .contains("not a valid OrderPlaced");
        assertThat(header(deadLetters.find("shop-orders.DLT", "unknown-type"), EventHeaders.DEAD_LETTER_REASON))
                .contains("unknown event type 'OrderShipped'");
        assertThat(header(deadLetters.find("shop-orders.DLT", null), EventHeaders.DEAD_LETTER_REASON))
                .contains("has no key");
        for (String key : new String[] {"bad-json", "unknown-type"}) {
            assertThat(header(deadLetters.find("shop-orders.DLT", key), EventHeaders.DEAD_LETTER_ATTEMPTS))
                    .as("unreadable records are not retried").isEqualTo("1");
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> orders.placed.stream().anyMatch(o -> o.orderId().equals("after-bad")));
    }

    @Test
    void declaredTopicsAndTheirDeadLetterTopicsExistAsDeclared() throws Exception {
        Map<String, TopicDescription> topics = admin.describeTopics(List.of("shop-orders", "shop-orders.DLT",
                "shop-payments", "shop-payments.DLT")).allTopicNames().get(10, TimeUnit.SECONDS);
        assertThat(topics.get("shop-orders").partitions()).hasSize(3);
        assertThat(topics.get("shop-orders.DLT").partitions()).hasSize(3);
        assertThat(topics.get("shop-payments").partitions()).hasSize(2);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "shop-orders");
        Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
        assertThat(config.get("retention.ms").value()).isEqualTo(Long.toString(Duration.ofDays(3).toMillis()));
    }

    private void send(String topic, String key, String type, byte[] value) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(EventHeaders.EVENT_TYPE, type.getBytes(StandardCharsets.UTF_8));
        template.send(record).get(10, TimeUnit.SECONDS);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        org.apache.kafka.common.header.Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ShopApplication {

        @Bean
        OrderListener orderListener() {
            return new OrderListener();
        }

        @Bean
        PaymentListener paymentListener() {
            return new PaymentListener();
        }

        @Bean
        DeadLetterListener deadLetterListener() {
            return new DeadLetterListener();
        }
    }

    /** One listener for a topic that carries two event types. */
    @KafkaListener(topics = "shop-orders")
    static class OrderListener {

        final List<OrderPlaced> placed = new CopyOnWriteArrayList<>();
        final List<OrderCancelled> cancelled = new CopyOnWriteArrayList<>();
        final List<String> eventIds = new CopyOnWriteArrayList<>();

        List<OrderPlaced> placedFor(String orderIdPrefix) {
            return placed.stream().filter(o -> o.orderId().startsWith(orderIdPrefix)).toList();
        }

        @KafkaHandler
        void on(OrderPlaced event, @Header(EventHeaders.EVENT_ID) String eventId) {
            placed.add(event);
            eventIds.add(eventId);
        }

        @KafkaHandler
        void on(OrderCancelled event, @Header(EventHeaders.EVENT_ID) String eventId) {
            cancelled.add(event);
            eventIds.add(eventId);
        }
    }

    static class PaymentListener {

        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final List<String> handled = new CopyOnWriteArrayList<>();

        @KafkaListener(topics = "shop-payments")
        void on(PaymentTaken payment) {
            attempts.computeIfAbsent(payment.orderId(), id -> new AtomicInteger()).incrementAndGet();
            if (payment.amount().signum() < 0) {
                throw new IllegalArgumentException("negative amount " + payment.amount());
            }
            handled.add(payment.orderId());
        }
    }

    static class DeadLetterListener {

        final List<ConsumerRecord<String, byte[]>> records = new CopyOnWriteArrayList<>();

        @KafkaListener(topics = {"shop-orders.DLT", "shop-payments.DLT"}, groupId = "shop-dead-letters")
        void on(ConsumerRecord<String, byte[]> record) {
            records.add(record);
        }

        ConsumerRecord<String, byte[]> find(String topic, String key) {
            return new ArrayList<>(records).stream()
                    .filter(r -> r.topic().equals(topic) && java.util.Objects.equals(r.key(), key))
                    .findFirst().orElse(null);
        }
    }
}
