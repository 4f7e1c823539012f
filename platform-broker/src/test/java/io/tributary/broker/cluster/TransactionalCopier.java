package io.tributary.broker.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A consume-transform-produce loop as Kafka's documentation writes one: it reads an input topic
 * read_committed and, for each poll, in one transaction, writes each record to the same partition of
 * an output topic as {@code "partition:value"} and commits the consumed offsets with
 * {@code sendOffsetsToTransaction}. On any failure it aborts (or, if even that fails, starts a new
 * producer under the same transactional id, which fences the old one) and goes back to the committed
 * offsets, so each input record is in the committed output exactly once.
 */
final class TransactionalCopier implements AutoCloseable {

    private final String bootstrapServers;
    private final String input;
    private final String output;
    private final String transactionalId;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    final AtomicInteger committedTransactions = new AtomicInteger();
    private volatile Throwable failure;

    TransactionalCopier(String bootstrapServers, String input, String output, String transactionalId) {
        this.bootstrapServers = bootstrapServers;
        this.input = input;
        this.output = output;
        this.transactionalId = transactionalId;
        this.thread = new Thread(this::run, "copier-" + transactionalId);
    }

    TransactionalCopier start() {
        thread.start();
        return this;
    }

    Throwable failure() {
        return failure;
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 20_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000,
                "metadata.max.age.ms", 1_000),
                new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    private void run() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "copier",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                "metadata.max.age.ms", 1_000), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(input));
            KafkaProducer<String, String> producer = null;
            boolean rewindNeeded = false;
            while (running.get()) {
                try {
                    if (producer == null) {
                        producer = producer();
                    }
                    if (rewindNeeded) {
                        rewind(consumer);
                        rewindNeeded = false;
                    }
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                    if (records.isEmpty()) {
                        continue;
                    }
                    producer.beginTransaction();
                    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                    for (ConsumerRecord<String, String> record : records) {
                        producer.send(new ProducerRecord<>(output, record.partition(), record.key(),
                                record.partition() + ":" + record.value()));
                        offsets.put(new TopicPartition(record.topic(), record.partition()),
                                new OffsetAndMetadata(record.offset() + 1));
                    }
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction();
                    committedTransactions.incrementAndGet();
                } catch (RuntimeException e) {
                    if (!running.get()) {
                        break;
                    }
                    producer = recover(producer);
                    rewindNeeded = true;
                }
            }
            if (producer != null) {
                producer.close(Duration.ofSeconds(5));
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    /** Aborts the transaction; a producer that cannot abort is closed, and the next one fences it. */
    private KafkaProducer<String, String> recover(KafkaProducer<String, String> producer) {
        if (producer == null) {
            return null;
        }
        try {
            producer.abortTransaction();
            return producer;
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            return null;
        }
    }

    /** Back to the committed offsets: what the aborted transaction consumed is read again. */
    private void rewind(KafkaConsumer<String, String> consumer) {
        Set<TopicPartition> assignment = consumer.assignment();
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignment, Duration.ofSeconds(30));
        for (TopicPartition tp : assignment) {
            OffsetAndMetadata offset = committed.get(tp);
            if (offset != null) {
                consumer.seek(tp, offset);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(60_000);
    }
}
