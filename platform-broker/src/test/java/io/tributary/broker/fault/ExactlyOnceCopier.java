package io.tributary.broker.fault;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import io.tributary.broker.fault.History.Type;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * A consume-transform-produce loop under the faults, as Kafka Streams' exactly-once runs one: a
 * read_committed consumer of the source topic and a transactional producer copy every record to the same
 * partition of the target topic, and commit the source offsets in the same transaction. One transaction
 * in eight, picked by the seed, is aborted on purpose after its records were written, and copied again.
 * Any other failure (a timeout, a fenced producer, a coordinator moving) ends the producer: a new one with
 * the same transactional id fences it and finishes or aborts what it left, and copying resumes from the
 * offsets committed. Everything goes into the {@link History}: each copied record with its target offset
 * and transaction, each transaction's end, and at the end a read_committed read of the target, which
 * {@link CopyChecker} holds against the source's healed log.
 */
final class ExactlyOnceCopier implements AutoCloseable {

    private static final String PROCESS = "copier";

    private final String bootstrap;
    private final String source;
    private final String target;
    private final int partitions;
    private final History history;
    private final Random random;
    private final AtomicBoolean running = new AtomicBoolean(true);
    /** The source offsets the last committed transaction committed, by partition. */
    private final Map<Integer, Long> committed = new ConcurrentHashMap<>();
    private final Thread thread;
    private long transactions;

    ExactlyOnceCopier(String bootstrap, String source, String target, int partitions, History history, long seed) {
        this.bootstrap = bootstrap;
        this.source = source;
        this.target = target;
        this.partitions = partitions;
        this.history = history;
        this.random = new Random(seed);
        this.thread = new Thread(this::run, "fault-copier");
        thread.start();
    }

    private KafkaProducer<String, String> producer() {
        return FaultClients.producer(bootstrap, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "fault-copier",
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 20_000, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
    }

    private KafkaConsumer<String, String> consumer(String group) {
        return FaultClients.consumer(bootstrap, group, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500));
    }

    private List<TopicPartition> sourcePartitions() {
        List<TopicPartition> list = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            list.add(new TopicPartition(source, p));
        }
        return list;
    }

    private void run() {
        // Partitions assigned, not subscribed: no rebalance to live through, and fencing is the transactional id's.
        try (KafkaConsumer<String, String> consumer = consumer("fault-copier")) {
            consumer.assign(sourcePartitions());
            KafkaProducer<String, String> producer = null;
            while (running.get()) {
                try {
                    if (producer == null) {
                        producer = producer();
                        producer.initTransactions();
                        resumeFromCommitted(consumer);
                    }
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        copy(producer, consumer, records);
                    }
                } catch (KafkaException | IllegalStateException e) {
                    // Whatever the transaction's fate, the next producer's initTransactions settles it.
                    history.add(Type.INFO, PROCESS, -1, -1, -1, "new producer after " + e);
                    if (producer != null) {
                        producer.close(Duration.ZERO);
                        producer = null;
                    }
                }
            }
            if (producer != null) {
                producer.close(Duration.ofSeconds(10));
            }
        }
    }

    /** Seeks every source partition to the offset committed for it (its start when none is). */
    private void resumeFromCommitted(KafkaConsumer<String, String> consumer) {
        Map<TopicPartition, OffsetAndMetadata> offsets = consumer.committed(new java.util.HashSet<>(sourcePartitions()));
        for (TopicPartition tp : sourcePartitions()) {
            OffsetAndMetadata offset = offsets.get(tp);
            if (offset == null) {
                consumer.seekToBeginning(List.of(tp));
            } else {
                consumer.seek(tp, offset.offset());
                committed.put(tp.partition(), offset.offset());
            }
        }
    }

    private void copy(KafkaProducer<String, String> producer, KafkaConsumer<String, String> consumer,
            ConsumerRecords<String, String> records) throws KafkaException {
        long txn = ++transactions;
        producer.beginTransaction();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        List<Copied> copied = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            first.putIfAbsent(tp, record.offset());
            next.put(tp, new OffsetAndMetadata(record.offset() + 1));
            copied.add(new Copied(record.partition(), Long.parseLong(record.value()),
                    producer.send(new ProducerRecord<>(target, record.partition(), record.key(), record.value()))));
        }
        producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
        producer.flush();
        for (Copied c : copied) {
            history.add(Type.COPY, PROCESS, c.partition(), c.value(), offsetOf(c.sent()), Long.toString(txn));
        }
        if (random.nextInt(8) == 0) {
            producer.abortTransaction();
            history.add(Type.TXN_ABORT, PROCESS, -1, txn, -1, null);
            first.forEach(consumer::seek); // copied again in the next transaction
            return;
        }
        history.add(Type.TXN_COMMIT_INVOKE, PROCESS, -1, txn, -1, null);
        producer.commitTransaction();
        history.add(Type.TXN_COMMIT_OK, PROCESS, -1, txn, -1, null);
        next.forEach((tp, offset) -> committed.put(tp.partition(), offset.offset()));
    }

    private record Copied(int partition, long value, Future<RecordMetadata> sent) {
    }

    /** The target offset of a copied record, or -1 when its write failed (the transaction cannot commit then). */
    private static long offsetOf(Future<RecordMetadata> sent) {
        try {
            return sent.isDone() ? sent.get().offset() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Waits until the copier committed every source partition up to {@code sourceEnds} (bounded), then stops it.
     *
     * @return whether it caught up
     */
    boolean drain(Map<Integer, Long> sourceEnds, Duration timeout) throws InterruptedException {
        boolean caughtUp;
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> sourceEnds.entrySet().stream()
                    .allMatch(e -> committed.getOrDefault(e.getKey(), 0L) >= e.getValue()));
            caughtUp = true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            history.add(Type.INFO, PROCESS, -1, -1, -1, "did not catch up within " + timeout + ": committed " + committed
                    + ", source ends " + sourceEnds);
            caughtUp = false;
        }
        close();
        return caughtUp;
    }

    /** Reads the target from its start with read_committed, up to its last stable offset, as COPY_READ events. */
    void readCommitted() {
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            for (int p = 0; p < partitions; p++) {
                TopicPartition tp = new TopicPartition(target, p);
                long end = consumer.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        if (record.offset() < end) {
                            history.add(Type.COPY_READ, "reader", record.partition(), Long.parseLong(record.value()),
                                    record.offset(), null);
                        }
                    }
                    return consumer.position(tp) >= end;
                });
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(60_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("The copier did not stop");
        }
    }
}
