package io.tributary.samples.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import io.tributary.client.events.EventHeaders;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.test.EmbeddedPostgresDatabase;
import io.tributary.client.test.EmbeddedTributary;
import io.tributary.client.test.EmbeddedTributaryBroker;
import io.tributary.client.test.TopicReader;
import io.tributary.samples.payments.events.OrderCreated;
import io.tributary.samples.payments.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The payments service fed OrderCreated events, with a real broker and a real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedTributary
@EmbeddedPostgresDatabase
class PaymentsServiceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

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
    void anAffordableOrderIsApprovedAndItsPaymentProcessedPublishedKeyedByTheOrder() throws Exception {
        String orderId = newOrderId();
        publish(order(orderId, "c-1", "39.80"));

        ConsumerRecord<String, byte[]> event = awaitPaymentEvent(orderId);
        assertThat(header(event, EventHeaders.EVENT_TYPE)).isEqualTo("PaymentProcessed");
        JsonNode processed = JSON.readTree(event.value());
        assertThat(processed.get("orderId").asString()).isEqualTo(orderId);
        assertThat(processed.get("customerId").asString()).isEqualTo("c-1");
        assertThat(processed.get("amount").decimalValue()).isEqualByComparingTo("39.80");

        JsonNode payment = http.get().uri("/payments/{id}", processed.get("paymentId").asString()).retrieve()
                .body(JsonNode.class);
        assertThat(payment.get("orderId").asString()).isEqualTo(orderId);
        assertThat(payment.get("status").asString()).isEqualTo("APPROVED");
        assertThat(payment.get("amount").decimalValue()).isEqualByComparingTo("39.80");
        assertThat(payment.get("reason").isNull()).isTrue();
    }

    @Test
    void anOrderAboveTheLimitAndAnOrderOfABlockedCustomerAreDeclinedWithTheReason() throws Exception {
        String aboveLimit = newOrderId();
        String atLimit = newOrderId();
        String blocked = newOrderId();
        publish(order(aboveLimit, "c-2", "1000.01"));
        publish(order(atLimit, "c-2", "1000.00"));
        publish(order(blocked, "blocked-7", "10.00"));

        ConsumerRecord<String, byte[]> declined = awaitPaymentEvent(aboveLimit);
        assertThat(header(declined, EventHeaders.EVENT_TYPE)).isEqualTo("PaymentFailed");
        assertThat(JSON.readTree(declined.value()).get("reason").asString()).isEqualTo("amount exceeds the 1000.00 limit");
        assertThat(JSON.readTree(declined.value()).get("amount").decimalValue()).isEqualByComparingTo("1000.01");

        assertThat(header(awaitPaymentEvent(atLimit), EventHeaders.EVENT_TYPE)).isEqualTo("PaymentProcessed");

        ConsumerRecord<String, byte[]> blockedEvent = awaitPaymentEvent(blocked);
        assertThat(header(blockedEvent, EventHeaders.EVENT_TYPE)).isEqualTo("PaymentFailed");
        assertThat(JSON.readTree(blockedEvent.value()).get("reason").asString()).isEqualTo("customer is blocked");
        JsonNode payment = paymentsOf(blocked).get(0);
        assertThat(payment.get("status").asString()).isEqualTo("DECLINED");
        assertThat(payment.get("reason").asString()).isEqualTo("customer is blocked");
    }

    @Test
    void anOrderDeliveredTwiceAndPublishedAgainUnderANewEventIdIsChargedOnce() throws Exception {
        String orderId = newOrderId();
        OrderCreated order = order(orderId, "c-3", "25.00");
        String eventId = UUID.randomUUID().toString();
        publisher.publish(Topics.ORDERS, orderId, order, eventId).get(10, TimeUnit.SECONDS);
        publisher.publish(Topics.ORDERS, orderId, order, eventId).get(10, TimeUnit.SECONDS);
        RecordMetadata last = publisher.publish(Topics.ORDERS, orderId, order).get(10, TimeUnit.SECONDS).getRecordMetadata();

        // One key, one partition: once the group is past the last delivery, it has handled all three.
        await().atMost(Duration.ofSeconds(30)).until(() -> topics.committedPast("payments", last));
        assertThat(jdbc.queryForObject("select count(*) from payment where order_id = ?", Integer.class, orderId))
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from tributary_outbox where sent_at is null", Integer.class) == 0);
        assertThat(topics.readAll(Topics.PAYMENTS)).extracting(ConsumerRecord::key).containsOnlyOnce(orderId);
        assertThat(paymentsOf(orderId)).hasSize(1);
        // Skipped as duplicates, not failed into the dead-letter topic.
        assertThat(topics.readAll(Topics.ORDERS + ".DLT")).extracting(ConsumerRecord::key).doesNotContain(orderId);
    }

    @Test
    void paymentsAreListedNewestFirstFoundByOrderAndAnUnknownOneIsNotFound() throws Exception {
        String first = newOrderId();
        String second = newOrderId();
        publish(order(first, "c-4", "5.00"));
        publish(order(second, "c-5", "6.00"));
        await().atMost(Duration.ofSeconds(30)).until(() -> paymentsOf(first).size() == 1 && paymentsOf(second).size() == 1);

        List<JsonNode> all = http.get().uri("/payments").retrieve().body(JsonNode.class).valueStream().toList();
        assertThat(all).extracting(p -> p.get("orderId").asString()).contains(first, second);
        assertThat(all).extracting(p -> Instant.parse(p.get("processedAt").asString()))
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(paymentsOf(second).get(0).get("customerId").asString()).isEqualTo("c-5");
        assertThat(paymentsOf("no-such-order")).isEmpty();

        ResponseEntity<JsonNode> unknown = http.get().uri("/payments/{id}", "no-such-payment").retrieve()
                .toEntity(JsonNode.class);
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertThat(unknown.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private static String newOrderId() {
        return UUID.randomUUID().toString();
    }

    private static OrderCreated order(String orderId, String customerId, String total) {
        return new OrderCreated(orderId, customerId, List.of(new OrderCreated.Line("A", 1, new BigDecimal(total))),
                new BigDecimal(total), Instant.now());
    }

    private void publish(OrderCreated order) throws Exception {
        publisher.publish(Topics.ORDERS, order.orderId(), order).get(10, TimeUnit.SECONDS);
    }

    private ConsumerRecord<String, byte[]> awaitPaymentEvent(String orderId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> topics.readAll(Topics.PAYMENTS).stream()
                .filter(r -> orderId.equals(r.key())).findFirst().orElse(null), r -> r != null);
    }

    private List<JsonNode> paymentsOf(String orderId) {
        return http.get().uri("/payments?orderId={orderId}", orderId).retrieve().body(JsonNode.class).valueStream()
                .toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
