package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.ManualClock;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorWriter;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * The consumer protocol at the level of one coordinator shard, driven by heartbeats as kafka-clients
 * sends them: epochs, revocation before reassignment, sessions, revocation deadlines, Kafka's errors
 * for bad input, and a load that brings the group back as it was stored.
 */
class ConsumerGroupHeartbeatTest {

    private static final GroupCoordinatorConfig CONFIG = new GroupCoordinatorConfig(1, 1024 * 1024, 1_000, 600_000, 0,
            3_600_000, 60_000, 64).withConsumerGroups(new ConsumerGroupConfig(10_000, 1_000, List.of("uniform", "range")));
    private static final TopicInfo ORDERS = new TopicInfo("orders", Uuid.randomUuid(), 4, Map.of());

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<TopicInfo> topics = new ArrayList<>(List.of(ORDERS));
    private final Writes writes = new Writes();
    private GroupCoordinatorShard shard = new GroupCoordinatorShard(CONFIG, scheduler, clock, writes, () -> topics);

    /** Every write held at once, as on a single node; the records are kept for a later load. */
    private static final class Writes implements CoordinatorWriter {
        final List<SimpleRecord> records = new ArrayList<>();
        GroupCoordinatorShard shard;

        @Override
        public <T> CompletableFuture<T> write(CoordinatorResult<T> result) {
            long base = records.size();
            records.addAll(result.records());
            if (result.replayRecords()) {
                for (int i = 0; i < result.records().size(); i++) {
                    SimpleRecord record = result.records().get(i);
                    shard.replay(record.key().duplicate(), record.value() == null ? null : record.value().duplicate(), base + i);
                }
            }
            return CompletableFuture.completedFuture(result.response());
        }
    }

    {
        writes.shard = shard;
    }

