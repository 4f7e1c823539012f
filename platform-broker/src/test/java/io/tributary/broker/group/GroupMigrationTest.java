package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
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
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * Kafka's online migration at the level of one coordinator shard, with requests as kafka-clients sends
 * them: a live classic group becomes a consumer group when a consumer-protocol member joins, its classic
 * members go on with JoinGroup, SyncGroup, Heartbeat, OffsetCommit and LeaveGroup inside it, and it
 * becomes a classic group again when the last consumer-protocol member leaves; a load in the middle of
 * either finds the group as it was stored; the migration policy can forbid either way, and so can the
 * groups' most members ({@code group.consumer.max.size}, {@code group.max.size}), which also refuse new members.
 */
class GroupMigrationTest {

    private static final TopicInfo ORDERS = new TopicInfo("orders", Uuid.randomUuid(), 4, Map.of());
    private static final TopicPartition P0 = new TopicPartition("orders", 0);

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<TopicInfo> topics = new ArrayList<>(List.of(ORDERS));
    private final Writes writes = new Writes();
    private GroupCoordinatorConfig config = config(ConsumerGroupMigrationPolicy.BIDIRECTIONAL);
    private GroupCoordinatorShard shard = newShard();

    private static GroupCoordinatorConfig config(ConsumerGroupMigrationPolicy policy) {
        return config(policy, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    private static GroupCoordinatorConfig config(ConsumerGroupMigrationPolicy policy, int consumerMaxSize, int classicMaxSize) {
        return new GroupCoordinatorConfig(1, 1024 * 1024, 1_000, 600_000, 0, 3_600_000, 60_000, 64)
                .withConsumerGroups(new ConsumerGroupConfig(10_000, 1_000, List.of("uniform", "range"), policy, consumerMaxSize))
                .withClassicMaxSize(classicMaxSize);
    }

    private GroupCoordinatorShard newShard() {
        GroupCoordinatorShard created = new GroupCoordinatorShard(config, scheduler, clock, writes, () -> topics);
        writes.shard = created;
        return created;
    }

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

    // ---------------------------------------------------------------- requests as clients send them

    private CompletableFuture<JoinGroupResponseData> classicJoin(String memberId, Set<Integer> owned, short version) {
        return classicJoin(memberId, null, owned, version);
    }

    private CompletableFuture<JoinGroupResponseData> classicJoin(String memberId, String instanceId, Set<Integer> owned,
            short version) {
        List<TopicPartition> ownedPartitions = owned.stream().map(p -> new TopicPartition("orders", p)).toList();
        byte[] subscription = Utils.toArray(ConsumerProtocol.serializeSubscription(
                new ConsumerPartitionAssignor.Subscription(List.of("orders"), null, ownedPartitions)));
        var protocols = new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(subscription));
        return shard.groups.joinGroup(new JoinGroupRequestData().setGroupId("g").setMemberId(memberId)
                .setGroupInstanceId(instanceId).setProtocolType("consumer").setSessionTimeoutMs(6_000).setRebalanceTimeoutMs(20_000)
                .setProtocols(protocols), "client", "/127.0.0.1", version);
    }

    private JoinGroupResponseData classicJoin(String memberId, Set<Integer> owned) {
        return classicJoin(memberId, owned, (short) 9).join();
    }

    private SyncGroupResponseData sync(String memberId, int generation, Map<String, Set<Integer>> assignments) {
        List<SyncGroupRequestData.SyncGroupRequestAssignment> list = new ArrayList<>();
        assignments.forEach((member, partitions) -> list.add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                .setMemberId(member).setAssignment(encode(partitions))));
        return shard.groups.syncGroup(new SyncGroupRequestData().setGroupId("g").setMemberId(memberId)
                .setGenerationId(generation).setProtocolType("consumer").setProtocolName("range").setAssignments(list)).join();
    }

