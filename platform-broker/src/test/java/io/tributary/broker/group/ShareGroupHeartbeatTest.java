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
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.Test;

/**
 * Share groups at the level of one coordinator shard, driven by heartbeats as KafkaShareConsumer sends them:
 * joins with the member's own id, assignments taken at once, partitions shared when members outnumber them,
 * leaves, fencing, sessions, Kafka's errors for bad input and for ids of other group types, deletion, and a load
 * that brings the group back as it was stored.
 */
class ShareGroupHeartbeatTest {

    private static final GroupCoordinatorConfig CONFIG = new GroupCoordinatorConfig(1, 1024 * 1024, 1_000, 600_000, 0,
            3_600_000, 60_000, 64).withShareGroups(new ShareGroupConfig(10_000, 1_000, 4));
    private static final TopicInfo ORDERS = new TopicInfo("orders", Uuid.randomUuid(), 4, Map.of());
    private static final TopicInfo INVOICES = new TopicInfo("invoices", Uuid.randomUuid(), 1, Map.of());

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<TopicInfo> topics = new ArrayList<>(List.of(ORDERS, INVOICES));
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

    private ShareGroupHeartbeatResponseData join(String memberId, String... topicNames) {
        return heartbeat(new ShareGroupHeartbeatRequestData().setGroupId("g").setMemberId(memberId).setMemberEpoch(0)
                .setSubscribedTopicNames(List.of(topicNames)));
    }

    private ShareGroupHeartbeatResponseData heartbeat(String memberId, int epoch) {
        return heartbeat(new ShareGroupHeartbeatRequestData().setGroupId("g").setMemberId(memberId).setMemberEpoch(epoch));
    }

    private ShareGroupHeartbeatResponseData heartbeat(ShareGroupHeartbeatRequestData request) {
        return shard.groups.shares.heartbeat(request, "client", "/127.0.0.1").join();
    }

    private Errors refusal(ShareGroupHeartbeatRequestData request) {
        try {
            ShareGroupManager.validate(request);
            heartbeat(request);
            return Errors.NONE;
        } catch (CoordinatorException e) {
            return e.error();
        }
    }

    private static Set<TopicPartition> assigned(ShareGroupHeartbeatResponseData response) {
        Set<TopicPartition> partitions = new HashSet<>();
        response.assignment().topicPartitions().forEach(tp -> tp.partitions().forEach(p ->
                partitions.add(new TopicPartition(tp.topicId().equals(ORDERS.id()) ? "orders" : "invoices", p))));
        return partitions;
    }

    private static Set<TopicPartition> orders(Integer... partitions) {
        Set<TopicPartition> set = new HashSet<>();
        for (int p : partitions) {
            set.add(new TopicPartition("orders", p));
        }
        return set;
    }

    @Test
    void membersTakeTheirNewAssignmentAtOnceAndPartitionsSpreadEvenly() {
        ShareGroupHeartbeatResponseData a = join("a", "orders");
        assertThat(a.memberId()).isEqualTo("a");
        assertThat(a.memberEpoch()).isEqualTo(1);
        assertThat(a.heartbeatIntervalMs()).isEqualTo(1_000);
        assertThat(assigned(a)).isEqualTo(orders(0, 1, 2, 3));

        ShareGroupHeartbeatResponseData b = join("b", "orders");
        assertThat(b.memberEpoch()).isEqualTo(2);
        Set<TopicPartition> bGot = assigned(b);
        assertThat(bGot).hasSize(2);

        // No revocation phase: a moves to epoch 2 with its new, smaller assignment in the same heartbeat.
        ShareGroupHeartbeatResponseData aAgain = heartbeat("a", 1);
        assertThat(aAgain.memberEpoch()).isEqualTo(2);
        Set<TopicPartition> aGot = assigned(aAgain);
        assertThat(aGot).hasSize(2).doesNotContainAnyElementsOf(bGot);
        // Nothing changed since: no assignment in the answer, as Kafka sends none.
        assertThat(heartbeat("a", 2).assignment()).isNull();
        assertThat(shard.groups.describe("g").orElseThrow().state()).isEqualTo("Stable");
    }

    @Test
    void membersOutnumberingPartitionsShareThem() {
        Map<String, Integer> epochs = new java.util.HashMap<>();
        for (String member : List.of("a", "b", "c")) {
            epochs.put(member, join(member, "invoices").memberEpoch());
        }
        for (String member : List.of("a", "b", "c")) {
            ShareGroupHeartbeatResponseData response = heartbeat(member, epochs.get(member));
            assertThat(response.memberEpoch()).isEqualTo(3);
            assertThat(shard.groups.shares.describe("g").members()).filteredOn(m -> m.memberId().equals(member))
                    .singleElement().satisfies(m -> assertThat(m.assignment().topicPartitions().get(0).partitions()).containsExactly(0));
        }
    }

