package io.tributary.samples.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.test.EmbeddedPostgresDatabase;
import io.tributary.client.test.EmbeddedTributary;
import io.tributary.client.test.EmbeddedTributaryBroker;
import io.tributary.client.test.TopicReader;
import io.tributary.samples.notifications.events.InvoiceIssued;
import io.tributary.samples.notifications.events.OrderCreated;
import io.tributary.samples.notifications.events.PaymentFailed;
import io.tributary.samples.notifications.events.PaymentProcessed;
import io.tributary.samples.notifications.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;

/** The notifications service fed order, payment and invoice events, with a real broker and a real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedTributary
@EmbeddedPostgresDatabase
class NotificationsServiceTest {

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedTributaryBroker broker;

    @Autowired
    EventPublisher publisher;

    @Autowired
    JdbcTemplate jdbc;

    RestClient http;

    TopicReader topics;

    @BeforeEach
    void clients() {
        http = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
        topics = new TopicReader(broker.bootstrapServers());
    }

    @Test
    void aPaidOrderIsReceivedApprovedAndInvoicedInThreeNotifications() throws Exception {
        String orderId = newOrderId();
        // As the orders service writes it, items and all: fields this service does not read are skipped.
        String orderCreated = """
                {"orderId": "%s", "customerId": "c-1", "items": [{"sku": "A", "quantity": 2, "unitPrice": 19.90}],
                 "total": 39.80, "createdAt": "2026-01-01T10:00:00Z", "channel": "web"}""".formatted(orderId);
        publisher.send(Topics.ORDERS, orderId, "OrderCreated", orderCreated.getBytes(StandardCharsets.UTF_8),
                UUID.randomUUID().toString()).get(10, TimeUnit.SECONDS);
        publish(Topics.PAYMENTS, orderId, new PaymentProcessed(orderId, "c-1", "p-1", new BigDecimal("39.80"), Instant.now()));
        publish(Topics.INVOICES, orderId, new InvoiceIssued(orderId, "c-1", "i-1", new BigDecimal("39.80"), Instant.now()));

        List<JsonNode> notifications = awaitNotifications(orderId, 3);
        assertThat(notifications).extracting(n -> n.get("kind").asString())
                .containsExactlyInAnyOrder("ORDER_RECEIVED", "PAYMENT_APPROVED", "INVOICE_ISSUED");
        assertThat(notifications).extracting(n -> n.get("customerId").asString()).containsOnly("c-1");
        assertThat(message(notifications, "ORDER_RECEIVED")).isEqualTo("Your order " + orderId + " of 39.80 was received.");
        assertThat(message(notifications, "PAYMENT_APPROVED"))
                .isEqualTo("Your payment of 39.80 for order " + orderId + " was approved.");
        assertThat(message(notifications, "INVOICE_ISSUED"))
                .isEqualTo("Invoice i-1 of 39.80 for your order " + orderId + " was issued.");
    }

    @Test
    void aDeclinedOrderIsReceivedAndDeclinedWithTheReasonInTwoNotifications() throws Exception {
        String orderId = newOrderId();
        publish(Topics.ORDERS, orderId, new OrderCreated(orderId, "blocked-1", new BigDecimal("12.5"), Instant.now()));
        publish(Topics.PAYMENTS, orderId, new PaymentFailed(orderId, "blocked-1", "p-2", new BigDecimal("12.5"),
                "customer is blocked", Instant.now()));

        List<JsonNode> notifications = awaitNotifications(orderId, 2);
        assertThat(notifications).extracting(n -> n.get("kind").asString())
                .containsExactlyInAnyOrder("ORDER_RECEIVED", "PAYMENT_DECLINED");
        assertThat(message(notifications, "ORDER_RECEIVED")).isEqualTo("Your order " + orderId + " of 12.50 was received.");
        assertThat(message(notifications, "PAYMENT_DECLINED"))
                .isEqualTo("Your payment of 12.50 for order " + orderId + " was declined: customer is blocked.");
    }

    @Test
    void anEventDeliveredTwiceIsNotifiedOnce() throws Exception {
        String orderId = newOrderId();
        String eventId = UUID.randomUUID().toString();
        OrderCreated order = new OrderCreated(orderId, "c-2", BigDecimal.TEN, Instant.now());
        publisher.publish(Topics.ORDERS, orderId, order, eventId).get(10, TimeUnit.SECONDS);
        RecordMetadata again = publisher.publish(Topics.ORDERS, orderId, order, eventId).get(10, TimeUnit.SECONDS)
                .getRecordMetadata();

        await().atMost(Duration.ofSeconds(30)).until(() -> topics.committedPast("notifications", again));
        List<JsonNode> notifications = notificationsOf(orderId);
        assertThat(notifications).hasSize(1);
        assertThat(notifications.get(0).get("eventId").asString()).isEqualTo(eventId);
        assertThat(jdbc.queryForObject("select count(*) from notification where event_id = ?", Integer.class, eventId))
                .isEqualTo(1);
        // Skipped as a duplicate, not failed into the dead-letter topic.
        assertThat(topics.readAll(Topics.ORDERS + ".DLT")).extracting(ConsumerRecord::key).doesNotContain(orderId);
    }

    @Test
    void notificationsAreListedOldestFirstAndFilteredByOrder() throws Exception {
        String first = newOrderId();
        String second = newOrderId();
        publish(Topics.ORDERS, first, new OrderCreated(first, "c-3", BigDecimal.ONE, Instant.now()));
        publish(Topics.ORDERS, second, new OrderCreated(second, "c-4", BigDecimal.ONE, Instant.now()));
        awaitNotifications(first, 1);
        awaitNotifications(second, 1);

        List<JsonNode> all = http.get().uri("/notifications").retrieve().body(JsonNode.class).valueStream().toList();
        assertThat(all).extracting(n -> n.get("orderId").asString()).contains(first, second);
        assertThat(all).extracting(n -> Instant.parse(n.get("createdAt").asString())).isSorted();
        assertThat(notificationsOf(second)).extracting(n -> n.get("customerId").asString()).containsExactly("c-4");
        assertThat(notificationsOf("no-such-order")).isEmpty();
    }

    private static String newOrderId() {
        return UUID.randomUUID().toString();
    }

    private void publish(String topic, String orderId, Object event) throws Exception {
        publisher.publish(topic, orderId, event).get(10, TimeUnit.SECONDS);
    }

    private List<JsonNode> awaitNotifications(String orderId, int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> notificationsOf(orderId), n -> n.size() >= count);
    }

    private List<JsonNode> notificationsOf(String orderId) {
        return http.get().uri("/notifications?orderId={orderId}", orderId).retrieve().body(JsonNode.class)
                .valueStream().toList();
    }

    private static String message(List<JsonNode> notifications, String kind) {
        return notifications.stream().filter(n -> n.get("kind").asString().equals(kind)).findFirst().orElseThrow()
                .get("message").asString();
    }
}
