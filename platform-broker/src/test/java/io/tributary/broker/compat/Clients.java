package io.tributary.broker.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The official Kafka clients, set up the way a user of a broker without consumer groups sets them
 * up: producers with kafka-clients' defaults, consumers with {@code assign()}, no {@code group.id}
 * and no auto-commit. Everything here is bounded in time.
 */
final class Clients {

    /** How long a read of a partition up to its end may take. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private Clients() {
    }

    /** A producer with kafka-clients' defaults (idempotence on, acks=all) plus {@code overrides}. */
    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.putAll(overrides);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return producer(bootstrapServers, Map.of());
    }

    /** A consumer for {@code assign()}: no group, no offset commits. */
    static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        return consumer(bootstrapServers, Map.of());
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("enable.auto.commit", false);
        config.putAll(overrides);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of("bootstrap.servers", bootstrapServers, "default.api.timeout.ms", 20_000,
                "request.timeout.ms", 10_000));
    }

    static void createTopic(Admin admin, String name, int partitions, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
    }

    static List<TopicPartition> partitions(String topic, int count) {
        return IntStream.range(0, count).mapToObj(i -> new TopicPartition(topic, i)).toList();
    }

    /** Reads {@code partitions} from their beginning to their current end with a new consumer. */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, Collection<TopicPartition> partitions) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrapServers)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            return readToEnd(consumer);
        }
    }

    /**
     * Polls the consumer's assignment until its position reaches each partition's end offset as it
     * is now: every record in the log once, and nothing read twice goes unnoticed.
     */
    static List<ConsumerRecord<byte[], byte[]>> readToEnd(KafkaConsumer<byte[], byte[]> consumer) {
        Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), READ_TIMEOUT);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (!reached(consumer, ends)) {
            assertThat(System.nanoTime()).as("read up to the end offsets %s within %s; got %d records", ends,
                    READ_TIMEOUT, records.size()).isLessThan(deadline);
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), READ_TIMEOUT) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    static String hex(byte[] bytes) {
        return bytes == null ? "null" : HexFormat.of().formatHex(bytes);
    }

    static List<String> headerList(Headers headers) {
        List<String> list = new ArrayList<>();
        for (Header header : headers) {
            list.add(header.key() + "=" + hex(header.value()));
        }
        return list;
    }

    /** A record as sent or as read, in a form AssertJ compares and prints well: bytes as hex. */
    record Rec(int partition, long offset, long timestamp, TimestampType timestampType, String key, String value,
            List<String> headers) {

        static Rec sent(ProducerRecord<byte[], byte[]> record, RecordMetadata metadata) {
            return new Rec(metadata.partition(), metadata.offset(), record.timestamp(), TimestampType.CREATE_TIME,
                    hex(record.key()), hex(record.value()), headerList(record.headers()));
        }

        static Rec read(ConsumerRecord<byte[], byte[]> record) {
            return new Rec(record.partition(), record.offset(), record.timestamp(), record.timestampType(),
                    hex(record.key()), hex(record.value()), headerList(record.headers()));
        }
    }
}
