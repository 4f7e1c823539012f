package io.tributary.broker.admin.history;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples this broker's traffic counters (the {@code tributary.topic.*} meters), its partitions' log
 * end offsets and its groups' lag every {@code interval}, and keeps the last {@code retention} of them
 * in bounded rings for the console's charts. Rates are differences between two samples divided by the
 * time between them; a counter that went down (its topic was deleted and created again) counts as
 * starting from zero.
 *
 * <p>{@link #sample()} runs on one thread (its own scheduler, or a test's); the readers may run on
 * any thread.
 */
public final class MetricsHistory implements AutoCloseable {

    /** Groups whose lag is kept; more would be listed but not charted. */
    static final int MAX_GROUPS = 100;

    /** A topic's traffic over the last sampling interval, per second. */
    public record TopicRate(double bytesIn, double recordsIn, double bytesOut, double recordsOut) {

        static final TopicRate ZERO = new TopicRate(0, 0, 0, 0);
    }

    private record Counts(double bytesIn, double recordsIn, double bytesOut, double recordsOut) {
    }

    private final MeterRegistry registry;
    private final PartitionManager partitions;
    private final Supplier<Map<String, Long>> groupLags;
    private final Clock clock;
    private final Duration interval;
    private final int capacity;
    private final SampleRing<TrafficSample> traffic;
    private final Map<String, SampleRing<LagSample>> groupLag = new ConcurrentHashMap<>();
    private volatile Map<String, TopicRate> topicRates = Map.of();
    private volatile Map<TopicPartition, Double> partitionRates = Map.of();
    private ScheduledExecutorService scheduler;

    // Only the sampling thread touches these.
    private long lastTime = -1;
    private Map<String, Counts> lastCounts = Map.of();
    private Map<TopicPartition, Long> lastEndOffsets = Map.of();

    /**
     * @param groupLags the total lag of each group this broker coordinates, computed when sampled
     */
    public MetricsHistory(MeterRegistry registry, PartitionManager partitions, Supplier<Map<String, Long>> groupLags,
            Clock clock,
            Duration interval, Duration retention) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("The sampling interval must be positive: " + interval);
        }
        this.registry = registry;
        this.partitions = partitions;
        this.groupLags = groupLags;
        this.clock = clock;
        this.interval = interval;
        this.capacity = (int) Math.max(2, retention.toMillis() / interval.toMillis());
        this.traffic = new SampleRing<>(capacity);
    }

    public synchronized void start() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "tributary-metrics-history");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleAtFixedRate(this::sampleQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public Duration interval() {
        return interval;
    }

    /** Takes one sample now. */
    public void sample() {
        long now = clock.millis();
        Map<String, Counts> counts = topicCounts();
        Map<TopicPartition, Long> endOffsets = new HashMap<>();
        for (Partition partition : partitions.partitions()) {
            endOffsets.put(partition.topicPartition(), partition.log().logEndOffset());
        }
        if (lastTime >= 0 && now > lastTime) {
            double seconds = (now - lastTime) / 1000.0;
            Map<String, TopicRate> rates = new HashMap<>();
            TrafficSample total = new TrafficSample(now, 0, 0, 0, 0);
            for (Map.Entry<String, Counts> entry : counts.entrySet()) {
                Counts before = lastCounts.getOrDefault(entry.getKey(), new Counts(0, 0, 0, 0));
                Counts after = entry.getValue();
                TopicRate rate = new TopicRate(rate(before.bytesIn, after.bytesIn, seconds),
                        rate(before.recordsIn, after.recordsIn, seconds), rate(before.bytesOut, after.bytesOut, seconds),
                        rate(before.recordsOut, after.recordsOut, seconds));
                rates.put(entry.getKey(), rate);
                total = total.plus(new TrafficSample(now, rate.bytesIn(), rate.bytesOut(), rate.recordsIn(),
                        rate.recordsOut()));
            }
            Map<TopicPartition, Double> appendRates = new HashMap<>();
            for (Map.Entry<TopicPartition, Long> entry : endOffsets.entrySet()) {
                Long before = lastEndOffsets.get(entry.getKey());
                appendRates.put(entry.getKey(), before == null ? 0 : rate(before, entry.getValue(), seconds));
            }
            traffic.add(total);
            topicRates = Map.copyOf(rates);
            partitionRates = Map.copyOf(appendRates);
        }
        sampleLag(now);
        lastTime = now;
        lastCounts = counts;
        lastEndOffsets = endOffsets;
    }

    /** Total traffic samples within {@code window} of the newest, oldest first. */
    public List<TrafficSample> traffic(Duration window) {
        return within(traffic.snapshot(), window, TrafficSample::time);
    }

    /** Each topic's traffic over the last interval; topics with no sample yet are absent. */
    public Map<String, TopicRate> topicRates() {
        return topicRates;
    }

    public TopicRate topicRate(String topic) {
        return topicRates.getOrDefault(topic, TopicRate.ZERO);
    }

    /** Records appended per second to a partition held here over the last interval (0 when unknown). */
    public double appendRate(TopicPartition partition) {
        return partitionRates.getOrDefault(partition, 0.0);
    }

    /** A group's total lag within {@code window} of the newest sample, oldest first. */
    public List<LagSample> lag(String groupId, Duration window) {
        SampleRing<LagSample> ring = groupLag.get(groupId);
        return ring == null ? List.of() : within(ring.snapshot(), window, LagSample::time);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            // A partition deleted mid-sample, a group unloading: the next sample will do.
            org.slf4j.LoggerFactory.getLogger(MetricsHistory.class).debug("Metrics sample skipped", e);
        }
    }

    private void sampleLag(long now) {
        Map<String, Long> totals = groupLags.get();
        groupLag.keySet().retainAll(totals.keySet());
        Set<String> kept = new TreeSet<>(groupLag.keySet());
        for (String group : new TreeSet<>(totals.keySet())) {
            if (kept.size() >= MAX_GROUPS && !kept.contains(group)) {
                continue;
            }
            kept.add(group);
            groupLag.computeIfAbsent(group, g -> new SampleRing<>(capacity)).add(new LagSample(now, totals.get(group)));
        }
    }

    private Map<String, Counts> topicCounts() {
        Map<String, double[]> sums = new HashMap<>();
        collect(sums, "tributary.topic.bytes.in", 0);
        collect(sums, "tributary.topic.records.in", 1);
        collect(sums, "tributary.topic.bytes.out", 2);
        collect(sums, "tributary.topic.records.out", 3);
        Map<String, Counts> counts = new HashMap<>();
        sums.forEach((topic, c) -> counts.put(topic, new Counts(c[0], c[1], c[2], c[3])));
        return counts;
    }

    private void collect(Map<String, double[]> sums, String name, int index) {
        for (Counter counter : registry.find(name).counters()) {
            String topic = counter.getId().getTag("topic");
            if (topic != null) {
                sums.computeIfAbsent(topic, t -> new double[4])[index] += counter.count();
            }
        }
    }

    private static double rate(double before, double after, double seconds) {
        double delta = after >= before ? after - before : after;
        return delta / seconds;
    }

    private static <T> List<T> within(List<T> samples, Duration window, java.util.function.ToLongFunction<T> time) {
        if (samples.isEmpty()) {
            return samples;
        }
        long newest = time.applyAsLong(samples.get(samples.size() - 1));
        long oldest = newest - window.toMillis();
        return samples.stream().filter(s -> time.applyAsLong(s) >= oldest).toList();
    }
}
