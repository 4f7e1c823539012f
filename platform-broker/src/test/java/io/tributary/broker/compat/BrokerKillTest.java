package io.tributary.broker.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.BrokerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a broker process under load, with produce requests in flight: after the
 * restart every record the producer saw acknowledged is there exactly once, in order per
 * partition. With the default flush policy the OS still holds what the process wrote, so a process
 * crash loses nothing; the idempotent producer's retries are recognised from the recovered log.
 */
class BrokerKillTest {

    private static final String TOPIC = "orders";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void acknowledgedRecordsSurviveAKillNineOfTheBrokerProcess() throws Exception {
        Path data = dir.resolve("data");
        try (BrokerProcess broker = BrokerProcess.start(data)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            Map<Integer, List<String>> acknowledged = new ConcurrentHashMap<>();
            Properties config = new Properties();
            config.put("bootstrap.servers", broker.bootstrapServers());
            config.put("linger.ms", "2");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 20_000; i++) {
                    String value = "record-" + i;
                    producer.send(new ProducerRecord<>(TOPIC, i % 3, "key-" + i, value), (metadata, error) -> {
                        if (error == null) {
                            acknowledged.computeIfAbsent(metadata.partition(), p -> new ArrayList<>()).add(value);
                        }
                    });
                    if (i == 15_000) {
                        // SIGKILL with batches in flight, then the same binary on the same data: the
                        // idempotent producer retries what it did not see acknowledged.
                        broker.kill();
                        broker.start();
                    }
                }
                producer.flush();
            }
            int acked = acknowledged.values().stream().mapToInt(List::size).sum();
            assertThat(acked).isEqualTo(20_000);

            Map<Integer, List<String>> stored = readAll(broker.bootstrapServers());
            for (int partition = 0; partition < 3; partition++) {
                List<String> inLog = stored.getOrDefault(partition, List.of());
                List<String> acks = acknowledged.getOrDefault(partition, List.of());
                // Nothing acknowledged is lost, nothing is duplicated, and the order is the send order.
                assertThat(inLog).containsExactlyInAnyOrderElementsOf(acks);
                assertThat(inLog).doesNotHaveDuplicates();
                assertThat(inLog).isSortedAccordingTo((a, b) -> Integer.compare(number(a), number(b)));
            }
        }
    }

    private static int number(String value) {
        return Integer.parseInt(value.substring("record-".length()));
    }

    private static Map<Integer, List<String>> readAll(String bootstrap) {
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        Map<Integer, List<String>> values = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1),
                    new TopicPartition(TOPIC, 2));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.computeIfAbsent(record.partition(), p -> new ArrayList<>())
                            .add(new String(record.value().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}
