package io.tributary.broker.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tributary.broker.config.BrokerConfiguration.KafkaListener;
import io.tributary.broker.group.ConsumerLag;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's state as gauges: connections, partitions, delayed operations, and per partition
 * its log size and end offset and each group's consumer lag (tagged with the group's type: a share group's lag
 * is its backlog, from its share-partitions' start offsets).
 *
 * <p>The per-partition and per-group gauges are {@link MultiGauge}s registered for the partitions
 * and groups that exist at each refresh, every {@code refreshInterval}: partitions and groups that
 * appeared get gauges, those deleted lose theirs. Log size and end offset are read live at each
 * scrape; consumer lag (from {@link ConsumerLag}, never recomputed here) is the value of the last
 * refresh.
 */
public final class PartitionMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionMetrics.class);

    private final PartitionManager partitions;
    private final LogManager logs;
    private final ConsumerLag consumerLag;
    private final BrokerMetrics brokerMetrics;
    private final ScheduledExecutorService scheduler;
    private final long refreshIntervalMs;
    private final MultiGauge logSize;
    private final MultiGauge logEndOffset;
    private final MultiGauge lag;
    private ScheduledFuture<?> refreshTask;

    public PartitionMetrics(MeterRegistry registry, KafkaListener listener, PartitionManager partitions, LogManager logs,
            ConsumerLag consumerLag, BrokerMetrics brokerMetrics, ScheduledExecutorService scheduler,
            long refreshIntervalMs) {
        this.partitions = partitions;
        this.logs = logs;
        this.consumerLag = consumerLag;
        this.brokerMetrics = brokerMetrics;
        this.scheduler = scheduler;
        this.refreshIntervalMs = refreshIntervalMs;
        Gauge.builder("tributary.connections", listener, KafkaListener::connectionCount)
                .description("Open Kafka connections").register(registry);
        Gauge.builder("tributary.partitions", partitions, manager -> manager.partitions().size())
                .description("Partitions hosted by this broker").register(registry);
        Gauge.builder("tributary.partitions.leader", partitions, PartitionMetrics::leaders)
                .description("Partitions this broker leads").register(registry);
        Gauge.builder("tributary.partitions.offline", logs,
                manager -> manager.logs().stream().filter(PartitionLog::isOffline).count())
                .description("Partition logs offline after a storage failure").register(registry);
        Gauge.builder("tributary.partitions.under.replicated", partitions, PartitionMetrics::underReplicated)
                .description("Partitions this broker leads with fewer in-sync replicas than replicas").register(registry);
        Gauge.builder("tributary.fetch.delayed", partitions, PartitionManager::delayedFetchCount)
                .description("Fetches waiting for data").register(registry);
        Gauge.builder("tributary.produce.delayed", partitions, PartitionManager::delayedProduceCount)
                .description("acks=all produces waiting for the in-sync replicas").register(registry);
        logSize = MultiGauge.builder("tributary.log.size").baseUnit("bytes")
                .description("Size of a partition's log").register(registry);
        logEndOffset = MultiGauge.builder("tributary.log.end.offset")
                .description("The offset of a partition's next record").register(registry);
        lag = MultiGauge.builder("tributary.consumer.lag")
                .description("Records between a group's committed offset (a share group's start offset)"
                        + " and the partition's high watermark")
                .register(registry);
    }

    /** Registers the gauges of what exists now and refreshes them periodically. */
    public synchronized void start() {
        refresh();
        refreshTask = scheduler.scheduleWithFixedDelay(this::refreshQuietly, refreshIntervalMs, refreshIntervalMs,
                TimeUnit.MILLISECONDS);
    }

    /** Re-registers the per-partition and per-group gauges for the partitions and groups that exist. */
    public void refresh() {
        List<MultiGauge.Row<?>> sizes = new ArrayList<>();
        List<MultiGauge.Row<?>> ends = new ArrayList<>();
        Set<String> topics = new HashSet<>();
        for (PartitionLog partitionLog : logs.logs()) {
            Tags tags = Tags.of("topic", partitionLog.topicPartition().topic(),
                    "partition", Integer.toString(partitionLog.topicPartition().partition()));
            topics.add(partitionLog.topicPartition().topic());
            sizes.add(MultiGauge.Row.of(tags, partitionLog, PartitionLog::sizeInBytes));
            ends.add(MultiGauge.Row.of(tags, partitionLog, PartitionLog::logEndOffset));
        }
        logSize.register(sizes, true);
        logEndOffset.register(ends, true);
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        for (ConsumerLag.PartitionLag partitionLag : consumerLag.all()) {
            lags.add(MultiGauge.Row.of(Tags.of("group", partitionLag.groupId(),
                    "type", partitionLag.groupType().toString().toLowerCase(Locale.ROOT),
                    "topic", partitionLag.topicPartition().topic(),
                    "partition", Integer.toString(partitionLag.topicPartition().partition())), partitionLag.lag()));
        }
        lag.register(lags, true);
        brokerMetrics.retainTopics(topics);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("Refreshing the partition metrics failed: {}", e.toString());
        }
    }

    private static long leaders(PartitionManager manager) {
        long count = 0;
        for (Partition partition : manager.partitions()) {
            if (partition.leaderId(manager.nodeId()) == manager.nodeId()) {
                count++;
            }
        }
        return count;
    }

    static long underReplicated(PartitionManager manager) {
        long count = 0;
        for (Partition partition : manager.partitions()) {
            if (partition.isUnderReplicated()) {
                count++;
            }
        }
        return count;
    }

    @Override
    public synchronized void close() {
        if (refreshTask != null) {
            refreshTask.cancel(false);
        }
    }
}
