package io.tributary.broker.compat.groups;

import static io.tributary.broker.compat.groups.GroupClients.committed;
import static io.tributary.broker.compat.groups.GroupClients.createTopic;
import static io.tributary.broker.compat.groups.GroupClients.describe;
import static io.tributary.broker.compat.groups.GroupClients.endOffsets;
import static io.tributary.broker.compat.groups.GroupClients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Static membership (group.instance.id, KIP-345): restarts without rebalances, and fencing of duplicates. */
@Timeout(60)
class StaticMembershipTest extends BrokerPerClass {

    private static Map<String, Object> staticMember(String instanceId) {
        // A session long enough that a restart is quick next to it.
        return Map.of("group.instance.id", instanceId, "session.timeout.ms", 30_000);
    }

    @Test
    void aStaticMemberThatRestartsQuicklyGetsItsPartitionsBackWithoutARebalance() {
        createTopic(admin, "static", 4);
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
            produce(producer, "static", 4, 0, 10);
        }
        BackgroundConsumer first = new BackgroundConsumer("static-1", bootstrap(), "statics", staticMember("static-1"),
                List.of("static"));
        try (BackgroundConsumer second = new BackgroundConsumer("static-2", bootstrap(), "statics",
                staticMember("static-2"), List.of("static"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(first.assignment()).hasSize(2);
                assertThat(second.assignment()).hasSize(2);
                assertThat(committed(admin, "statics")).isEqualTo(endOffsets(admin, "static", 4));
            });
            Set<TopicPartition> firstPartitions = first.assignment();
            String firstMemberId = member(describe(admin, "statics"), "static-1").orElseThrow().consumerId();
            int secondEvents = second.events().size();

            // close() of a static member sends no LeaveGroup: the group keeps its place.
            first.close();
            ConsumerGroupDescription whileAway = describe(admin, "statics");
            assertThat(whileAway.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(whileAway.members()).hasSize(2);
            try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
                produce(producer, "static", 4, 10, 10);
            }

            try (BackgroundConsumer restarted = new BackgroundConsumer("static-1-restarted", bootstrap(), "statics",
                    staticMember("static-1"), List.of("static"))) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(restarted.assignment()).isEqualTo(firstPartitions);
                    assertThat(committed(admin, "statics")).isEqualTo(endOffsets(admin, "static", 4));
                });
                // It resumed at the committed offsets of its partitions: only the new records.
                assertThat(GroupClients.offsetsByPartition(restarted.records())).allSatisfy((tp, offsets) -> {
                    assertThat(firstPartitions).contains(tp);
                    assertThat(offsets).hasSize(10).allSatisfy(offset -> assertThat(offset).isBetween(10L, 19L));
                });
                assertThat(second.events()).as("the other member saw no rebalance").hasSize(secondEvents);
                assertThat(second.assignment()).hasSize(2).doesNotContainAnyElementsOf(firstPartitions);
                MemberDescription member = member(describe(admin, "statics"), "static-1").orElseThrow();
                assertThat(member.consumerId()).isNotEqualTo(firstMemberId);
                assertThat(member.assignment().topicPartitions()).isEqualTo(firstPartitions);
                assertThat(restarted.failure()).isNull();
            }
        } finally {
            first.close();
        }
    }

    @Test
    void aSecondConsumerWithTheSameInstanceIdFencesTheFirst() {
        createTopic(admin, "fenced", 2);
        try (BackgroundConsumer original = new BackgroundConsumer("original", bootstrap(), "fencing", staticMember("dup"),
                List.of("fenced"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(original.assignment()).hasSize(2));

            try (BackgroundConsumer impostor = new BackgroundConsumer("impostor", bootstrap(), "fencing",
                    staticMember("dup"), List.of("fenced"))) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(original.failure()).isInstanceOf(FencedInstanceIdException.class);
                    assertThat(impostor.assignment()).hasSize(2);
                });
                await().atMost(Duration.ofSeconds(15)).until(() -> !original.isAlive());
                try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
                    produce(producer, "fenced", 2, 0, 5);
                }
                await().atMost(Duration.ofSeconds(20)).until(() -> impostor.recordCount() == 10);
                ConsumerGroupDescription group = describe(admin, "fencing");
                assertThat(group.members()).singleElement().satisfies(m -> {
                    assertThat(m.groupInstanceId()).contains("dup");
                    assertThat(m.clientId()).isEqualTo("impostor");
                });
                assertThat(impostor.failure()).isNull();
            }
        }
    }

    private static Optional<MemberDescription> member(ConsumerGroupDescription group, String instanceId) {
        return group.members().stream().filter(m -> m.groupInstanceId().equals(Optional.of(instanceId))).findFirst();
    }
}
