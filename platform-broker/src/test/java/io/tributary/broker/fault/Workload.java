package io.tributary.broker.fault;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import io.tributary.broker.fault.History.Type;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The clients of a run, all recording into the {@link History}: one idempotent acks=all producer
 * sending increasing numbers round the partitions at a steady pace (a bounded number in flight), and a
 * consumer group of members that commit what they polled after each poll; at the end, a plain consumer
 * that reads every partition from its start.
 */
final class Workload implements AutoCloseable {

    /** At most this many sends unanswered: a steady load, not a backlog that grows during a fault. */
    private static final int IN_FLIGHT = 50;

    private final String bootstrap;
    private final String topic;
    private final int partitions;
    private final History history;
    private final ScheduledExecutorService sender;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicLong next = new AtomicLong();
    private final AtomicBoolean consuming = new AtomicBoolean(true);
    private final List<Thread> members = new ArrayList<>();
    private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
    /** The highest offset the group consumed, by partition. */
    private final Map<Integer, Long> consumedUpTo = new ConcurrentHashMap<>();
    private final AtomicLong commitIds = new AtomicLong();
    /** Replaced, on the sender thread, when it failed for good. */
    private volatile KafkaProducer<String, String> producer;

    Workload(String bootstrap, String topic, int partitions, int groupMembers, History history) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.partitions = partitions;
        this.history = history;
        this.producer = producer();
        for (int i = 0; i < groupMembers; i++) {
            String name = "consumer-" + i;
            KafkaConsumer<String, String> consumer = consumer("fault-group");
            consumers.add(consumer);
            Thread thread = new Thread(() -> consume(name, consumer), "fault-" + name);
            members.add(thread);
            thread.start();
        }
        sender = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "fault-producer"));
        sender.scheduleWithFixedDelay(this::sendOne, 0, 2, TimeUnit.MILLISECONDS);
    }

    private KafkaProducer<String, String> producer() {
        return FaultClients.producer(bootstrap, Map.of());
    }

    private KafkaConsumer<String, String> consumer(String group) {
        return FaultClients.consumer(bootstrap, group, Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000));
    }

    private void sendOne() {
        if (!inFlight.tryAcquire()) {
            return;
        }
        long value = next.getAndIncrement();
        int partition = (int) (value % partitions);
        history.add(Type.SEND, "producer", partition, value, -1, null);
        try {
            producer.send(new ProducerRecord<>(topic, partition, "k", Long.toString(value)), (metadata, error) -> {
                inFlight.release();
                if (error == null) {
                    history.add(Type.ACK, "producer", partition, value, metadata.offset(), null);
                } else {
                    history.add(Type.FAIL, "producer", partition, value, -1, error.toString());
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            inFlight.release();
            history.add(Type.FAIL, "producer", partition, value, -1, e.toString());
            if (e instanceof IllegalStateException || e.getClass().getSimpleName().contains("Fatal")) {
                // The idempotent producer is in an unrecoverable state: an application makes a new one.
                history.add(Type.INFO, "producer", -1, -1, -1, "new producer after " + e);
                producer.close(Duration.ZERO);
                producer = producer();
            }
        }
    }

    private void consume(String name, KafkaConsumer<String, String> consumer) {
        try (consumer) {
            consumer.subscribe(List.of(topic));
            while (consuming.get()) {
                try {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
                    for (ConsumerRecord<String, String> record : records) {
                        history.add(Type.CONSUME, name, record.partition(), value(record), record.offset(), null);
                        consumedUpTo.merge(record.partition(), record.offset(), Math::max);
                        positions.put(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                    }
                    if (!positions.isEmpty()) {
                        commit(name, consumer, positions);
                    }
                } catch (WakeupException e) {
                    return;
                } catch (KafkaException e) {
                    history.add(Type.INFO, name, -1, -1, -1, "poll: " + e);
                }
            }
        }
    }

    private void commit(String name, KafkaConsumer<String, String> consumer, Map<TopicPartition, OffsetAndMetadata> positions) {
        Map<TopicPartition, Long> ids = new HashMap<>();
        positions.forEach((tp, offset) -> {
            long id = commitIds.incrementAndGet();
            ids.put(tp, id);
            history.add(Type.COMMIT_INVOKE, name, tp.partition(), id, offset.offset(), null);
        });
        try {
            consumer.commitSync(positions, Duration.ofSeconds(5));
            positions.forEach((tp, offset) -> history.add(Type.COMMIT_OK, name, tp.partition(), ids.get(tp), offset.offset(), null));
        } catch (WakeupException e) {
            positions.forEach((tp, offset) -> history.add(Type.COMMIT_FAIL, name, tp.partition(), ids.get(tp), offset.offset(),
                    "wakeup"));
            throw e;
        } catch (KafkaException e) {
            positions.forEach((tp, offset) -> history.add(Type.COMMIT_FAIL, name, tp.partition(), ids.get(tp), offset.offset(),
                    e.toString()));
        }
    }

    private static long value(ConsumerRecord<String, String> record) {
        try {
            return Long.parseLong(record.value());
        } catch (NumberFormatException e) {
            return -1; // not ours: the checker calls it a phantom
        }
    }

    /** Stops sending and waits (bounded) until every send has been answered. */
    void stopProducing() throws InterruptedException {
        sender.shutdown();
        if (!sender.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The producer's sender did not stop");
        }
        producer.flush();
        producer.close(Duration.ofSeconds(30));
        history.add(Type.INFO, "producer", -1, -1, -1, "stopped after " + next.get() + " sends");
    }

    /** Waits until the group consumed up to each partition's end, then stops its members. */
    void drainGroup(Map<Integer, Long> endOffsets, Duration timeout) throws InterruptedException {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> endOffsets.entrySet().stream()
                    .allMatch(e -> e.getValue() == 0 || consumedUpTo.getOrDefault(e.getKey(), -1L) >= e.getValue() - 1));
        } finally {
            stopConsuming();
        }
    }

    private void stopConsuming() throws InterruptedException {
        consuming.set(false);
        for (int i = 0; i < members.size(); i++) {
            consumers.get(i).wakeup();
            members.get(i).join(30_000);
            if (members.get(i).isAlive()) {
                throw new IllegalStateException(members.get(i).getName() + " did not stop");
            }
        }
    }

    /** Each partition's end offset (its high watermark) as a plain consumer sees it. */
    Map<Integer, Long> endOffsets() {
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            Map<Integer, Long> ends = new HashMap<>();
            consumer.endOffsets(tps, Duration.ofSeconds(30)).forEach((tp, end) -> ends.put(tp.partition(), end));
            return ends;
        }
    }

    /** Reads every partition from its start to {@code endOffsets} into the history as READ events. */
    void readAll(Map<Integer, Long> endOffsets) {
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(topic, p);
                long end = endOffsets.get(p);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    boolean polled = true;
                    while (polled && consumer.position(tp) < end) {
                        polled = false;
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                            polled = true;
                            if (record.offset() < end) {
                                history.add(Type.READ, "reader", record.partition(), value(record), record.offset(), null);
                            }
                        }
                    }
                    return consumer.position(tp) >= end;
                });
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        sender.shutdownNow();
        sender.awaitTermination(10, TimeUnit.SECONDS);
        producer.close(Duration.ofSeconds(10));
        stopConsuming();
    }
}
