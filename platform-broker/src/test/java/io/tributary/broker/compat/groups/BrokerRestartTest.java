package io.tributary.broker.compat.groups;

import static io.tributary.broker.compat.groups.GroupClients.committed;
import static io.tributary.broker.compat.groups.GroupClients.createTopic;
import static io.tributary.broker.compat.groups.GroupClients.endOffsets;
import static io.tributary.broker.compat.groups.GroupClients.get;
import static io.tributary.broker.compat.groups.GroupClients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A broker restart: groups and their committed offsets are read back from {@code __consumer_offsets},
 * a consumer that stays up through the restart carries on without consuming anything twice, and a
 * new consumer of a group resumes at the group's committed offsets.
 */
@Timeout(90)
class BrokerRestartTest extends BrokerPerClass {

    private static final String TOPIC = "restart";

    @Test
    void groupsAndOffsetsSurviveARestartAndConsumersResumeWhereTheyWere() throws Exception {
        createTopic(admin, TOPIC, 3);
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
            produce(producer, TOPIC, 3, 0, 10);
        }
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        TopicPartition p2 = new TopicPartition(TOPIC, 2);

        // While the broker is down a client may "rebootstrap" its metadata, see no partitions for a
        // moment, and rejoin (client behaviour, with Apache Kafka too); without that, what is left
        // to see is whether the broker kept the member: the same member id and generation go on.
        try (BackgroundConsumer running = new BackgroundConsumer("running", bootstrap(), "restart-running",
                Map.of("metadata.recovery.strategy", "none"), List.of(TOPIC))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(committed(admin, "restart-running")).isEqualTo(endOffsets(admin, TOPIC, 3)));
            // A second group commits part of the topic, then its consumer leaves: an empty group with offsets.
            try (KafkaConsumer<String, String> resting = GroupClients.consumer(bootstrap(), "restart-resting", Map.of())) {
                resting.subscribe(List.of(TOPIC));
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    resting.poll(Duration.ofMillis(100));
                    return resting.assignment().size() == 3;
                });
                resting.commitSync(Map.of(p0, new OffsetAndMetadata(4, "four"), p1, new OffsetAndMetadata(5, "five"),
                        p2, new OffsetAndMetadata(6, "six")));
            }
            Map<TopicPartition, OffsetAndMetadata> runningBefore = offsets("restart-running");
            Map<TopicPartition, OffsetAndMetadata> restingBefore = offsets("restart-resting");
            assertThat(restingBefore.get(p1)).isEqualTo(new OffsetAndMetadata(5, "five"));
            Map<String, GroupState> statesBefore = groupStates();
            assertThat(statesBefore).containsEntry("restart-running", GroupState.STABLE)
                    .containsEntry("restart-resting", GroupState.EMPTY);

            broker.stop();
            broker.start();

            assertThat(offsets("restart-running")).isEqualTo(runningBefore);
            assertThat(offsets("restart-resting")).isEqualTo(restingBefore);
            assertThat(groupStates()).containsEntry("restart-running", GroupState.STABLE)
                    .containsEntry("restart-resting", GroupState.EMPTY);

            try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
                produce(producer, TOPIC, 3, 10, 10);
            }
            Map<TopicPartition, Long> ends = endOffsets(admin, TOPIC, 3);
            // The consumer that stayed up reads the new records only, and is still the same member.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(committed(admin, "restart-running")).isEqualTo(ends));
            assertThat(running.records()).hasSize(60);
            assertThat(GroupClients.offsetsByPartition(running.records()).values()).allSatisfy(offsets -> assertThat(offsets).hasSize(20));
            assertThat(running.failure()).isNull();
            assertThat(running.events()).as("no rebalance through the restart")
                    .extracting(BackgroundConsumer.RebalanceEvent::kind).containsExactly("assigned");

            // A new consumer of the empty group starts at its committed offsets.
            try (BackgroundConsumer resumed = new BackgroundConsumer("resumed", bootstrap(), "restart-resting", Map.of(),
                    List.of(TOPIC))) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(committed(admin, "restart-resting")).isEqualTo(ends));
                Map<TopicPartition, Set<Long>> seen = GroupClients.offsetsByPartition(resumed.records());
                assertThat(resumed.records()).hasSize(16 + 15 + 14);
                assertThat(seen.get(p0).iterator().next()).isEqualTo(4);
                assertThat(seen.get(p1).iterator().next()).isEqualTo(5);
                assertThat(seen.get(p2).iterator().next()).isEqualTo(6);
            }
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> offsets(String groupId) {
        return get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
    }

    private Map<String, GroupState> groupStates() {
        Collection<GroupListing> groups = get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all());
        return groups.stream().collect(Collectors.toMap(GroupListing::groupId, g -> g.groupState().orElseThrow()));
    }
}
