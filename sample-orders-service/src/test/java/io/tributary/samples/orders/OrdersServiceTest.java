package io.tributary.samples.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import io.tributary.client.events.EventHeaders;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.test.EmbeddedPostgresDatabase;
import io.tributary.client.test.EmbeddedTributary;
import io.tributary.client.test.EmbeddedTributaryBroker;
import io.tributary.client.test.TopicReader;
import io.tributary.samples.orders.events.PaymentFailed;
import io.tributary.samples.orders.events.PaymentProcessed;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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

/** The orders service over HTTP, with a real broker and a real PostgreSQL. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedTributary
@EmbeddedPostgresDatabase
class OrdersServiceTest {

    @LocalServerPort
    int port;

    @Autowired
    EmbeddedTributaryBroker broker;

    @Autowired
    EventPublisher publisher;

    @Autowired
    JdbcTemplate jdbc;

    RestClient http;

    @BeforeEach
    void client() {
        http = RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }

    @Test
    void anOrderIsStoredPendingAndItsOrderCreatedEventPublishedKeyedByItsId() {
        ResponseEntity<JsonNode> created = post("""
                {"customerId": "c-1", "items": [{"sku": "A", "quantity": 2, "unitPrice": 19.90},
                                                 {"sku": "B", "quantity": 1, "unitPrice": 5.00}]}""");

        assertThat(created.getStatusCode().value()).isEqualTo(201);
        JsonNode order = created.getBody();
        String id = order.get("id").asString();
        assertThat(order.get("status").asString()).isEqualTo("PENDING");
        assertThat(order.get("total").decimalValue()).isEqualByComparingTo("44.80");
        assertThat(created.getHeaders().getLocation()).hasPath("/orders/" + id);

        JsonNode fetched = http.get().uri("/orders/{id}", id).retrieve().body(JsonNode.class);
        assertThat(fetched.get("items")).hasSize(2);
        assertThat(fetched.get("customerId").asString()).isEqualTo("c-1");
        JsonNode list = http.get().uri("/orders").retrieve().body(JsonNode.class);
        assertThat(list.valueStream().map(o -> o.get("id").asString())).contains(id);

        ConsumerRecord<String, byte[]> event = await().atMost(Duration.ofSeconds(30))
                .until(() -> readOrders().stream().filter(r -> id.equals(r.key())).findFirst().orElse(null), r -> r != null);
        assertThat(header(event, EventHeaders.EVENT_TYPE)).isEqualTo("OrderCreated");
        assertThat(new String(event.value(), StandardCharsets.UTF_8)).contains("\"customerId\":\"c-1\"").contains("44.80");
    }

    @Test
    void paymentOutcomesDecideTheOrderOnceEvenWhenRedelivered() throws Exception {
        String paid = post(validOrder("c-2")).getBody().get("id").asString();
        String rejected = post(validOrder("c-3")).getBody().get("id").asString();

        String eventId = UUID.randomUUID().toString();
        publisher.publish("payments", paid, new PaymentProcessed(paid, "c-2", "p-1", new BigDecimal("39.80"), Instant.now()), eventId)
                .get(10, TimeUnit.SECONDS);
        publisher.publish("payments", rejected, new PaymentFailed(rejected, "c-3", "p-2", new BigDecimal("39.80"), "card declined", Instant.now())).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(paid).equals("PAID") && status(rejected).equals("REJECTED"));
        assertThat(http.get().uri("/orders/{id}", rejected).retrieve().body(JsonNode.class).get("statusReason").asString())
                .isEqualTo("card declined");

        // The same event again, then a contradicting one: neither changes a decided order.
        publisher.publish("payments", paid, new PaymentProcessed(paid, "c-2", "p-1", new BigDecimal("39.80"), Instant.now()), eventId)
                .get(10, TimeUnit.SECONDS);
        publisher.publish("payments", paid, new PaymentFailed(paid, "c-2", "p-9", new BigDecimal("39.80"), "late decline", Instant.now())).get(10, TimeUnit.SECONDS);
        String marker = post(validOrder("c-4")).getBody().get("id").asString();
        publisher.publish("payments", marker, new PaymentProcessed(marker, "c-4", "p-3", BigDecimal.TEN, Instant.now())).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> status(marker).equals("PAID"));

        assertThat(status(paid)).isEqualTo("PAID");
        assertThat(jdbc.queryForObject("select count(*) from tributary_processed_event where event_id = ?", Integer.class,
                eventId)).isEqualTo(1);
    }

    @Test
    void invalidOrdersAreRefusedWithAProblemDetailAndPublishNothing() {
        int outboxBefore = outboxRows();
        List<String> invalid = List.of(
                "{\"customerId\": \"c-1\", \"items\": []}",
                "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"A\", \"quantity\": 1, \"unitPrice\": -1.00}]}",
                "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"A\", \"quantity\": 0, \"unitPrice\": 1.00}]}",
                "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"A\", \"quantity\": \"two\", \"unitPrice\": 1.00}]}",
                "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"A\", \"quantity\": 1, \"unitPrice\": 1.00}], \"total\": -5}",
                "{\"customerId\": \"\", \"items\": [{\"sku\": \"A\", \"quantity\": 1, \"unitPrice\": 1.00}]}",
                "{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"A\", \"quantity\": 1, \"unitPrice\": 1.001}]}",
                "not json");
        for (String body : invalid) {
            ResponseEntity<JsonNode> response = post(body);
            assertThat(response.getStatusCode().value()).as(body).isEqualTo(400);
            assertThat(response.getHeaders().getContentType()).as(body).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(response.getBody().get("status").asInt()).isEqualTo(400);
        }
        assertThat(outboxRows()).isEqualTo(outboxBefore);
    }

    @Test
    void anUnknownOrderIsNotFound() {
        ResponseEntity<JsonNode> response = http.get().uri("/orders/{id}", "no-such-order").retrieve().toEntity(JsonNode.class);
        assertThat(response.getStatusCode().value()).isEqualTo(404);
        assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private ResponseEntity<JsonNode> post(String body) {
        return http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON).body(body).retrieve()
                .toEntity(JsonNode.class);
    }

    private static String validOrder(String customer) {
        return "{\"customerId\": \"" + customer + "\", \"items\": [{\"sku\": \"A\", \"quantity\": 2, \"unitPrice\": 19.90}]}";
    }

    private String status(String id) {
        return http.get().uri("/orders/{id}", id).retrieve().body(JsonNode.class).get("status").asString();
    }

    private int outboxRows() {
        return jdbc.queryForObject("select count(*) from tributary_outbox", Integer.class);
    }

    private List<ConsumerRecord<String, byte[]>> readOrders() {
        return new TopicReader(broker.bootstrapServers()).readAll("orders");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
