package io.tributary.client.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

/**
 * Measures the lag of the service's consumer groups, per partition, from the cluster's view: the
 * group's committed offset against the partition's end. Refreshed on a schedule and published as the
 * gauge {@code tributary.consumer.lag} (tags group, topic, partition).
 */
public class ConsumerLagMonitor implements SmartLifecycle {

    private static final Log log = LogFactory.getLog(ConsumerLagMonitor.class);

    private final Admin admin;
    private final KafkaListenerEndpointRegistry registry;
    private final Duration interval;
    private final Duration timeout;
    private final MultiGauge gauge;
    private volatile List<ConsumerLag> latest = List.of();
    private ScheduledExecutorService scheduler;

    public ConsumerLagMonitor(Admin admin, KafkaListenerEndpointRegistry registry, MeterRegistry meterRegistry,
            Duration interval, Duration timeout) {
        this.admin = admin;
        this.registry = registry;
        this.interval = interval;
        this.timeout = timeout;
        this.gauge = meterRegistry == null ? null
                : MultiGauge.builder("tributary.consumer.lag")
                        .description("Records a consumer group has yet to commit, per partition")
                        .baseUnit("records")
                        .register(meterRegistry);
    }

    /** The groups of this service's listener containers. */
    public Set<String> groups() {
        return registry.getListenerContainers().stream()
                .map(MessageListenerContainer::getGroupId)
                .filter(g -> g != null && !g.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The lag as of the last refresh. */
    public List<ConsumerLag> latest() {
        return latest;
    }

    /** Asks the cluster now; failures are logged and keep the previous figures. */
    public List<ConsumerLag> refresh() {
        try {
            List<ConsumerLag> lags = new ArrayList<>();
            for (String group : groups()) {
                lags.addAll(lagOf(group));
            }
            latest = List.copyOf(lags);
            if (gauge != null) {
                gauge.register(latest.stream()
                        .map(l -> MultiGauge.Row.of(Tags.of("group", l.group(), "topic", l.topic(),
                                "partition", Integer.toString(l.partition())), l.lag()))
                        .collect(Collectors.toList()), true);
            }
        } catch (Exception e) {
            log.debug("Consumer lag not refreshed: " + e.getMessage(), e);
        }
        return latest;
    }

    private List<ConsumerLag> lagOf(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> request = committed.keySet().stream()
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        if (request.isEmpty()) {
            return List.of();
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<ConsumerLag> lags = new ArrayList<>();
        committed.forEach((tp, offset) -> {
            if (offset != null && ends.containsKey(tp)) {
                lags.add(new ConsumerLag(group, tp.topic(), tp.partition(), offset.offset(), ends.get(tp).offset()));
            }
        });
        lags.sort(java.util.Comparator.comparing(ConsumerLag::topic).thenComparing(ConsumerLag::partition));
        return lags;
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tributary-consumer-lag");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
