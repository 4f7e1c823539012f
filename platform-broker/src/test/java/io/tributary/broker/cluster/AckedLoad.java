package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An idempotent acks=all producer writing increasing numbers to each partition of a topic on a
 * thread of its own until stopped, remembering which were acknowledged and when; then the check
 * that every acknowledged number is read back exactly once and in order.
 */
final class AckedLoad implements AutoCloseable {

    private final String topic;
    private final int partitions;
    private final List<List<Integer>> acked = new ArrayList<>();
    /** When each partition's acknowledgements arrived, in nanoseconds. */
    private final List<List<Long>> ackTimes = new ArrayList<>();
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Throwable failure;

    AckedLoad(String bootstrapServers, String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
        for (int p = 0; p < partitions; p++) {
            acked.add(new CopyOnWriteArrayList<>());
            ackTimes.add(new CopyOnWriteArrayList<>());
        }
        thread = new Thread(() -> produce(bootstrapServers), "acked-load-" + topic);
        thread.start();
    }

    int acked(int partition) {
        return acked.get(partition).size();
    }

    /** The numbers acknowledged so far in {@code partition}. */
    List<Integer> acknowledged(int partition) {
        return List.copyOf(acked.get(partition));
    }

    /** Waits until every partition has at least {@code count} more acknowledgements than now. */
    void awaitMoreAcks(int count, Duration timeout) {
        int[] from = new int[partitions];
        for (int p = 0; p < partitions; p++) {
            from[p] = acked(p);
        }
        await().atMost(timeout).until(() -> {
            if (failure != null) {
                throw new AssertionError("The producer failed", failure);
            }
            for (int p = 0; p < partitions; p++) {
                if (acked(p) < from[p] + count) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The longest time a partition went without an acknowledgement after {@code sinceNanos}. */
    long longestGapMsSince(long sinceNanos) {
        long gap = 0;
        for (List<Long> times : ackTimes) {
            for (int i = 1; i < times.size(); i++) {
                if (times.get(i) > sinceNanos) {
                    gap = Math.max(gap, times.get(i) - times.get(i - 1));
                }
            }
        }
        return gap / 1_000_000;
    }

    private void produce(String bootstrapServers) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, ProducerConfig.LINGER_MS_CONFIG, 0,
                "metadata.max.age.ms", 1_000,
                // A frozen (SIGSTOP) broker still completes TCP handshakes in the kernel, so its connection
                // sits in "connecting" until request.timeout.ms, and kafka-clients sends metadata requests to
                // a connecting node before any other: reconnecting to it at once would keep every metadata
                // refresh on it for good. A second's backoff lets the refresh reach a live broker first.
                ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 1_000, ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000),
                new StringSerializer(), new StringSerializer())) {
            int next = 0;
            while (producing.get()) {
                Future<RecordMetadata> last = null;
                for (int p = 0; p < partitions; p++) {
                    int partition = p;
                    int value = next;
                    last = producer.send(new ProducerRecord<>(topic, partition, "k", Integer.toString(value)),
                            (metadata, error) -> {
                                if (error == null) {
                                    acked.get(partition).add(value);
                                    ackTimes.get(partition).add(System.nanoTime());
                                }
                            });
                }
                if (++next % 20 == 0) {
                    last.get(60, TimeUnit.SECONDS); // a steady load rather than a growing backlog
                }
            }
            producer.flush();
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** Stops producing, then reads every partition back and checks the acknowledged records. */
    void stopAndVerify(String bootstrapServers) throws InterruptedException {
        close();
        assertThat(failure).as("producer failure").isNull();
        for (int p = 0; p < partitions; p++) {
            List<Integer> read = readAll(bootstrapServers, new TopicPartition(topic, p));
            Set<Integer> distinct = new HashSet<>(read);
            assertThat(distinct).as("no duplicates in partition %d", p).hasSameSizeAs(read);
            assertThat(read).as("order in partition %d", p).isSorted();
            // Looked up in a set: tens of thousands of records make a list's containsAll quadratic.
            List<Integer> lost = acked.get(p).stream().filter(value -> !distinct.contains(value)).toList();
            assertThat(lost).as("acknowledged records of partition %d not read back", p).isEmpty();
        }
    }

    private static List<Integer> readAll(String bootstrapServers, TopicPartition tp) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            List<Integer> values = new ArrayList<>();
            // Drains whatever a poll returns before the next check, not one poll per Awaitility interval:
            // a load that ran for a minute wrote far more records than a poll hands out.
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                boolean polled = true;
                while (polled && consumer.position(tp) < end) {
                    polled = false;
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        polled = true;
                        if ("k".equals(record.key())) { // not another producer's
                            values.add(Integer.parseInt(record.value()));
                        }
                    }
                }
                return consumer.position(tp) >= end;
            });
            return values;
        }
    }

    @Override
    public void close() throws InterruptedException {
        producing.set(false);
        thread.join(90_000);
        assertThat(thread.isAlive()).as("producer thread stopped").isFalse();
    }
}
