package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    /** When partition 0's acknowledgements arrived, in nanoseconds. */
    private final List<Long> ackTimes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean producing = new AtomicBoolean(true);
    private final Thread thread;
    private volatile Throwable failure;

    AckedLoad(String bootstrapServers, String topic, int partitions) {
        this.topic = topic;
        this.partitions = partitions;
        for (int p = 0; p < partitions; p++) {
            acked.add(new CopyOnWriteArrayList<>());
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

    /** The longest time partition 0 went without an acknowledgement after {@code sinceNanos}. */
    long longestGapMsSince(long sinceNanos) {
        long gap = 0;
        for (int i = 1; i < ackTimes.size(); i++) {
            if (ackTimes.get(i) > sinceNanos) {
                gap = Math.max(gap, ackTimes.get(i) - ackTimes.get(i - 1));
            }
        }
        return gap / 1_000_000;
    }

    private void produce(String bootstrapServers) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000, ProducerConfig.LINGER_MS_CONFIG, 0,
                "metadata.max.age.ms", 1_000), new StringSerializer(), new StringSerializer())) {
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
                                    if (partition == 0) {
                                        ackTimes.add(System.nanoTime());
                                    }
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
            assertThat(new HashSet<>(read)).as("no duplicates in partition %d", p).hasSameSizeAs(read);
            assertThat(read).as("order in partition %d", p).isSorted();
            assertThat(read).as("every acknowledged record of partition %d", p).containsAll(acked.get(p));
        }
    }

    private static List<Integer> readAll(String bootstrapServers, TopicPartition tp) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            List<Integer> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(Integer.parseInt(record.value()));
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
