package io.tributary.broker.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupSmokeTest {

    @TempDir
    Path dir;

    @Test
    void threeConsumersSplitSixPartitions() throws Exception {
        try (RunningBroker broker = RunningBroker.start(dir)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("six", 6, (short) 1))).all().get();
            }
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 60; i++) {
                    producer.send(new ProducerRecord<>("six", i % 6, "k" + i, "v" + i));
                }
            }
            List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Properties c = new Properties();
                c.put("bootstrap.servers", broker.bootstrapServers());
                c.put("group.id", "g1");
                c.put("auto.offset.reset", "earliest");
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer());
                consumer.subscribe(List.of("six"));
                consumers.add(consumer);
            }
            int[] seen = new int[1];
            await().atMost(60, TimeUnit.SECONDS).until(() -> {
                for (KafkaConsumer<String, String> consumer : consumers) {
                    seen[0] += consumer.poll(Duration.ofMillis(100)).count();
                }
                return consumers.stream().allMatch(c -> c.assignment().size() == 2) && seen[0] >= 60;
            });
            for (KafkaConsumer<String, String> consumer : consumers) {
                consumer.commitSync();
                consumer.close();
            }
            assertThat(seen[0]).isEqualTo(60);
        }
    }
}
