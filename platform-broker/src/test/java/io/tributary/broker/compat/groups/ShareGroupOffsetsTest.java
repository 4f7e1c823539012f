package io.tributary.broker.compat.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import io.tributary.broker.compat.KafkaTools;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The admin side of share groups as kafka-clients 4.1's {@code Admin} and Kafka's {@code kafka-share-groups} tool
 * see it: a share group's start offsets are listed, moved back (the records are delivered again), deleted (the
 * group starts again where {@code share.auto.offset.reset} says), and a deleted share group leaves no state behind.
 */
@Timeout(90)
class ShareGroupOffsetsTest extends BrokerPerClass {

    @Override
    protected List<String> brokerArgs() {
        return List.of("--tributary.broker.share.state-topic-partitions=3",
                "--tributary.broker.group.share-heartbeat-interval=500ms");
    }

    @Test
    void startOffsetsAreListedAlteredBackAndTheRecordsComeAgain() throws Exception {
        String topic = "offsets-alter";
        String group = "offsets-alterers";
        TopicPartition partition = new TopicPartition(topic, 0);
        prepare(topic, group, 10);
        try (KafkaShareConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            assertThat(consumeOffsets(consumer, 10)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
            consumer.commitSync();
            assertThatThrownBy(() -> admin.alterShareGroupOffsets(group, Map.of(partition, 0L)).all().get())
                    .hasCauseInstanceOf(GroupNotEmptyException.class);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> startOffsets(group, partition).get(partition),
                offset -> offset != null && offset.offset() == 10);
        awaitEmpty(group);

        admin.alterShareGroupOffsets(group, Map.of(partition, 3L)).all().get();
        assertThat(startOffsets(group, partition).get(partition).offset()).isEqualTo(3);

        try (KafkaShareConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            assertThat(consumeOffsets(consumer, 7)).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
            consumer.commitSync();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> startOffsets(group, partition).get(partition),
                offset -> offset != null && offset.offset() == 10);
    }

    @Test
    void deletedOffsetsStartAgainAsTheGroupConfigSaysAndADeletedGroupLeavesNoState() throws Exception {
        String topic = "offsets-delete";
        String group = "offsets-deleters";
        TopicPartition partition = new TopicPartition(topic, 0);
        prepare(topic, group, 5);
        try (KafkaShareConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            assertThat(consumeOffsets(consumer, 5)).hasSize(5);
            consumer.commitSync();
        }
        awaitEmpty(group);
        await().atMost(Duration.ofSeconds(20)).until(() -> startOffsets(group, partition).get(partition),
                offset -> offset != null && offset.offset() == 5);

        admin.deleteShareGroupOffsets(group, Set.of(topic)).all().get();
        assertThat(startOffsets(group, partition)).containsEntry(partition, null); // no state: -1 on the wire

        try (KafkaShareConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            assertThat(consumeOffsets(consumer, 5)).containsExactly(0L, 1L, 2L, 3L, 4L);
            consumer.commitSync();
        }
        awaitEmpty(group);
        await().atMost(Duration.ofSeconds(20)).until(() -> startOffsets(group, partition).get(partition),
                offset -> offset != null && offset.offset() == 5);

        admin.deleteShareGroups(List.of(group)).all().get();
        assertThatThrownBy(() -> admin.describeShareGroups(List.of(group)).all().get())
                .hasCauseInstanceOf(GroupIdNotFoundException.class);
        assertThat(startOffsets(group, partition)).containsEntry(partition, null);
    }

    @Test
    void kafkaShareGroupsDescribesAndDeletesOffsets() throws Exception {
        String topic = "offsets-tool";
        String group = "offsets-tool-users";
        TopicPartition partition = new TopicPartition(topic, 0);
        prepare(topic, group, 4);
        try (KafkaShareConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            assertThat(consumeOffsets(consumer, 4)).hasSize(4);
            consumer.commitSync();
        }
        awaitEmpty(group);
        await().atMost(Duration.ofSeconds(20)).until(() -> startOffsets(group, partition).get(partition),
                offset -> offset != null && offset.offset() == 4);

        KafkaTools.Run described = KafkaTools.shareGroups("--bootstrap-server", bootstrap(), "--describe", "--group", group,
                "--offsets");
        assertThat(described.exitCode()).as(described.output()).isZero();
        assertThat(described.out()).contains("START-OFFSET")
                .containsPattern("(?m)^" + group + "\\s+" + topic + "\\s+0\\s+4\\s*$");

        // kafka-tools 4.1.2's share-group tool refuses --reset-offsets: it is driven with --delete-offsets.
        KafkaTools.Run deleted = KafkaTools.shareGroups("--bootstrap-server", bootstrap(), "--delete-offsets", "--group", group,
                "--topic", topic);
        assertThat(deleted.exitCode()).as(deleted.output()).isZero();
        assertThat(deleted.out()).doesNotContain("Error");
        assertThat(startOffsets(group, partition)).containsEntry(partition, null);
    }

    // ----------------------------------------------------------------

    private void prepare(String topic, String group, int records) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET)))).all().get();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap()),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)).get();
            }
        }
    }

    /** Polls until {@code count} records came; their offsets in the order delivered (acknowledged on the next poll). */
    private static List<Long> consumeOffsets(KafkaShareConsumer<String, String> consumer, int count) {
        List<Long> offsets = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                offsets.add(record.offset());
            }
            return offsets.size() >= count;
        });
        return offsets;
    }

    private Map<TopicPartition, OffsetAndMetadata> startOffsets(String group, TopicPartition partition)
            throws ExecutionException, InterruptedException {
        return admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec().topicPartitions(List.of(partition))))
                .partitionsToOffsetAndMetadata(group).get();
    }

    private void awaitEmpty(String group) {
        await().atMost(Duration.ofSeconds(20)).until(() ->
                admin.describeShareGroups(List.of(group)).all().get().get(group).groupState() == GroupState.EMPTY);
    }

    private KafkaShareConsumer<String, String> consumer(String group) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap());
        config.put("group.id", group);
        return new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }
}
