package io.tributary.broker.cluster;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Reads a group's committed offsets over and over through whichever broker answers, noting any that went back. */
final class CommittedOffsetSampler {

    final Map<Integer, Long> highest = new ConcurrentHashMap<>();
    final List<String> wentBack = new CopyOnWriteArrayList<>();
    final AtomicLong samples = new AtomicLong();
    /** When each partition's committed offset was seen to advance, in nanoseconds. */
    final List<Long> advances = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Supplier<Admin> admins;
    private final String group;
    private Thread thread;

    CommittedOffsetSampler(Supplier<Admin> admins, String group) {
        this.admins = admins;
        this.group = group;
    }

    CommittedOffsetSampler start() {
        thread = new Thread(this::sample, "offset-sampler");
        thread.start();
        return this;
    }

    long committed(int partition) {
        return highest.getOrDefault(partition, -1L);
    }

    /** The longest time without a committed offset moving on, after {@code nanos}. */
    long longestGapMsSince(long nanos) {
        long gap = 0;
        for (int i = 1; i < advances.size(); i++) {
            if (advances.get(i) > nanos) {
                gap = Math.max(gap, advances.get(i) - Math.max(nanos, advances.get(i - 1)));
            }
        }
        return gap / 1_000_000;
    }

    private void sample() {
        try (Admin admin = admins.get()) {
            while (running.get()) {
                try {
                    Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                    samples.incrementAndGet();
                    offsets.forEach((tp, offset) -> {
                        long previous = committed(tp.partition());
                        if (offset.offset() < previous) {
                            wentBack.add(tp + ": " + previous + " -> " + offset.offset());
                        } else if (offset.offset() > previous) {
                            highest.put(tp.partition(), offset.offset());
                            advances.add(System.nanoTime());
                        }
                    });
                } catch (Exception e) {
                    // no coordinator for a moment: sample again
                }
                await().pollDelay(Duration.ofMillis(50)).until(() -> true);
            }
        }
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }
}