    @Test
    void aLeavingMemberIsRemovedAndTheOthersGetItsPartitions() {
        join("a", "orders");
        join("b", "orders");
        assertThat(assigned(heartbeat("a", 1))).hasSize(2);
        ShareGroupHeartbeatResponseData left = heartbeat("b", -1);
        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(left.errorCode()).isZero();
        ShareGroupHeartbeatResponseData a = heartbeat("a", 2);
        assertThat(a.memberEpoch()).isEqualTo(3);
        assertThat(assigned(a)).isEqualTo(orders(0, 1, 2, 3));

        heartbeat("a", -1);
        assertThat(shard.groups.describe("g").orElseThrow().state()).isEqualTo("Empty");
        assertThat(refusal(new ShareGroupHeartbeatRequestData().setGroupId("g").setMemberId("a").setMemberEpoch(-1)))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void epochsOtherThanTheMembersOrTheOneBeforeAreFencedAndAFencedMemberMayJoinAgain() {
        join("a", "orders");
        join("b", "orders");
        heartbeat("a", 1); // a moves to 2; 1 is still taken (its answer may have been lost)
        assertThat(heartbeat("a", 1).memberEpoch()).isEqualTo(2);
        join("c", "orders"); // epoch 3
        heartbeat("a", 2); // a moves to 3, previous 2
        ShareGroupHeartbeatRequestData old = new ShareGroupHeartbeatRequestData().setGroupId("g").setMemberId("a").setMemberEpoch(1);
        assertThat(refusal(old)).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(refusal(old.duplicate().setMemberEpoch(9))).isEqualTo(Errors.FENCED_MEMBER_EPOCH);
        assertThat(refusal(old.duplicate().setMemberId("nobody").setMemberEpoch(3))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        // The client abandons its partitions and joins again with epoch 0 and its own id.
        ShareGroupHeartbeatResponseData rejoined = join("a", "orders");
        assertThat(rejoined.memberEpoch()).isEqualTo(3);
        assertThat(rejoined.assignment()).isNotNull();
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemoved() {
        join("a", "orders");
        join("b", "orders");
        scheduler.advance(Duration.ofSeconds(6));
        heartbeat("b", 2);
        scheduler.advance(Duration.ofSeconds(6)); // a's session of 10 s is over, b's is not

        ShareGroupHeartbeatResponseData b = heartbeat("b", 2);
        assertThat(b.memberEpoch()).isEqualTo(3);
        assertThat(assigned(b)).isEqualTo(orders(0, 1, 2, 3));
        assertThat(refusal(new ShareGroupHeartbeatRequestData().setGroupId("g").setMemberId("a").setMemberEpoch(2)))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void badFieldsAreInvalidRequests() {
        ShareGroupHeartbeatRequestData good = new ShareGroupHeartbeatRequestData().setGroupId("g").setMemberId("a")
                .setMemberEpoch(0).setSubscribedTopicNames(List.of("orders"));
        assertThat(refusal(good.duplicate().setMemberId(""))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(refusal(good.duplicate().setGroupId(" "))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(refusal(good.duplicate().setRackId(""))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(refusal(good.duplicate().setSubscribedTopicNames(null))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(refusal(good.duplicate().setSubscribedTopicNames(List.of()))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(refusal(good.duplicate().setMemberEpoch(-2))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(refusal(good.duplicate().setGroupId("none").setMemberEpoch(1))).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void theGroupTakesAtMostItsMaxSize() {
        for (String member : List.of("a", "b", "c", "d")) {
            join(member, "orders");
        }
        assertThat(refusal(new ShareGroupHeartbeatRequestData().setGroupId("g").setMemberId("e").setMemberEpoch(0)
                .setSubscribedTopicNames(List.of("orders")))).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        assertThat(heartbeat("a", 1).errorCode()).as("members already in stay").isZero();
    }

    @Test
    void anIdOfAnotherGroupTypeIsRefusedBothWays() {
        shard.groups.consumers.heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId("consumers").setMemberId("m")
                .setMemberEpoch(0).setRebalanceTimeoutMs(5_000).setSubscribedTopicNames(List.of("orders"))
                .setTopicPartitions(List.of()), "client", "/127.0.0.1", (short) 1).join();
        assertThat(refusal(new ShareGroupHeartbeatRequestData().setGroupId("consumers").setMemberId("s").setMemberEpoch(0)
                .setSubscribedTopicNames(List.of("orders")))).isEqualTo(Errors.GROUP_ID_NOT_FOUND);

        join("a", "orders");
        try {
            shard.groups.consumers.heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("m")
                    .setMemberEpoch(0).setRebalanceTimeoutMs(5_000).setSubscribedTopicNames(List.of("orders"))
                    .setTopicPartitions(List.of()), "client", "/127.0.0.1", (short) 1);
            throw new AssertionError("a consumer joined a share group");
        } catch (CoordinatorException e) {
            assertThat(e.error()).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        }
        var joined = shard.groups.joinGroup(new JoinGroupRequestData().setGroupId("g").setMemberId("").setProtocolType("consumer")
                .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000), "client", "/127.0.0.1", (short) 9).join();
        assertThat(joined.errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code());
        assertThat(shard.groups.heartbeat("g", "a", null, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        var commit = shard.offsets.commitOffsets("g", -1, "", null,
                List.of(new GroupCoordinator.OffsetToCommit(new TopicPartition("orders", 0), 5, -1, "")));
        assertThat(commit.response()).containsValue(Errors.GROUP_ID_NOT_FOUND);
        assertThat(commit.records()).isEmpty();
    }

    @Test
    void describeShowsEpochsSubscriptionsAndAssignmentsAndAnEmptyGroupCanBeDeleted() {
        join("a", "orders", "invoices");
        ShareGroupDescribeResponseData.DescribedGroup described = shard.groups.shares.describe("g");
        assertThat(described.errorCode()).isZero();
        assertThat(described.groupState()).isEqualTo("Stable");
        assertThat(described.groupEpoch()).isEqualTo(1);
        assertThat(described.assignmentEpoch()).isEqualTo(1);
        assertThat(described.assignorName()).isEqualTo("simple");
        var member = described.members().get(0);
        assertThat(member.memberId()).isEqualTo("a");
        assertThat(member.clientId()).isEqualTo("client");
        assertThat(member.subscribedTopicNames()).containsExactly("orders", "invoices");
        assertThat(member.assignment().topicPartitions()).extracting(t -> t.topicName()).containsExactlyInAnyOrder("orders", "invoices");
        assertThat(shard.groups.describe("g").orElseThrow().type()).isEqualTo(GroupType.SHARE);
        assertThat(shard.groups.describe("g").orElseThrow().protocolType()).isEqualTo("share");
        assertThat(shard.groups.shares.describe("none").errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());

        assertThat(shard.deleteGroup("g").join()).isEqualTo(Errors.NON_EMPTY_GROUP);
        heartbeat("a", -1);
        shard.offsets.expireOffsets();
        assertThat(shard.groups.group("g")).as("an empty share group does not expire").isNotNull();
        assertThat(shard.deleteGroup("g").join()).isEqualTo(Errors.NONE);
        assertThat(shard.groups.group("g")).isNull();
    }

    @Test
    void aLoadBringsTheGroupBackAndMoreTopicPartitionsMoveTheEpoch() {
        join("a", "orders");
        join("b", "orders");
        Set<TopicPartition> aGot = assigned(heartbeat("a", 1));

        GroupCoordinatorShard loaded = new GroupCoordinatorShard(CONFIG, scheduler, clock, writes, () -> topics);
        for (int i = 0; i < writes.records.size(); i++) {
            SimpleRecord record = writes.records.get(i);
            loaded.replay(record.key().duplicate(), record.value() == null ? null : record.value().duplicate(), i);
        }
        loaded.onLoaded();
        shard = loaded;
        writes.shard = loaded;

        ShareGroupDescribeResponseData.DescribedGroup described = loaded.groups.shares.describe("g");
        assertThat(described.groupEpoch()).isEqualTo(2);
        assertThat(described.members()).extracting(ShareGroupDescribeResponseData.Member::memberId).containsExactly("a", "b");
        ShareGroupHeartbeatResponseData a = heartbeat("a", 2);
        assertThat(a.memberEpoch()).isEqualTo(2);
        assertThat(a.assignment()).as("unchanged by the load").isNull();
        ShareGroup group = (ShareGroup) loaded.groups.group("g");
        assertThat(group.members.get("a").assigned.get(ORDERS.id())).hasSize(2);
        assertThat(aGot).hasSize(2);

        // Partitions added to a subscribed topic move the group to a new epoch at the next heartbeat.
        topics.set(0, new TopicInfo("orders", ORDERS.id(), 6, Map.of()));
        ShareGroupHeartbeatResponseData grown = heartbeat("a", 2);
        assertThat(grown.memberEpoch()).isEqualTo(3);
        assertThat(assigned(grown)).hasSize(3);
        assertThat(ShareGroupManager.subscribedPartitions(group)).hasSize(6);

        // The members' sessions start again on the new coordinator.
        scheduler.advance(Duration.ofSeconds(11));
        assertThat(loaded.groups.shares.describe("g").groupState()).isEqualTo("Empty");
    }
}
