package io.tributary.broker.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench-only switch that measures the client-bound ceiling: Kafka's idempotent producer gets every
 * send acknowledged, and nothing reaches the log.
 */
class AcknowledgeWithoutStoringTest {

    @TempDir
    Path dir;

    @Test
    void everySendIsAcknowledgedAndNothingIsStored() throws Exception {
        try (RunningBroker broker = RunningBroker.start(dir, "--tributary.broker.bench-acknowledge-without-storing=true");
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("dropped", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers(), "acks", "all", "linger.ms", "5"), new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < 1_000; i++) {
                    sends.add(producer.send(new ProducerRecord<>("dropped", i % 2, "k" + i, "v" + i)));
                }
            }
            for (Future<RecordMetadata> send : sends) {
                assertThat(send.get(30, TimeUnit.SECONDS).hasOffset()).isFalse();
            }
            Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition("dropped", 0), OffsetSpec.latest(),
                    new TopicPartition("dropped", 1), OffsetSpec.latest());
            assertThat(admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values())
                    .allSatisfy(end -> assertThat(end.offset()).isZero());
        }
    }
}
