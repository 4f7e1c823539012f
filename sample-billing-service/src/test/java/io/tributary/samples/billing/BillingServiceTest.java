package io.tributary.samples.billing;

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
import io.tributary.samples.billing.events.PaymentFailed;
import io.tributary.samples.billing.events.PaymentProcessed;
import io.tributary.samples.billing.events.Topics;
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

/** The billing service fed payment events, with a real broker and a real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedTributary
@EmbeddedPostgresDatabase
class BillingServiceTest {

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
    void aPaidOrderIsInvoicedAndItsInvoiceIssuedPublishedKeyedByTheOrder() throws Exception {
        String orderId = newOrderId();
        publish(paid(orderId, "c-1", "39.80"));

        ConsumerRecord<String, byte[]> event = awaitInvoiceEvent(orderId);
        assertThat(header(event, EventHeaders.EVENT_TYPE)).isEqualTo("InvoiceIssued");
        JsonNode issued = JSON.readTree(event.value());
        assertThat(issued.get("orderId").asString()).isEqualTo(orderId);
        assertThat(issued.get("customerId").asString()).isEqualTo("c-1");
        assertThat(issued.get("amount").decimalValue()).isEqualByComparingTo("39.80");

        JsonNode invoice = http.get().uri("/invoices/{id}", issued.get("invoiceId").asString()).retrieve()
                .body(JsonNode.class);
        assertThat(invoice.get("orderId").asString()).isEqualTo(orderId);
        assertThat(invoice.get("customerId").asString()).isEqualTo("c-1");
        assertThat(invoice.get("amount").decimalValue()).isEqualByComparingTo("39.80");
    }

    @Test
    void aPaymentDeliveredTwiceAndPublishedAgainUnderANewEventIdIsInvoicedOnce() throws Exception {
        String orderId = newOrderId();
        PaymentProcessed payment = paid(orderId, "c-2", "25.00");
        String eventId = UUID.randomUUID().toString();
        publisher.publish(Topics.PAYMENTS, orderId, payment, eventId).get(10, TimeUnit.SECONDS);
        publisher.publish(Topics.PAYMENTS, orderId, payment, eventId).get(10, TimeUnit.SECONDS);
        RecordMetadata last = publisher.publish(Topics.PAYMENTS, orderId, payment).get(10, TimeUnit.SECONDS)
                .getRecordMetadata();

        // One key, one partition: once the group is past the last delivery, it has handled all three.
        await().atMost(Duration.ofSeconds(30)).until(() -> topics.committedPast("billing", last));
        assertThat(jdbc.queryForObject("select count(*) from invoice where order_id = ?", Integer.class, orderId))
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "select count(*) from tributary_outbox where sent_at is null", Integer.class) == 0);
        assertThat(topics.readAll(Topics.INVOICES)).extracting(ConsumerRecord::key).containsOnlyOnce(orderId);
        assertThat(invoicesOf(orderId)).hasSize(1);
        // Skipped as duplicates, not failed into the dead-letter topic.
        assertThat(topics.readAll(Topics.PAYMENTS + ".DLT")).extracting(ConsumerRecord::key).doesNotContain(orderId);
    }

    @Test
    void aDeclinedOrderIsNotInvoicedAndTheListenerGoesOn() throws Exception {
        String declined = newOrderId();
        String paid = newOrderId();
        RecordMetadata failure = publisher.publish(Topics.PAYMENTS, declined, new PaymentFailed(declined, "blocked-1",
                "p-1", new BigDecimal("12.00"), "customer is blocked", Instant.now())).get(10, TimeUnit.SECONDS)
                .getRecordMetadata();
        publish(paid(paid, "c-3", "12.00"));

        await().atMost(Duration.ofSeconds(30)).until(() -> invoicesOf(paid).size() == 1
                && topics.committedPast("billing", failure));
        assertThat(invoicesOf(declined)).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from tributary_outbox where event_key = ?", Integer.class,
                declined)).isZero();
        assertThat(topics.readAll(Topics.PAYMENTS + ".DLT")).extracting(ConsumerRecord::key).doesNotContain(declined);
    }

    @Test
    void invoicesAreListedNewestFirstFoundByOrderAndAnUnknownOneIsNotFound() throws Exception {
        String first = newOrderId();
        String second = newOrderId();
        publish(paid(first, "c-4", "5.00"));
        publish(paid(second, "c-5", "6.00"));
        await().atMost(Duration.ofSeconds(30)).until(() -> invoicesOf(first).size() == 1 && invoicesOf(second).size() == 1);

        List<JsonNode> all = http.get().uri("/invoices").retrieve().body(JsonNode.class).valueStream().toList();
        assertThat(all).extracting(i -> i.get("orderId").asString()).contains(first, second);
        assertThat(all).extracting(i -> Instant.parse(i.get("issuedAt").asString()))
                .isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(invoicesOf(second).get(0).get("customerId").asString()).isEqualTo("c-5");
        assertThat(invoicesOf("no-such-order")).isEmpty();

        ResponseEntity<JsonNode> unknown = http.get().uri("/invoices/{id}", "no-such-invoice").retrieve()
                .toEntity(JsonNode.class);
        assertThat(unknown.getStatusCode().value()).isEqualTo(404);
        assertThat(unknown.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private static String newOrderId() {
        return UUID.randomUUID().toString();
    }

    private static PaymentProcessed paid(String orderId, String customerId, String amount) {
        return new PaymentProcessed(orderId, customerId, UUID.randomUUID().toString(), new BigDecimal(amount),
                Instant.now());
    }

    private void publish(PaymentProcessed payment) throws Exception {
        publisher.publish(Topics.PAYMENTS, payment.orderId(), payment).get(10, TimeUnit.SECONDS);
    }

    private ConsumerRecord<String, byte[]> awaitInvoiceEvent(String orderId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> topics.readAll(Topics.INVOICES).stream()
                .filter(r -> orderId.equals(r.key())).findFirst().orElse(null), r -> r != null);
    }

    private List<JsonNode> invoicesOf(String orderId) {
        return http.get().uri("/invoices?orderId={orderId}", orderId).retrieve().body(JsonNode.class).valueStream()
                .toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
