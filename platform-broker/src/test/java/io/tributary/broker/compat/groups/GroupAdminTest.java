package io.tributary.broker.compat.groups;

import static io.tributary.broker.compat.groups.GroupClients.committed;
import static io.tributary.broker.compat.groups.GroupClients.createTopic;
import static io.tributary.broker.compat.groups.GroupClients.describe;
import static io.tributary.broker.compat.groups.GroupClients.endOffsets;
import static io.tributary.broker.compat.groups.GroupClients.get;
import static io.tributary.broker.compat.groups.GroupClients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupResult;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Admin client's consumer-group operations against live groups. */
@Timeout(60)
class GroupAdminTest extends BrokerPerClass {

    @Test
    void listAndDescribeShowStatesMembersAssignmentsAndTheCoordinator() {
        createTopic(admin, "admin-describe", 4);
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
            produce(producer, "admin-describe", 4, 0, 5);
        }
        try (BackgroundConsumer dynamic = new BackgroundConsumer("described-dynamic", bootstrap(), "described", Map.of(),
                List.of("admin-describe"));
                BackgroundConsumer fixed = new BackgroundConsumer("described-static", bootstrap(), "described",
                        Map.of("group.instance.id", "described-1"), List.of("admin-describe"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(dynamic.assignment()).hasSize(2);
                assertThat(fixed.assignment()).hasSize(2);
                assertThat(committed(admin, "described")).isEqualTo(endOffsets(admin, "admin-describe", 4));
            });
            // A group that only ever had offsets set by Admin: a "simple" consumer group.
            get(admin.alterConsumerGroupOffsets("described-simple",
                    Map.of(new TopicPartition("admin-describe", 0), new OffsetAndMetadata(2))).all());

            @SuppressWarnings("deprecation")
            Collection<ConsumerGroupListing> listed = get(admin.listConsumerGroups().all());
            Map<String, ConsumerGroupListing> byId = listed.stream().collect(Collectors.toMap(ConsumerGroupListing::groupId, g -> g));
            assertThat(byId.get("described").groupState()).contains(GroupState.STABLE);
            assertThat(byId.get("described").isSimpleConsumerGroup()).isFalse();
            assertThat(byId.get("described-simple").groupState()).contains(GroupState.EMPTY);
            assertThat(byId.get("described-simple").isSimpleConsumerGroup()).isTrue();
            assertThat(groupIds(ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.STABLE))))
                    .contains("described").doesNotContain("described-simple");
            assertThat(groupIds(ListGroupsOptions.forConsumerGroups().inGroupStates(Set.of(GroupState.EMPTY))))
                    .contains("described-simple").doesNotContain("described");

            ConsumerGroupDescription group = describe(admin, "described");
            assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(group.type()).isEqualTo(GroupType.CLASSIC);
            assertThat(group.isSimpleConsumerGroup()).isFalse();
            assertThat(group.partitionAssignor()).isEqualTo("range");
            assertThat(group.coordinator().id()).isZero();
            assertThat(group.coordinator().host()).isEqualTo("127.0.0.1");
            assertThat(group.coordinator().port()).isEqualTo(broker.port());
            assertThat(group.members()).hasSize(2);
            MemberDescription dynamicMember = member(group, "described-dynamic");
            MemberDescription staticMember = member(group, "described-static");
            assertThat(dynamicMember.groupInstanceId()).isEmpty();
            assertThat(staticMember.groupInstanceId()).contains("described-1");
            assertThat(dynamicMember.assignment().topicPartitions()).isEqualTo(dynamic.assignment());
            assertThat(staticMember.assignment().topicPartitions()).isEqualTo(fixed.assignment());
            assertThat(dynamicMember.host()).contains("127.0.0.1");
            assertThat(dynamicMember.consumerId()).startsWith("described-dynamic-");

            ConsumerGroupDescription simple = describe(admin, "described-simple");
            assertThat(simple.groupState()).isEqualTo(GroupState.EMPTY);
            assertThat(simple.members()).isEmpty();
            assertThat(committed(admin, "described-simple")).containsExactly(Map.entry(new TopicPartition("admin-describe", 0), 2L));
        }
        assertThat(describe(admin, "described").groupState()).as("the dynamic member left; the static one stays")
                .isEqualTo(GroupState.PREPARING_REBALANCE);
    }

    @Test
    void offsetsCanBeAlteredOnlyWhileTheGroupIsEmpty() {
        createTopic(admin, "admin-alter", 2);
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
            produce(producer, "admin-alter", 2, 0, 10);
        }
        TopicPartition p0 = new TopicPartition("admin-alter", 0);
        TopicPartition p1 = new TopicPartition("admin-alter", 1);
        try (BackgroundConsumer consumer = new BackgroundConsumer("alter-1", bootstrap(), "altered", Map.of(),
                List.of("admin-alter"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(committed(admin, "altered")).isEqualTo(endOffsets(admin, "admin-alter", 2)));

            assertThatThrownBy(() -> get(admin.alterConsumerGroupOffsets("altered",
                    Map.of(p0, new OffsetAndMetadata(3))).all())).isInstanceOf(UnknownMemberIdException.class);
        }
        assertThat(describe(admin, "altered").groupState()).isEqualTo(GroupState.EMPTY);

        get(admin.alterConsumerGroupOffsets("altered", Map.of(p0, new OffsetAndMetadata(3, "rewound"),
                p1, new OffsetAndMetadata(7))).all());

        Map<TopicPartition, OffsetAndMetadata> offsets = get(admin.listConsumerGroupOffsets("altered").partitionsToOffsetAndMetadata());
        assertThat(offsets.get(p0)).isEqualTo(new OffsetAndMetadata(3, "rewound"));
        assertThat(offsets.get(p1).offset()).isEqualTo(7);
        try (BackgroundConsumer consumer = new BackgroundConsumer("alter-2", bootstrap(), "altered", Map.of(),
                List.of("admin-alter"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(committed(admin, "altered")).isEqualTo(endOffsets(admin, "admin-alter", 2)));
            Map<TopicPartition, Set<Long>> seen = GroupClients.offsetsByPartition(consumer.records());
            assertThat(seen.get(p0)).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(seen.get(p1)).containsExactly(7L, 8L, 9L);
        }
    }

    @Test
    void offsetsOfASubscribedTopicCannotBeDeletedWhileTheGroupConsumesIt() {
        createTopic(admin, "admin-deloff", 2);
        createTopic(admin, "admin-other", 1);
        TopicPartition subscribed = new TopicPartition("admin-deloff", 0);
        TopicPartition other = new TopicPartition("admin-other", 0);
        try (KafkaConsumer<String, String> consumer = GroupClients.consumer(bootstrap(), "deloff", Map.of())) {
            consumer.subscribe(List.of("admin-deloff"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 2;
            });
            consumer.commitSync(Map.of(subscribed, new OffsetAndMetadata(0), new TopicPartition("admin-deloff", 1),
                    new OffsetAndMetadata(0), other, new OffsetAndMetadata(0)));

            assertThatThrownBy(() -> get(admin.deleteConsumerGroupOffsets("deloff", Set.of(subscribed)).partitionResult(subscribed)))
                    .isInstanceOf(GroupSubscribedToTopicException.class);
            // A topic the group does not subscribe to can go at any time.
            get(admin.deleteConsumerGroupOffsets("deloff", Set.of(other)).all());
            assertThat(committed(admin, "deloff")).containsOnlyKeys(subscribed, new TopicPartition("admin-deloff", 1));
        }
        assertThat(describe(admin, "deloff").groupState()).isEqualTo(GroupState.EMPTY);

        get(admin.deleteConsumerGroupOffsets("deloff", Set.of(subscribed)).all());

        assertThat(committed(admin, "deloff")).containsOnlyKeys(new TopicPartition("admin-deloff", 1));
    }

    @Test
    void aGroupWithMembersCannotBeDeletedUntilTheyLeave() {
        createTopic(admin, "admin-delete", 1);
        try (BackgroundConsumer consumer = new BackgroundConsumer("deletable-1", bootstrap(), "deletable", Map.of(),
                List.of("admin-delete"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(consumer.assignment()).hasSize(1));

            assertThatThrownBy(() -> get(admin.deleteConsumerGroups(List.of("deletable")).all()))
                    .isInstanceOf(GroupNotEmptyException.class);
            assertThat(describe(admin, "deletable").groupState()).isEqualTo(GroupState.STABLE);
        }
        get(admin.alterConsumerGroupOffsets("deletable", Map.of(new TopicPartition("admin-delete", 0),
                new OffsetAndMetadata(0))).all());

        get(admin.deleteConsumerGroups(List.of("deletable")).all());

        assertThat(groupIds(ListGroupsOptions.forConsumerGroups())).doesNotContain("deletable");
        assertThat(committed(admin, "deletable")).isEmpty();
        assertThatThrownBy(() -> describe(admin, "deletable")).isInstanceOf(GroupIdNotFoundException.class);
        assertThatThrownBy(() -> get(admin.deleteConsumerGroups(List.of("deletable")).all()))
                .isInstanceOf(GroupIdNotFoundException.class);
    }

    @Test
    void removingAStaticMemberThatIsGoneRebalancesAtOnceInsteadOfAfterItsSession() {
        createTopic(admin, "admin-remove", 4);
        Map<String, Object> longSession = Map.of("session.timeout.ms", 60_000);
        BackgroundConsumer leaving = new BackgroundConsumer("remove-1", bootstrap(), "removal",
                merge(longSession, "group.instance.id", "remove-1"), List.of("admin-remove"));
        try (BackgroundConsumer staying = new BackgroundConsumer("remove-2", bootstrap(), "removal",
                merge(longSession, "group.instance.id", "remove-2"), List.of("admin-remove"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(leaving.assignment()).hasSize(2);
                assertThat(staying.assignment()).hasSize(2);
            });
            leaving.close(); // a static member: no LeaveGroup, it keeps its place for its session
            assertThat(describe(admin, "removal").members()).hasSize(2);

            MemberToRemove gone = new MemberToRemove("remove-1");
            MemberToRemove ghost = new MemberToRemove("never-was");
            RemoveMembersFromConsumerGroupResult result = admin.removeMembersFromConsumerGroup("removal",
                    new RemoveMembersFromConsumerGroupOptions(List.of(gone, ghost)));
            get(result.memberResult(gone));
            assertThatThrownBy(() -> get(result.memberResult(ghost))).isInstanceOf(UnknownMemberIdException.class);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(staying.assignment()).hasSize(4);
                ConsumerGroupDescription group = describe(admin, "removal");
                assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
                assertThat(group.members()).singleElement()
                        .satisfies(m -> assertThat(m.groupInstanceId()).contains("remove-2"));
            });
            assertThat(staying.failure()).isNull();
        } finally {
            leaving.close();
        }
    }

    private Set<String> groupIds(ListGroupsOptions options) {
        return get(admin.listGroups(options).all()).stream().map(GroupListing::groupId).collect(Collectors.toSet());
    }

    private static MemberDescription member(ConsumerGroupDescription group, String clientId) {
        Optional<MemberDescription> found = group.members().stream().filter(m -> m.clientId().equals(clientId)).findFirst();
        assertThat(found).as("member with client id %s in %s", clientId, group).isPresent();
        return found.get();
    }

    private static Map<String, Object> merge(Map<String, Object> base, String key, Object value) {
        Map<String, Object> merged = new TreeMap<>(base);
        merged.put(key, value);
        return merged;
    }
}
