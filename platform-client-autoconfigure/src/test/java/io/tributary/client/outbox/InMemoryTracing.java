package io.tributary.client.outbox;

import java.util.List;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.observation.ObservationHandler;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * Micrometer Tracing on the OpenTelemetry bridge, as Spring Boot sets it up (W3C propagation, the propagating
 * sender and receiver handlers before the default one), with every finished span kept in memory.
 */
final class InMemoryTracing {

    final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    final ObservationRegistry registry = ObservationRegistry.create();
    final Tracer tracer;

    InMemoryTracing() {
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
        OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder().setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        io.opentelemetry.api.trace.Tracer otelTracer = openTelemetry.getTracer("test");
        OtelCurrentTraceContext currentTraceContext = new OtelCurrentTraceContext();
        tracer = new OtelTracer(otelTracer, currentTraceContext, event -> {
        }, new OtelBaggageManager(currentTraceContext, List.of(), List.of()));
        OtelPropagator propagator = new OtelPropagator(openTelemetry.getPropagators(), otelTracer);
        registry.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                new DefaultTracingObservationHandler(tracer)));
    }

    List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    SpanData span(String name) {
        return spans().stream().filter(span -> span.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("No span " + name + " among " + spans()));
    }
}
