package io.tributary.client.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.TraceContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

/** The trace context an outbox row keeps, and the relay continuing it. */
class OutboxTracingTest {

    private final InMemoryTracing tracing = new InMemoryTracing();
    private final OutboxTracing outboxTracing = new OutboxTracing(tracing.registry);

    @Test
    void anAppendStoresTheW3cTraceContextOfTheCurrentTrace() {
        OutboxTracing.TraceHeaders stored = Observation.createNotStarted("http.server.requests", tracing.registry)
                .observe(() -> outboxTracing.capture("orders"));

        SpanData request = tracing.span("http.server.requests");
        SpanData append = tracing.span("orders outbox append");
        assertThat(append.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(append.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(append.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(stored.traceparent()).isEqualTo("00-" + append.getTraceId() + "-" + append.getSpanId() + "-01");
    }

    @Test
    void theRelaySendsInTheStoredTraceAndEndsItsSpanWhenTheSendCompletes() {
        OutboxTracing.TraceHeaders stored = Observation.createNotStarted("http.server.requests", tracing.registry)
                .observe(() -> outboxTracing.capture("orders"));
        SpanData append = tracing.span("orders outbox append");
        AtomicReference<TraceContext> duringSend = new AtomicReference<>();
        CompletableFuture<Object> send = new CompletableFuture<>();

        CompletableFuture<?> relayed = outboxTracing.relay("orders", stored, () -> {
            duringSend.set(tracing.tracer.currentSpan().context());
            return send;
        });

        assertThat(duringSend.get().traceId()).isEqualTo(append.getTraceId());
        assertThat(duringSend.get().parentId()).isEqualTo(append.getSpanId());
        assertThat(tracing.spans()).extracting(SpanData::getName).doesNotContain("orders outbox relay");
        assertThat(tracing.tracer.currentSpan()).as("the relay thread is left without a span").isNull();

        send.complete("acknowledged");
        assertThat(relayed).isCompleted();
        SpanData relay = tracing.span("orders outbox relay");
        assertThat(relay.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(relay.getTraceId()).isEqualTo(append.getTraceId());
        assertThat(relay.getParentSpanId()).isEqualTo(append.getSpanId());
    }

    @Test
    void aFailedSendEndsTheRelaySpanWithTheError() {
        OutboxTracing.TraceHeaders stored = Observation.createNotStarted("request", tracing.registry)
                .observe(() -> outboxTracing.capture("orders"));
        CompletableFuture<Object> send = new CompletableFuture<>();
        outboxTracing.relay("orders", stored, () -> send);

        send.completeExceptionally(new IllegalStateException("broker said no"));
        assertThat(tracing.span("orders outbox relay").getStatus().getStatusCode())
                .isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
    }

    @Test
    void rowsWithoutATraceAndRegistriesWithoutTracingSendAsBefore() {
        CompletableFuture<Object> send = CompletableFuture.completedFuture("sent");
        assertThat(outboxTracing.relay("orders", OutboxTracing.TraceHeaders.NONE, () -> send)).isSameAs(send);
        assertThat(tracing.spans()).isEmpty();

        OutboxTracing untraced = new OutboxTracing(ObservationRegistry.NOOP);
        assertThat(untraced.capture("orders")).isEqualTo(OutboxTracing.TraceHeaders.NONE);
        assertThat(untraced.relay("orders", new OutboxTracing.TraceHeaders("00-" + "1".repeat(32) + "-" + "2".repeat(16)
                + "-01", null), () -> send)).isSameAs(send);
    }
}
