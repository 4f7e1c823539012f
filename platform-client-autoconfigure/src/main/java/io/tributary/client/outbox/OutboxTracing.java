package io.tributary.client.outbox;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;

/**
 * Carries a trace across the outbox, with Micrometer's Observation API and whatever tracer it is bridged to.
 * {@link #capture} runs in the transaction that appends an event: a short producer observation,
 * {@code tributary.outbox.append}, whose propagation (W3C {@code traceparent} and {@code tracestate} with
 * Micrometer Tracing's default) is what the outbox row stores. {@link #relay} runs on the relay's thread: a
 * consumer observation, {@code tributary.outbox.relay}, that continues the stored context and stays current while
 * the record is sent, so the template's own observation, and with it the record's {@code traceparent} header,
 * belongs to the trace of the request that wrote the event.
 * <p>
 * With a no-op registry, or no tracer behind it, nothing is captured and the relay sends as before. Thread-safe.
 */
final class OutboxTracing {

    static final String TRACEPARENT = "traceparent";
    static final String TRACESTATE = "tracestate";

    private final ObservationRegistry registry;

    OutboxTracing(ObservationRegistry registry) {
        this.registry = registry == null ? ObservationRegistry.NOOP : registry;
    }

    /** The propagation headers of the current trace, for an event appended now to {@code topic}; empty without one. */
    TraceHeaders capture(String topic) {
        if (registry.isNoop()) {
            return TraceHeaders.NONE;
        }
        Map<String, String> carrier = new HashMap<>();
        SenderContext<Map<String, String>> context = new SenderContext<>(Map::put, Kind.PRODUCER);
        context.setCarrier(carrier);
        context.setRemoteServiceName("tributary-outbox");
        Observation.createNotStarted("tributary.outbox.append", () -> context, registry)
                .contextualName(topic + " outbox append")
                .lowCardinalityKeyValues(KeyValues.of("topic", topic))
                .observe(() -> {
                });
        return new TraceHeaders(carrier.get(TRACEPARENT), carrier.get(TRACESTATE));
    }

    /**
     * Runs {@code send} in an observation that continues {@code trace}, and ends that observation when the send
     * completes. Without a stored trace, or with a no-op registry, it just sends.
     */
    CompletableFuture<?> relay(String topic, TraceHeaders trace, Supplier<CompletableFuture<?>> send) {
        if (registry.isNoop() || trace.traceparent() == null) {
            return send.get();
        }
        ReceiverContext<TraceHeaders> context = new ReceiverContext<>(TraceHeaders::get, Kind.CONSUMER);
        context.setCarrier(trace);
        context.setRemoteServiceName("tributary-outbox");
        Observation observation = Observation.createNotStarted("tributary.outbox.relay", () -> context, registry)
                .contextualName(topic + " outbox relay")
                .lowCardinalityKeyValues(KeyValues.of("topic", topic))
                .start();
        CompletableFuture<?> sent;
        try (Observation.Scope scope = observation.openScope()) {
            sent = send.get();
        } catch (RuntimeException e) {
            observation.error(e);
            observation.stop();
            throw e;
        }
        return sent.whenComplete((result, failure) -> {
            if (failure != null) {
                observation.error(failure);
            }
            observation.stop();
        });
    }

    /** The W3C trace context of the transaction that wrote an outbox row; both null when it had none. */
    record TraceHeaders(String traceparent, String tracestate) {

        static final TraceHeaders NONE = new TraceHeaders(null, null);

        String get(String name) {
            return switch (name) {
                case TRACEPARENT -> traceparent;
                case TRACESTATE -> tracestate;
                default -> null;
            };
        }
    }
}