    private static byte[] encode(Set<Integer> partitions) {
        return Utils.toArray(ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(
                partitions.stream().map(p -> new TopicPartition("orders", p)).toList())));
    }

    private static Set<Integer> decode(SyncGroupResponseData response) {
        assertThat(Errors.forCode(response.errorCode())).isEqualTo(Errors.NONE);
        Set<Integer> partitions = new HashSet<>();
        ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(response.assignment())).partitions()
                .forEach(tp -> partitions.add(tp.partition()));
        return partitions;
    }

    private Errors classicHeartbeat(String memberId, int generation) {
        return shard.groups.heartbeat("g", memberId, null, generation);
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(String memberId, int epoch, Set<Integer> owned) {
        ConsumerGroupHeartbeatRequestData request = new ConsumerGroupHeartbeatRequestData().setGroupId("g")
                .setMemberId(memberId).setMemberEpoch(epoch);
        if (epoch == 0) {
            request.setRebalanceTimeoutMs(5_000).setSubscribedTopicNames(List.of("orders"));
        }
        if (epoch == 0) {
            request.setTopicPartitions(List.of());
        } else if (owned != null) {
            request.setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                    .setTopicId(ORDERS.id()).setPartitions(new ArrayList<>(owned))));
        }
        return shard.groups.consumers.heartbeat(request, "client", "/127.0.0.1", (short) 1).join();
    }

    private static Set<Integer> assigned(ConsumerGroupHeartbeatResponseData response) {
        Set<Integer> partitions = new HashSet<>();
        response.assignment().topicPartitions().forEach(tp -> partitions.addAll(tp.partitions()));
        return partitions;
    }

    private Errors commit(String memberId, int generation, long offset) {
        var result = shard.offsets.commitOffsets("g", generation, memberId, null,
                List.of(new GroupCoordinator.OffsetToCommit(P0, offset, -1, "")));
        return writes.write(result).join().get(P0);
    }

    private long committed() {
        return shard.offsets.committedOffsets("g", List.of(P0)).get(P0).offset();
    }

    private void reload() {
        GroupCoordinatorShard loaded = new GroupCoordinatorShard(config, scheduler, clock, writes, () -> topics);
        for (int i = 0; i < writes.records.size(); i++) {
            SimpleRecord record = writes.records.get(i);
            loaded.replay(record.key().duplicate(), record.value() == null ? null : record.value().duplicate(), i);
        }
        loaded.onLoaded();
        shard = loaded;
        writes.shard = loaded;
    }

    /** Members a and b (classic, eager "range") own partitions 0-1 and 2-3 at generation 2; a committed 5 on partition 0. */
    private record Classic(String a, String b, int generation) {
    }

    private Classic stableClassicGroup() {
        String a = classicJoin("", Set.of(), (short) 3).join().memberId();
        CompletableFuture<JoinGroupResponseData> bJoin = classicJoin("", Set.of(), (short) 3);
        JoinGroupResponseData aJoin = classicJoin(a, Set.of());
        String b = bJoin.join().memberId();
        int generation = aJoin.generationId();
        assertThat(aJoin.leader()).isEqualTo(a);
        assertThat(decode(sync(a, generation, Map.of(a, Set.of(0, 1), b, Set.of(2, 3))))).containsExactlyInAnyOrder(0, 1);
        assertThat(decode(sync(b, generation, Map.of()))).containsExactlyInAnyOrder(2, 3);
        assertThat(commit(a, generation, 5)).isEqualTo(Errors.NONE);
        return new Classic(a, b, generation);
    }

    /** A classic member's round as kafka-clients does it on REBALANCE_IN_PROGRESS: eager, it revokes all, rejoins, syncs. */
    private Set<Integer> rejoin(String memberId, int[] generation) {
        JoinGroupResponseData joined = classicJoin(memberId, Set.of());
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.leader()).as("the coordinator assigns: no leader").isNotEqualTo(memberId);
        assertThat(joined.members()).isEmpty();
        generation[0] = joined.generationId();
        return decode(sync(memberId, joined.generationId(), Map.of()));
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aConsumerProtocolMemberJoiningALiveClassicGroupMakesItAConsumerGroupItsClassicMembersStayIn() {
        Classic classic = stableClassicGroup();

        ConsumerGroupHeartbeatResponseData joined = heartbeat("m", 0, Set.of());

        assertThat(shard.groups.group("g")).isInstanceOf(ConsumerGroup.class);
        assertThat(joined.memberEpoch()).isEqualTo(classic.generation() + 1);
        assertThat(assigned(joined)).as("every partition is still owned by a classic member").isEmpty();
        assertThat(committed()).as("offsets come along").isEqualTo(5);
        assertThat(shard.groups.describe("g").orElseThrow().members()).hasSize(3);
        // The classic members still speak their protocol, at the generation they had, and are told to rejoin.
        assertThat(commit(classic.a(), classic.generation(), 6)).isEqualTo(Errors.NONE);
        assertThat(classicHeartbeat(classic.a(), classic.generation())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(classicHeartbeat(classic.b(), classic.generation())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(classicHeartbeat(classic.a(), 99)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(classicHeartbeat("stranger", classic.generation())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        int[] aGeneration = new int[1];
        int[] bGeneration = new int[1];
        Set<Integer> aOwns = rejoin(classic.a(), aGeneration);
        Set<Integer> bOwns = rejoin(classic.b(), bGeneration);
        assertThat(aGeneration[0]).isEqualTo(joined.memberEpoch());
        assertThat(commit(classic.a(), classic.generation(), 7)).as("an old generation").isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commit(classic.a(), aGeneration[0], 7)).isEqualTo(Errors.NONE);
        assertThat(classicHeartbeat(classic.a(), aGeneration[0])).isEqualTo(Errors.NONE);

        Set<Integer> mOwns = assigned(heartbeat("m", joined.memberEpoch(), Set.of()));
        assertThat(mOwns).isNotEmpty();
        Set<Integer> all = new HashSet<>();
        for (Set<Integer> owned : List.of(aOwns, bOwns, mOwns)) {
            for (int partition : owned) {
                assertThat(all.add(partition)).as("partition %d owned twice", partition).isTrue();
            }
        }
        assertThat(all).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(shard.groups.describe("g").orElseThrow().state()).isEqualTo("Stable");
    }

    @Test
    void aClassicMemberMustGiveUpPartitionsBeforeAnotherGetsThemAndIsAnsweredAtOnceWhenItOwnsThemStill() {
        Classic classic = stableClassicGroup();
        int mEpoch = heartbeat("m", 0, Set.of()).memberEpoch();

        // The member that has to give a partition to m (one of them must) rejoins cooperatively, still owning
        // its partitions: it keeps its generation until it gave some up.
        ConsumerGroup group = (ConsumerGroup) shard.groups.group("g");
        boolean aRevokes = !group.targetAssignment.get(classic.a()).containsAll(group.members.get(classic.a()).assigned);
        String revoker = aRevokes ? classic.a() : classic.b();
        Set<Integer> owns = aRevokes ? Set.of(0, 1) : Set.of(2, 3);
        JoinGroupResponseData stillOwning = classicJoin(revoker, owns);
        assertThat(stillOwning.generationId()).isEqualTo(classic.generation());
        Set<Integer> kept = decode(sync(revoker, classic.generation(), Map.of()));
        assertThat(owns).containsAll(kept).isNotEqualTo(kept);
        assertThat(classicHeartbeat(revoker, classic.generation())).as("revokes by rejoining")
                .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(assigned(heartbeat("m", mEpoch, Set.of()))).as("nothing is released yet").isEmpty();

        JoinGroupResponseData revoked = classicJoin(revoker, kept);
        assertThat(revoked.generationId()).isEqualTo(mEpoch);
        assertThat(assigned(heartbeat("m", mEpoch, Set.of()))).isNotEmpty().doesNotContainAnyElementsOf(kept);
    }

    @Test
    void classicMembersJoinLeaveAndTimeOutInsideAConsumerGroup() {
        Classic classic = stableClassicGroup();
        heartbeat("m", 0, Set.of());

        // A new classic member: MEMBER_ID_REQUIRED first, as from a classic group, then it is in.
        JoinGroupResponseData required = classicJoin("", Set.of());
        assertThat(Errors.forCode(required.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        JoinGroupResponseData c = classicJoin(required.memberId(), Set.of());
        assertThat(Errors.forCode(c.errorCode())).isEqualTo(Errors.NONE);
        assertThat(shard.groups.describe("g").orElseThrow().members()).hasSize(4);

        assertThat(shard.groups.leaveGroup("g", List.of(new GroupCoordinator.LeavingMember(classic.b(), null))))
                .containsExactly(Errors.NONE);
        assertThat(shard.groups.leaveGroup("g", List.of(new GroupCoordinator.LeavingMember(classic.b(), null))))
                .containsExactly(Errors.UNKNOWN_MEMBER_ID);
        assertThat(shard.groups.describe("g").orElseThrow().members()).hasSize(3);

        // Classic members have their own 6 s session; m's is the broker's 10 s.
        scheduler.advance(Duration.ofSeconds(4));
        heartbeat("m", shard.groups.consumers.describe("g").members().stream().filter(mm -> mm.memberId().equals("m"))
                .findFirst().orElseThrow().memberEpoch(), null);
        scheduler.advance(Duration.ofSeconds(3));
        assertThat(shard.groups.describe("g").orElseThrow().members()).extracting(GroupCoordinator.MemberSummary::memberId)
                .containsExactly("m");
        assertThat(shard.groups.group("g")).as("m speaks the consumer protocol").isInstanceOf(ConsumerGroup.class);
    }

    @Test
    void aRestartedStaticClassicMemberTakesItsFormerSelfsPlaceAndPartitions() {
        stableClassicGroup();
        int mEpoch = heartbeat("m", 0, Set.of()).memberEpoch();
        JoinGroupResponseData first = classicJoin("", "instance-1", Set.of(), (short) 9).join();
        assertThat(Errors.forCode(first.errorCode())).as("a static member needs no MEMBER_ID_REQUIRED round").isEqualTo(Errors.NONE);
        ConsumerGroup group = (ConsumerGroup) shard.groups.group("g");
        ConsumerGroupMember before = group.members.get(first.memberId());
        int groupEpoch = group.groupEpoch;

        JoinGroupResponseData restarted = classicJoin("", "instance-1", Set.of(), (short) 9).join();

        assertThat(restarted.memberId()).isNotEqualTo(first.memberId());
        assertThat(restarted.generationId()).isEqualTo(first.generationId());
        assertThat(group.groupEpoch).as("no rebalance").isEqualTo(groupEpoch);
        assertThat(group.members.get(restarted.memberId()).assigned).isEqualTo(before.assigned);
        assertThat(shard.groups.heartbeat("g", first.memberId(), "instance-1", first.generationId()))
                .isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(mEpoch).isPositive();
    }

    @Test
    void theLastConsumerProtocolMemberLeavingMakesItAClassicGroupAgainThatRebalances() {
        Classic classic = stableClassicGroup();
        int mEpoch = heartbeat("m", 0, Set.of()).memberEpoch();
        int[] aGeneration = new int[1];
        int[] bGeneration = new int[1];
        rejoin(classic.a(), aGeneration);
        rejoin(classic.b(), bGeneration);
        heartbeat("m", mEpoch, Set.of());

        heartbeat("m", -1, null);

        ClassicGroup group = (ClassicGroup) shard.groups.group("g");
        assertThat(group.state).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(committed()).isEqualTo(5);
        assertThat(classicHeartbeat(classic.a(), aGeneration[0])).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        CompletableFuture<JoinGroupResponseData> aJoin = classicJoin(classic.a(), Set.of(), (short) 9);
        JoinGroupResponseData bJoin = classicJoin(classic.b(), Set.of());
        assertThat(aJoin.join().generationId()).isEqualTo(bJoin.generationId()).isGreaterThan(aGeneration[0]);
        String leader = bJoin.leader();
        assertThat(leader).isIn(classic.a(), classic.b());
        String follower = leader.equals(classic.a()) ? classic.b() : classic.a();
        int generation = bJoin.generationId();
        assertThat(decode(sync(leader, generation, Map.of(leader, Set.of(0, 1), follower, Set.of(2, 3)))))
                .containsExactlyInAnyOrder(0, 1);
        assertThat(decode(sync(follower, generation, Map.of()))).containsExactlyInAnyOrder(2, 3);
        assertThat(group.state).isEqualTo(GroupState.STABLE);
    }

    @Test
    void aClassicMemberReplacingTheLastConsumerProtocolMemberAStaticOneMakesItAClassicGroupAgain() {
        Classic classic = stableClassicGroup();
        shard.groups.consumers.heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId("g").setMemberId("m")
                .setInstanceId("instance-m").setMemberEpoch(0).setRebalanceTimeoutMs(5_000)
                .setSubscribedTopicNames(List.of("orders")).setTopicPartitions(List.of()), "client", "/127.0.0.1", (short) 1).join();
        assertThat(shard.groups.group("g")).isInstanceOf(ConsumerGroup.class);

        // The service behind instance-m is rolled back to the classic protocol.
        CompletableFuture<JoinGroupResponseData> replacing = classicJoin("", "instance-m", Set.of(), (short) 9);

        ClassicGroup group = (ClassicGroup) shard.groups.group("g");
        assertThat(group.state).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(group.members).hasSize(3).containsKeys(classic.a(), classic.b()).doesNotContainKey("m");
        assertThat(committed()).isEqualTo(5);
        CompletableFuture<JoinGroupResponseData> aJoin = classicJoin(classic.a(), Set.of(), (short) 9);
        JoinGroupResponseData bJoin = classicJoin(classic.b(), Set.of());
        assertThat(Errors.forCode(replacing.join().errorCode())).isEqualTo(Errors.NONE);
        assertThat(aJoin.join().generationId()).isEqualTo(bJoin.generationId()).isEqualTo(replacing.join().generationId());
    }

    @Test
    void aLoadInTheMiddleOfEitherMigrationResumesIt() {
        Classic classic = stableClassicGroup();
        int mEpoch = heartbeat("m", 0, Set.of()).memberEpoch();

        reload();
        ConsumerGroup upgraded = (ConsumerGroup) shard.groups.group("g");
        assertThat(upgraded.members.get(classic.a()).usesClassicProtocol()).isTrue();
        assertThat(upgraded.members.get(classic.a()).classic.sessionTimeoutMs()).isEqualTo(6_000);
        assertThat(upgraded.members.get(classic.a()).assigned).containsExactlyInAnyOrder(P0, new TopicPartition("orders", 1));
        assertThat(classicHeartbeat(classic.a(), classic.generation())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        int[] aGeneration = new int[1];
        rejoin(classic.a(), aGeneration);
        assertThat(aGeneration[0]).isEqualTo(mEpoch);

        heartbeat("m", -1, null);
        reload();
        ClassicGroup downgraded = (ClassicGroup) shard.groups.group("g");
        assertThat(downgraded.state).as("its members have not rejoined yet").isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(downgraded.members).containsOnlyKeys(classic.a(), classic.b());
        assertThat(committed()).isEqualTo(5);
    }

    @Test
    void aClassicGroupInTheMiddleOfARebalanceIsUpgradedOnlyOnceStable() {
        Classic classic = stableClassicGroup();
        CompletableFuture<JoinGroupResponseData> aRejoins = classicJoin(classic.a(), Set.of(), (short) 9);
        assertThat(aRejoins).as("b has to rejoin too").isNotDone();

        assertThatThrownBy(() -> heartbeat("m", 0, Set.of())).isInstanceOfSatisfying(CoordinatorException.class,
                e -> assertThat(e.error()).as("retried by the client").isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS));
        assertThat(shard.groups.group("g")).isInstanceOf(ClassicGroup.class);

        JoinGroupResponseData bRejoined = classicJoin(classic.b(), Set.of());
        sync(aRejoins.join().memberId(), bRejoined.generationId(), Map.of(classic.a(), Set.of(0, 1), classic.b(), Set.of(2, 3)));
        sync(classic.b(), bRejoined.generationId(), Map.of());
        assertThat(heartbeat("m", 0, Set.of()).memberEpoch()).isEqualTo(bRejoined.generationId() + 1);
        assertThat(shard.groups.group("g")).isInstanceOf(ConsumerGroup.class);
    }

    @Test
    void theMigrationPolicyForbidsAWay() {
        config = config(ConsumerGroupMigrationPolicy.DOWNGRADE);
        shard = newShard();
        stableClassicGroup();
        assertThatThrownBy(() -> heartbeat("m", 0, Set.of())).isInstanceOfSatisfying(CoordinatorException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.GROUP_ID_NOT_FOUND));
        assertThat(shard.groups.group("g")).isInstanceOf(ClassicGroup.class);

        config = config(ConsumerGroupMigrationPolicy.UPGRADE);
        shard = newShard();
        Classic classic = stableClassicGroup();
        heartbeat("m", 0, Set.of());
        heartbeat("m", -1, null);
        ConsumerGroup stays = (ConsumerGroup) shard.groups.group("g");
        assertThat(stays.members).containsOnlyKeys(classic.a(), classic.b());
    }

    @Test
    void aClassicGroupLargerThanTheConsumerGroupMaxSizeIsNotUpgraded() {
        config = config(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, 2, Integer.MAX_VALUE);
        shard = newShard();
        stableClassicGroup();

        // Two classic members and a third speaking the consumer protocol would be three: refused as Kafka does.
        assertThatThrownBy(() -> heartbeat("m", 0, Set.of())).isInstanceOfSatisfying(CoordinatorException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.GROUP_ID_NOT_FOUND));
        assertThat(shard.groups.group("g")).isInstanceOf(ClassicGroup.class);

        config = config(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, 3, Integer.MAX_VALUE);
        shard = newShard();
        stableClassicGroup();
        assertThat(heartbeat("m", 0, Set.of()).memberEpoch()).isPositive();
        assertThat(shard.groups.group("g")).isInstanceOf(ConsumerGroup.class);
    }

    @Test
    void aConsumerGroupWhoseClassicMembersExceedTheClassicMaxSizeIsNotDowngraded() {
        config = config(ConsumerGroupMigrationPolicy.BIDIRECTIONAL, Integer.MAX_VALUE, 2);
        shard = newShard();
        Classic classic = stableClassicGroup();
        int mEpoch = heartbeat("m", 0, Set.of()).memberEpoch();
        assertThat(Errors.forCode(classicJoin("", Set.of(), (short) 3).join().errorCode()))
                .as("a classic group of two is full").isEqualTo(Errors.NONE);

        heartbeat("m", mEpoch, Set.of());
        heartbeat("m", -1, null);

        ConsumerGroup stays = (ConsumerGroup) shard.groups.group("g");
        assertThat(stays.members).hasSize(3).containsKeys(classic.a(), classic.b());
    }

    @Test
    void aFullGroupRefusesNewMembersButNotItsOwn() {
        config = config(ConsumerGroupMigrationPolicy.DISABLED, 1, 2);
        shard = newShard();
        Classic classic = stableClassicGroup();
        assertThat(Errors.forCode(classicJoin("", Set.of(), (short) 3).join().errorCode())).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        assertThat(Errors.forCode(classicJoin("", Set.of(), (short) 9).join().errorCode()))
                .as("before MEMBER_ID_REQUIRED, as Kafka").isEqualTo(Errors.GROUP_MAX_SIZE_REACHED);
        assertThat(classicJoin(classic.a(), Set.of(), (short) 9)).as("a member rejoins").isNotDone();

        var consumer = new ConsumerGroupHeartbeatRequestData().setGroupId("c").setMemberEpoch(0).setRebalanceTimeoutMs(5_000)
                .setSubscribedTopicNames(List.of("orders")).setTopicPartitions(List.of());
        assertThat(shard.groups.consumers.heartbeat(consumer.duplicate().setMemberId("x"), "client", "/127.0.0.1", (short) 1)
                .join().memberEpoch()).isPositive();
        assertThatThrownBy(() -> shard.groups.consumers.heartbeat(consumer.duplicate().setMemberId("y"), "client",
                "/127.0.0.1", (short) 1).join()).isInstanceOfSatisfying(CoordinatorException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED));
    }
}
