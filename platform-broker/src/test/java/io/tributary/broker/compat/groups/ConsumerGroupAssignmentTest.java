package io.tributary.broker.compat.groups;

import static io.tributary.broker.compat.groups.GroupClients.assertNoGaps;
import static io.tributary.broker.compat.groups.GroupClients.assertValuesMatchOffsets;
import static io.tributary.broker.compat.groups.GroupClients.committed;
import static io.tributary.broker.compat.groups.GroupClients.createTopic;
import static io.tributary.broker.compat.groups.GroupClients.endOffsets;
import static io.tributary.broker.compat.groups.GroupClients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a group shares a topic's partitions, and how groups are independent of each other. */
@Timeout(60)
class ConsumerGroupAssignmentTest extends BrokerPerClass {

    @Test
    void threeConsumersOfOneGroupGetTwoOfSixPartitionsEachAndReadOnlyThose() {
        createTopic(admin, "six", 6);
        List<BackgroundConsumer> consumers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                consumers.add(new BackgroundConsumer("three-" + i, bootstrap(), "three", Map.of(), List.of("six")));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (BackgroundConsumer consumer : consumers) {
                    assertThat(consumer.assignment()).as(consumer.name()).hasSize(2);
                }
            });
            Set<TopicPartition> all = new HashSet<>();
            consumers.forEach(c -> all.addAll(c.assignment()));
            assertThat(all).hasSize(6);

            try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
                produce(producer, "six", 6, 0, 10);
            }

            await().atMost(Duration.ofSeconds(20))
                    .until(() -> consumers.stream().mapToInt(BackgroundConsumer::recordCount).sum() >= 60);
            List<ConsumerRecord<String, String>> everything = new ArrayList<>();
            for (BackgroundConsumer consumer : consumers) {
                assertThat(consumer.records()).as(consumer.name()).hasSize(20).allSatisfy(record ->
                        assertThat(consumer.assignment()).contains(new TopicPartition(record.topic(), record.partition())));
                everything.addAll(consumer.records());
            }
            assertNoGaps(everything, endOffsets(admin, "six", 6));
            assertValuesMatchOffsets(everything);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(committed(admin, "three")).isEqualTo(endOffsets(admin, "six", 6)));
        } finally {
            consumers.forEach(BackgroundConsumer::close);
        }
    }

    @Test
    void tenConsumersStartingTogetherSettleOnOnePartitionEach() {
        createTopic(admin, "ten", 10);
        List<BackgroundConsumer> consumers = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                consumers.add(new BackgroundConsumer("ten-" + i, bootstrap(), "ten", Map.of(), List.of("ten")));
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Set<TopicPartition> all = new HashSet<>();
                for (BackgroundConsumer consumer : consumers) {
                    assertThat(consumer.assignment()).as(consumer.name()).hasSize(1);
                    all.addAll(consumer.assignment());
                }
                assertThat(all).hasSize(10);
                assertThat(GroupClients.describe(admin, "ten").groupState()).isEqualTo(org.apache.kafka.common.GroupState.STABLE);
            });
            try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
                produce(producer, "ten", 10, 0, 3);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(committed(admin, "ten")).isEqualTo(endOffsets(admin, "ten", 10)));
            for (BackgroundConsumer consumer : consumers) {
                assertThat(consumer.records()).as(consumer.name()).hasSize(3);
                assertThat(consumer.failure()).isNull();
            }
        } finally {
            consumers.forEach(BackgroundConsumer::close);
        }
    }

    @Test
    void twoGroupsOnTheSameTopicEachReadEveryRecord() {
        createTopic(admin, "shared", 4);
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
            produce(producer, "shared", 4, 0, 25);
        }
        Map<TopicPartition, Long> ends = endOffsets(admin, "shared", 4);

        try (BackgroundConsumer first1 = new BackgroundConsumer("first-1", bootstrap(), "first", Map.of(), List.of("shared"));
                BackgroundConsumer first2 = new BackgroundConsumer("first-2", bootstrap(), "first", Map.of(), List.of("shared"));
                BackgroundConsumer second = new BackgroundConsumer("second", bootstrap(), "second", Map.of(), List.of("shared"))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(committed(admin, "first")).isEqualTo(ends);
                assertThat(committed(admin, "second")).isEqualTo(ends);
            });

            List<ConsumerRecord<String, String>> firstGroup = new ArrayList<>(first1.records());
            firstGroup.addAll(first2.records());
            assertNoGaps(firstGroup, ends);
            assertNoGaps(second.records(), ends);
            assertThat(second.records()).as("the second group alone reads each record once").hasSize(100);
            assertValuesMatchOffsets(firstGroup);
            assertValuesMatchOffsets(second.records());
        }
    }
}
