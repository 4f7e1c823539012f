package io.tributary.broker.admin;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A share group that did part of a topic's work, for the tests of the views that show lag: with kafka-clients'
 * {@code KafkaShareConsumer}, explicit acknowledgement, the first records accepted and the others released, so
 * that the share-partition's start offset stops after the accepted ones and the rest is the group's backlog.
 */
public final class ShareGroupWork {

    private ShareGroupWork() {
    }

    /**
     * Produces {@code records} records to partition 0 of {@code topic} (one batch each), then has {@code group},
     * reading from the earliest offset, accept offsets below {@code accepted} and release the others.
     */
    public static void acceptFirst(String bootstrap, String group, String topic, int records, int accepted)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                    new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET)))).all().get();
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)).get();
            }
        }
        Map<String, Object> config = Map.of("bootstrap.servers", bootstrap, "group.id", group,
                "share.acknowledgement.mode", "explicit");
        Set<Long> acceptedOffsets = new HashSet<>();
        try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    boolean accept = record.offset() < accepted;
                    consumer.acknowledge(record, accept ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
                    if (accept) {
                        acceptedOffsets.add(record.offset());
                    }
                }
                consumer.commitSync();
                return acceptedOffsets.size() == accepted;
            });
        }
    }
}
