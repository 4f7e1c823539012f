package io.tributary.broker.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.RunningBroker;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.log.PartitionLog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A compacted topic seen through the official clients: after the cleaner ran, a consumer reading
 * from the beginning sees exactly the latest value of every live key, at the offset it was written
 * at; keyless records are refused with INVALID_RECORD.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CompactedTopicTest {

    private static final String TOPIC = "customers";

    @TempDir
    Path dir;

    @Test
    void aConsumerReadsTheLatestValueOfEveryLiveKeyAtItsOriginalOffset() throws Exception {
        try (RunningBroker broker = RunningBroker.start(dir, "--tributary.broker.log.cleaner-backoff=100ms")) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1).configs(Map.of(
                        "cleanup.policy", "compact", "segment.bytes", "2048", "min.cleanable.dirty.ratio", "0.01",
                        "delete.retention.ms", "0")))).all().get();
            }
            Map<String, Long> latestOffset = new HashMap<>();
            Map<String, String> latestValue = new HashMap<>();
            Properties config = new Properties();
            config.put("bootstrap.servers", broker.bootstrapServers());
            config.put("linger.ms", "0");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                for (int round = 0; round < 20; round++) {
                    for (int key = 0; key < 10; key++) {
                        String k = "customer-" + key;
                        // Every third key is deleted in the last round: a tombstone.
                        String value = round == 19 && key % 3 == 0 ? null : "v" + round + "-" + k;
                        long offset = producer.send(new ProducerRecord<>(TOPIC, k, value)).get().offset();
                        latestOffset.put(k, offset);
                        latestValue.put(k, value);
                    }
                }
                // Records after them, so that the ones above sit in closed segments the cleaner may rewrite.
                for (int i = 0; i < 30; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, "filler-" + (i % 3), "x".repeat(100))).get();
                }
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, null, "no key")).get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidRecordException.class);
            }

            PartitionLog log = broker.context().getBean(LogManager.class).log(new TopicPartition(TOPIC, 0)).orElseThrow();
            long sizeBefore = log.sizeInBytes();
            await().atMost(60, TimeUnit.SECONDS).until(() -> {
                Map<String, ConsumerRecord<String, String>> seen = readAll(broker.bootstrapServers());
                return seen.keySet().stream().filter(k -> k.startsWith("customer-")).count() == 6
                        && log.sizeInBytes() < sizeBefore;
            });

            Map<String, ConsumerRecord<String, String>> seen = readAll(broker.bootstrapServers());
            for (Map.Entry<String, String> expected : latestValue.entrySet()) {
                if (expected.getValue() == null) {
                    assertThat(seen).doesNotContainKey(expected.getKey());
                } else {
                    ConsumerRecord<String, String> record = seen.get(expected.getKey());
                    assertThat(record.value()).isEqualTo(expected.getValue());
                    assertThat(record.offset()).isEqualTo(latestOffset.get(expected.getKey()));
                }
            }
        }
    }

    /** Every record from the beginning, the last per key, in offset order; tombstones left out. */
    private static Map<String, ConsumerRecord<String, String>> readAll(String bootstrap) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        Map<String, ConsumerRecord<String, String>> latest = new LinkedHashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long previous = -1;
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.offset()).isGreaterThan(previous);
                    previous = record.offset();
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), record);
                    }
                }
            }
        }
        return latest;
    }
}
