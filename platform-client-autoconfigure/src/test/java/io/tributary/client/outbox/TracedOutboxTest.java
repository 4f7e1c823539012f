package io.tributary.client.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.tributary.client.test.EmbeddedPostgresDatabase;
import io.tributary.client.test.EmbeddedTributary;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A trace through the outbox with a real broker and PostgreSQL: a request's transaction appends an event, the relay
 * publishes it later on its own thread, and the listener that receives it is still in the request's trace.
 */
@SpringBootTest(classes = TracedOutboxTest.TracedService.class, properties = {
        "spring.application.name=traced",
        "spring.flyway.locations=classpath:db/tributary,classpath:db/test",
        "tributary.outbox.poll-interval=20ms" })
@EmbeddedTributary
@EmbeddedPostgresDatabase
class TracedOutboxTest {

    static final String TOPIC = "traced-shipments";

    @Autowired
    Outbox outbox;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Autowired
    InMemoryTracing tracing;

    @Autowired
    ReceivedTraces received;

    @Test
    void theListenerOfAnEventFromTheOutboxIsInTheTraceOfTheTransactionThatWroteIt() {
        Observation request = Observation.createNotStarted("http.server.requests", tracing.registry);
        request.observe(() -> new TransactionTemplate(transactionManager).executeWithoutResult(status ->
                outbox.append(TOPIC, "order-7", new OrderPlaced("order-7", 1))));
        String traceId = tracing.span("http.server.requests").getTraceId();

        await().atMost(Duration.ofSeconds(30)).until(() -> received.traceIds.containsKey("order-7"));
        assertThat(received.traceIds.get("order-7")).isEqualTo(traceId);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(tracing.spans())
                .filteredOn(span -> span.getTraceId().equals(traceId)).extracting(SpanData::getName)
                .contains("http.server.requests", TOPIC + " outbox append", TOPIC + " outbox relay", TOPIC + " send",
                        TOPIC + " process"));
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TracedService {

        @Bean
        InMemoryTracing inMemoryTracing() {
            return new InMemoryTracing();
        }

        @Bean
        ObservationRegistry observationRegistry(InMemoryTracing tracing) {
            return tracing.registry;
        }

        @Bean
        ReceivedTraces receivedTraces(InMemoryTracing tracing) {
            return new ReceivedTraces(tracing.tracer);
        }
    }

    /** The trace each order's event arrived in, as the listener sees it. */
    static class ReceivedTraces {

        final Map<String, String> traceIds = new ConcurrentHashMap<>();
        private final Tracer tracer;

        ReceivedTraces(Tracer tracer) {
            this.tracer = tracer;
        }

        @KafkaListener(topics = TOPIC)
        void on(OrderPlaced event) {
            traceIds.put(event.orderId(), tracer.currentSpan().context().traceId());
        }
    }
}
