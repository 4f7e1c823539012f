package io.tributary.broker.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {

    @TempDir
    Path dir;

    @Test
    void produceAndConsume() throws Exception {
        try (RunningBroker broker = RunningBroker.start(dir)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("smoke", 2, (short) 1))).all().get();
                assertThat(admin.listTopics().names().get()).contains("smoke");
            }
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("smoke", "k" + i, "v" + i)).get();
                }
            }
            Properties c = new Properties();
            c.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(List.of(new TopicPartition("smoke", 0), new TopicPartition("smoke", 1)));
                consumer.seekToBeginning(consumer.assignment());
                int count = 0;
                long deadline = System.currentTimeMillis() + 10_000;
                while (count < 10 && System.currentTimeMillis() < deadline) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                    count += records.count();
                }
                assertThat(count).isEqualTo(10);
            }
        }
    }
}