    private ConsumerGroupHeartbeatResponseData join(String memberId, String instanceId) {
        return heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId(memberId).setMemberEpoch(0)
                .setInstanceId(instanceId).setRebalanceTimeoutMs(5_000).setSubscribedTopicNames(List.of("orders"))
                .setTopicPartitions(List.of()));
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(String memberId, int epoch, Set<Integer> owned) {
        ConsumerGroupHeartbeatRequestData request = new ConsumerGroupHeartbeatRequestData().setGroupId("g")
                .setMemberId(memberId).setMemberEpoch(epoch);
        if (owned != null) {
            request.setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                    .setTopicId(ORDERS.id()).setPartitions(new ArrayList<>(owned))));
        }
        return heartbeat(request);
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request) {
        return shard.groups.consumers.heartbeat(request, "client", "/127.0.0.1", (short) 1).join();
    }

    private static Set<Integer> assigned(ConsumerGroupHeartbeatResponseData response) {
        Set<Integer> partitions = new HashSet<>();
        response.assignment().topicPartitions().forEach(tp -> partitions.addAll(tp.partitions()));
        return partitions;
    }

    private Errors refusal(ConsumerGroupHeartbeatRequestData request) {
        try {
            heartbeat(request);
            return Errors.NONE;
        } catch (CoordinatorException e) {
            return e.error();
        }
    }

    @Test
    void aPartitionMovesToANewMemberOnlyAfterItsOwnerRevokedIt() {
        ConsumerGroupHeartbeatResponseData first = join("a", null);
        assertThat(first.memberEpoch()).isEqualTo(1);
        assertThat(assigned(first)).containsExactlyInAnyOrder(0, 1, 2, 3);

        ConsumerGroupHeartbeatResponseData second = join("b", null);
        // Epoch 2 is the target; b gets nothing a still owns.
        assertThat(second.memberEpoch()).isEqualTo(2);
        assertThat(assigned(second)).isEmpty();
        assertThat(first.heartbeatIntervalMs()).as("at its target").isEqualTo(1_000);
        assertThat(second.heartbeatIntervalMs()).as("waiting for partitions: sooner").isEqualTo(500);

        ConsumerGroupHeartbeatResponseData revoking = heartbeat("a", 1, Set.of(0, 1, 2, 3));
        assertThat(revoking.memberEpoch()).as("a keeps its epoch until it revoked").isEqualTo(1);
        Set<Integer> kept = assigned(revoking);
        assertThat(kept).hasSize(2);
        assertThat(assigned(heartbeat("b", 2, Set.of()))).as("still held by a").isEmpty();

        ConsumerGroupHeartbeatResponseData revoked = heartbeat("a", 1, kept);
        assertThat(revoked.memberEpoch()).isEqualTo(2);
        assertThat(assigned(revoked)).isEqualTo(kept);
        Set<Integer> rest = new HashSet<>(Set.of(0, 1, 2, 3));
        rest.removeAll(kept);
        assertThat(assigned(heartbeat("b", 2, Set.of()))).isEqualTo(rest);
        assertThat(shard.groups.describe("g").orElseThrow().state()).isEqualTo("Stable");
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAndItsPartitionsGoToTheOthers() {
        join("a", null);
        join("b", null);
        heartbeat("a", 1, Set.of(0, 1, 2, 3));
        Set<Integer> aKept = assigned(heartbeat("a", 1, Set.of(0, 1)));
        heartbeat("b", 2, Set.of());

        scheduler.advance(Duration.ofSeconds(6));
        heartbeat("b", 2, null);
        scheduler.advance(Duration.ofSeconds(6)); // a's session of 10 s is over, b's is not

        ConsumerGroupHeartbeatResponseData alone = heartbeat("b", 2, null);
        assertThat(alone.memberEpoch()).isEqualTo(3);
        assertThat(assigned(alone)).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(aKept).isNotEmpty();
        assertThat(refusal(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("a").setMemberEpoch(2)))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsFenced() {
        join("a", null);
        join("b", null);
        heartbeat("a", 1, Set.of(0, 1, 2, 3)); // told to revoke two partitions, which it never does
        for (int i = 0; i < 6; i++) {
            scheduler.advance(Duration.ofSeconds(1));
            heartbeat("b", 2, Set.of());
            if (i < 4) {
                heartbeat("a", 1, Set.of(0, 1, 2, 3));
            }
        }

        assertThat(refusal(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("a").setMemberEpoch(1)))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(assigned(heartbeat("b", 3, Set.of()))).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void badHeartbeatsGetKafkasErrors() {
        join("a", null);
        ConsumerGroupHeartbeatRequestData base = new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("a");

        assertThat(refusal(base.duplicate().setMemberEpoch(7))).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(refusal(base.duplicate().setMemberId("nobody").setMemberEpoch(1))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(refusal(base.duplicate().setMemberEpoch(1).setServerAssignor("sticky-ish")))
                .isEqualTo(Errors.UNSUPPORTED_ASSIGNOR);
        assertThat(refusal(base.duplicate().setMemberEpoch(1).setSubscribedTopicRegex("orders[")))
                .isEqualTo(Errors.INVALID_REGULAR_EXPRESSION);
        assertThat(refusal(base.duplicate().setMemberId("c").setMemberEpoch(0).setSubscribedTopicNames(List.of("orders"))
                .setTopicPartitions(List.of()))).as("no rebalance timeout on joining").isEqualTo(Errors.INVALID_REQUEST);
        assertThat(refusal(base.duplicate().setMemberId("").setMemberEpoch(1))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(refusal(base.duplicate().setGroupId("").setMemberEpoch(1))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(refusal(base.duplicate().setGroupId("unknown").setMemberEpoch(3))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(refusal(base.duplicate().setMemberEpoch(-2))).as("only static members leave with -2")
                .isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void aStaticInstanceIdInUseIsRefusedAndOneThatLeftForAMomentComesBackWithItsPartitions() {
        join("a", "instance-a");
        assertThat(refusal(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("a2").setMemberEpoch(0)
                .setInstanceId("instance-a").setRebalanceTimeoutMs(5_000).setSubscribedTopicNames(List.of("orders"))
                .setTopicPartitions(List.of()))).isEqualTo(Errors.UNRELEASED_INSTANCE_ID);

        heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("a").setInstanceId("instance-a")
                .setMemberEpoch(-2));
        ConsumerGroupHeartbeatResponseData back = join("a2", "instance-a");

        assertThat(back.memberEpoch()).isEqualTo(1);
        assertThat(assigned(back)).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void anOffsetCommitNeedsTheMembersCurrentEpoch() {
        join("a", null);
        TopicPartition p0 = new TopicPartition("orders", 0);
        var commit = List.of(new GroupCoordinator.OffsetToCommit(p0, 5, -1, ""));

        assertThat(shard.offsets.commitOffsets("g", 0, "a", null, commit).response()).containsEntry(p0, Errors.STALE_MEMBER_EPOCH);
        assertThat(shard.offsets.commitOffsets("g", 1, "x", null, commit).response()).containsEntry(p0, Errors.UNKNOWN_MEMBER_ID);
        assertThat(shard.offsets.commitOffsets("g", -1, "", null, commit).response()).containsEntry(p0, Errors.UNKNOWN_MEMBER_ID);
        assertThat(shard.offsets.commitOffsets("g", 1, "a", null, commit).response()).containsEntry(p0, Errors.NONE);

        assertThat(shard.groups.consumers.validateOffsetFetch("g", "a", 1)).isEqualTo(Errors.NONE);
        assertThat(shard.groups.consumers.validateOffsetFetch("g", "a", 0)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(shard.groups.consumers.validateOffsetFetch("g", "x", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aLoadBringsTheGroupBackWithItsEpochsAndAssignmentsAndNewTopicsMoveTheEpoch() {
        join("a", null);
        join("b", null);
        heartbeat("a", 1, Set.of(0, 1, 2, 3));
        Set<Integer> aKept = assigned(heartbeat("a", 1, Set.of(0, 1)));
        heartbeat("b", 2, Set.of());

        GroupCoordinatorShard loaded = new GroupCoordinatorShard(CONFIG, scheduler, clock, writes, () -> topics);
        for (int i = 0; i < writes.records.size(); i++) {
            SimpleRecord record = writes.records.get(i);
            loaded.replay(record.key().duplicate(), record.value() == null ? null : record.value().duplicate(), i);
        }
        loaded.onLoaded();
        shard = loaded;
        writes.shard = loaded;

        ConsumerGroupHeartbeatResponseData a = heartbeat("a", 2, null);
        assertThat(a.memberEpoch()).isEqualTo(2);
        assertThat(assigned(a)).isEqualTo(aKept);
        assertThat(loaded.groups.describe("g").orElseThrow().members()).hasSize(2);

        // A topic whose partitions grow moves the group to a new epoch at the next heartbeat.
        topics.set(0, new TopicInfo("orders", ORDERS.id(), 6, Map.of()));
        assertThat(heartbeat("a", 2, null).memberEpoch()).isEqualTo(3);
    }

    @Test
    void aRegexSubscriptionIsResolvedAgainstTheTopicsThatExist() {
        heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("a").setMemberEpoch(0)
                .setRebalanceTimeoutMs(5_000).setSubscribedTopicRegex("ord.*").setTopicPartitions(List.of()));
        TopicInfo ordersEu = new TopicInfo("orders-eu", Uuid.randomUuid(), 2, Map.of());
        topics.add(ordersEu);
        topics.add(new TopicInfo("__consumer_offsets", Uuid.randomUuid(), 1, Map.of()));

        ConsumerGroupHeartbeatResponseData response = heartbeat("a", 1, Set.of(0, 1, 2, 3));

        assertThat(response.memberEpoch()).isEqualTo(2);
        assertThat(response.assignment().topicPartitions()).extracting(tp -> tp.topicId())
                .containsExactlyInAnyOrder(ORDERS.id(), ordersEu.id());
    }

    @Test
    void anEmptyGroupChangesKindWithItsOffsetsWhileAGroupWithMembersKeepsItsKind() {
        TopicPartition p0 = new TopicPartition("orders", 0);
        writes.write(shard.offsets.commitOffsets("g", -1, "", null, List.of(new GroupCoordinator.OffsetToCommit(p0, 7, -1, ""))));
        assertThat(shard.groups.group("g")).isInstanceOf(ClassicGroup.class);

        join("a", null);
        assertThat(shard.groups.group("g")).isInstanceOf(ConsumerGroup.class);
        assertThat(shard.offsets.committedOffsets("g", List.of(p0)).get(p0).offset()).isEqualTo(7);
        assertThat(Errors.forCode(shard.groups.joinGroup(classicJoin(), "client", "/127.0.0.1", (short) 9).join()
                .errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);

        heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("a").setMemberEpoch(-1));
        assertThat(Errors.forCode(shard.groups.joinGroup(classicJoin(), "client", "/127.0.0.1", (short) 9).join()
                .errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(shard.groups.group("g")).isInstanceOf(ClassicGroup.class);
        assertThat(shard.offsets.committedOffsets("g", List.of(p0)).get(p0).offset()).isEqualTo(7);
    }

    private static org.apache.kafka.common.message.JoinGroupRequestData classicJoin() {
        var protocols = new org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                .setMetadata(new byte[0]));
        return new org.apache.kafka.common.message.JoinGroupRequestData().setGroupId("g").setMemberId("")
                .setProtocolType("consumer").setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setProtocols(protocols);
    }

    @Test
    void aConsumerGroupCannotBeDeletedWhileItHasMembers() {
        join("a", null);
        assertThat(shard.deleteGroup("g").join()).isEqualTo(Errors.NON_EMPTY_GROUP);
        heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("a").setMemberEpoch(-1));
        assertThat(shard.deleteGroup("g").join()).isEqualTo(Errors.NONE);
        assertThat(shard.groups.describe("g")).isEmpty();
    }
}
