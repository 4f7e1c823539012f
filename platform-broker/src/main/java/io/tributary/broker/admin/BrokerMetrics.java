package io.tributary.broker.admin;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tributary.broker.api.TrafficObserver;
import io.tributary.broker.log.FlushListener;
import io.tributary.broker.network.RequestObserver;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;

/**
 * The broker's event metrics, fed through the seams of the layers below: requests per API with
 * their latency and error codes ({@link RequestObserver}), record bytes in and out per topic
 * ({@link TrafficObserver}) and fsync latency ({@link FlushListener}). Meters are created on first
 * use and cached, so the hot path does a map lookup and an increment, no allocation.
 */
public final class BrokerMetrics implements RequestObserver, TrafficObserver, FlushListener {

    private static final Duration MIN_EXPECTED = Duration.ofMillis(1).dividedBy(10);
    private static final Duration MAX_EXPECTED = Duration.ofSeconds(30);

    private final MeterRegistry registry;
    private final Map<ApiKeys, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<ApiKeys, Map<Errors, Counter>> errorCounters = new ConcurrentHashMap<>();
    private final Map<String, TopicMeters> topics = new ConcurrentHashMap<>();
    private final Timer flushTimer;

    /** The counters of one topic. */
    private record TopicMeters(Counter bytesIn, Counter recordsIn, Counter bytesOut, Counter recordsOut) {
    }

    public BrokerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.flushTimer = Timer.builder("tributary.log.flush")
                .description("Time to force partition log segments to disk")
                .publishPercentileHistogram()
                .minimumExpectedValue(MIN_EXPECTED).maximumExpectedValue(MAX_EXPECTED)
                .register(registry);
        // Replication is a single node's no-op: these stay 0, present so that dashboards have them.
        Counter.builder("tributary.isr.shrinks").description("In-sync replica set shrinks").register(registry);
        Counter.builder("tributary.isr.expands").description("In-sync replica set expansions").register(registry);
    }

    @Override
    public void onRequest(ApiKeys apiKey, short version, long latencyNanos, Map<Errors, Integer> errorCounts) {
        requestTimers.computeIfAbsent(apiKey, this::newRequestTimer).record(latencyNanos, TimeUnit.NANOSECONDS);
        if (errorCounts.isEmpty()) {
            return;
        }
        for (Map.Entry<Errors, Integer> entry : errorCounts.entrySet()) {
            if (entry.getKey() != Errors.NONE && entry.getValue() > 0) {
                errorCounters.computeIfAbsent(apiKey, key -> new ConcurrentHashMap<>())
                        .computeIfAbsent(entry.getKey(), error -> newErrorCounter(apiKey, error))
                        .increment(entry.getValue());
            }
        }
    }

    /** Counted per listener, mechanism and outcome, as Kafka's successful- and failed-authentication metrics. */
    @Override
    public void onAuthentication(String listenerName, String mechanism, boolean succeeded, boolean reauthentication) {
        // Micrometer keeps one counter per distinct tag set, so a lookup per authentication is cheap.
        Counter.builder("tributary.authentication")
                .description("SASL authentications (and re-authentications) that ended, by outcome")
                .tag("listener", listenerName).tag("mechanism", mechanism).tag("result", succeeded ? "success" : "failure")
                .tag("kind", reauthentication ? "reauthentication" : "authentication")
                .register(registry).increment();
    }

    @Override
    public void produced(String topic, long bytes, long records) {
        TopicMeters meters = topicMeters(topic);
        meters.bytesIn().increment(bytes);
        meters.recordsIn().increment(records);
    }

    @Override
    public void fetched(String topic, long bytes, long records) {
        TopicMeters meters = topicMeters(topic);
        meters.bytesOut().increment(bytes);
        meters.recordsOut().increment(records);
    }

    @Override
    public void onFlush(long durationNanos) {
        flushTimer.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** Removes the counters of topics that no longer exist. */
    void retainTopics(Set<String> existing) {
        for (String topic : Set.copyOf(topics.keySet())) {
            if (!existing.contains(topic)) {
                TopicMeters removed = topics.remove(topic);
                if (removed != null) {
                    registry.remove(removed.bytesIn());
                    registry.remove(removed.recordsIn());
                    registry.remove(removed.bytesOut());
                    registry.remove(removed.recordsOut());
                }
            }
        }
    }

    private TopicMeters topicMeters(String topic) {
        TopicMeters meters = topics.get(topic);
        return meters != null ? meters : topics.computeIfAbsent(topic, name -> new TopicMeters(
                Counter.builder("tributary.topic.bytes.in").tag("topic", name)
                        .description("Record bytes appended by Produce").register(registry),
                Counter.builder("tributary.topic.records.in").tag("topic", name)
                        .description("Records appended by Produce").register(registry),
                Counter.builder("tributary.topic.bytes.out").tag("topic", name)
                        .description("Record bytes sent in Fetch responses").register(registry),
                Counter.builder("tributary.topic.records.out").tag("topic", name)
                        .description("Records sent in Fetch responses").register(registry)));
    }

    private Timer newRequestTimer(ApiKeys apiKey) {
        return Timer.builder("tributary.requests")
                .description("Requests handled, from parse to response, per API")
                .tag("api", apiKey.name)
                .publishPercentileHistogram()
                .minimumExpectedValue(MIN_EXPECTED).maximumExpectedValue(MAX_EXPECTED)
                .register(registry);
    }

    private Counter newErrorCounter(ApiKeys apiKey, Errors error) {
        return Counter.builder("tributary.request.errors")
                .description("Error codes in responses (per partition where the response has several), per API")
                .tag("api", apiKey.name).tag("error", error.name())
                .register(registry);
    }
}
