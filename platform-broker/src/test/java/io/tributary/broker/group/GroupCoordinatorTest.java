package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classic group state machine without a broker: real storage, a hand-driven clock and
 * scheduler, and requests made the way the Java consumer makes them (JoinGroup v9, MEMBER_ID_REQUIRED
 * round trip, leader-side assignment, heartbeats with the generation).
 */
@Timeout(30)
class GroupCoordinatorTest {

    private static final String GROUP = "g";
    private static final int SESSION_MS = 10_000;
    private static final int REBALANCE_MS = 30_000;
    private static final Duration RETENTION = Duration.ofHours(1);
    private static final Duration RETENTION_CHECK = Duration.ofMinutes(1);
    private static final int METADATA_MAX = 64;
    private static final GroupCoordinatorConfig CONFIG = new GroupCoordinatorConfig(3, 1024 * 1024, 1_000, 600_000, 0,
            RETENTION.toMillis(), RETENTION_CHECK.toMillis(), METADATA_MAX);
    private static final byte[] SUBSCRIPTION = subscription("events");
    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final TopicPartition P1 = new TopicPartition("events", 1);

    @TempDir
    Path dir;

    private CoordinatorHarness harness;
    private GroupCoordinator coordinator;

    @BeforeEach
    void start() {
        harness = new CoordinatorHarness(dir, CONFIG);
        coordinator = harness.coordinator();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    // ---------------------------------------------------------------- joining

    @Test
    void aNewMemberIsToldMemberIdRequiredThenJoinsWithTheIdItWasGiven() {
        JoinGroupResponseData first = join(request("", null, SUBSCRIPTION)).join();
        assertThat(error(first)).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(first.memberId()).startsWith("client-");
        assertThat(coordinator.describe(GROUP).orElseThrow().members()).isEmpty();

        JoinGroupResponseData joined = done(join(request(first.memberId(), null, SUBSCRIPTION)));

        assertThat(error(joined)).isEqualTo(Errors.NONE);
        assertThat(joined.memberId()).isEqualTo(first.memberId());
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(first.memberId());
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.members()).extracting(JoinGroupResponseMember::memberId).containsExactly(first.memberId());
        assertThat(joined.members().get(0).metadata()).isEqualTo(SUBSCRIPTION);
        assertThat(state()).isEqualTo(GroupState.COMPLETING_REBALANCE);

        SyncGroupResponseData synced = sync(joined, Map.of(joined.memberId(), bytes("a1"))).join();
        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        assertThat(synced.assignment()).isEqualTo(bytes("a1"));
        assertThat(state()).isEqualTo(GroupState.STABLE);
        assertThat(coordinator.describe(GROUP).orElseThrow().members().get(0).assignment()).isEqualTo(bytes("a1"));
    }

    @Test
    void joinGroupBeforeVersion4NeedsNoMemberIdRoundTrip() {
        JoinGroupResponseData joined = done(coordinator.joinGroup(request("", null, SUBSCRIPTION), "old", "/127.0.0.1", (short) 3));

        assertThat(error(joined)).isEqualTo(Errors.NONE);
        assertThat(joined.memberId()).startsWith("old-");
        assertThat(joined.generationId()).isEqualTo(1);
    }

    @Test
    void badJoinsAreRefusedAndLeaveOtherGroupsUndisturbed() {
        List<JoinGroupResponseData> members = stableGroup(1, true);
        assertThat(commit(GROUP, members.get(0).generationId(), members.get(0).memberId(), Map.of(P0, 7L)))
                .containsEntry(P0, Errors.NONE);

        JoinGroupRequestData emptyGroupId = request("", null, SUBSCRIPTION).setGroupId("");
        JoinGroupRequestData noProtocols = request("", null, SUBSCRIPTION).setGroupId("other")
                .setProtocols(new JoinGroupRequestProtocolCollection());
        JoinGroupRequestData oversized = request("", null, new byte[GroupCoordinator.MAX_MEMBER_METADATA_BYTES + 1])
                .setGroupId("other");
        JoinGroupRequestData sessionTooShort = request("", null, SUBSCRIPTION).setGroupId("other").setSessionTimeoutMs(1);

        assertThat(error(join(emptyGroupId).join())).isEqualTo(Errors.INVALID_GROUP_ID);
        assertThat(error(join(noProtocols).join())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(error(join(oversized).join())).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(error(join(sessionTooShort).join())).isEqualTo(Errors.INVALID_SESSION_TIMEOUT);

        assertThat(state()).isEqualTo(GroupState.STABLE);
        assertThat(coordinator.heartbeat(GROUP, members.get(0).memberId(), null, members.get(0).generationId()))
                .isEqualTo(Errors.NONE);
        assertThat(committed(GROUP, P0).offset()).isEqualTo(7);
        assertThat(coordinator.describe("other").map(GroupCoordinator.GroupSummary::members).orElse(List.of())).isEmpty();
    }

    @Test
    void aFollowersSyncWaitsForTheLeadersAssignment() {
        List<JoinGroupResponseData> members = stableGroup(2, false);
        JoinGroupResponseData leader = leaderOf(members);
        JoinGroupResponseData follower = members.stream().filter(m -> m != leader).findFirst().orElseThrow();
        assertThat(leader.members()).hasSize(2);
        assertThat(follower.members()).isEmpty();

        CompletableFuture<SyncGroupResponseData> followerSync = sync(follower, Map.of());
        assertThat(followerSync).isNotDone();
        assertThat(state()).isEqualTo(GroupState.COMPLETING_REBALANCE);

        SyncGroupResponseData leaderSync = sync(leader, Map.of(leader.memberId(), bytes("L"),
                follower.memberId(), bytes("F"))).join();

        assertThat(leaderSync.assignment()).isEqualTo(bytes("L"));
        assertThat(followerSync).isDone();
        assertThat(followerSync.join().assignment()).isEqualTo(bytes("F"));
        assertThat(state()).isEqualTo(GroupState.STABLE);
    }

    @Test
    void aJoinWithAnotherProtocolTypeOrNoCommonAssignorIsInconsistent() {
        stableGroup(1, true);

        JoinGroupRequestData connect = request("", null, SUBSCRIPTION).setProtocolType("connect");
        JoinGroupRequestData roundRobin = request("", null, SUBSCRIPTION).setProtocols(protocols("roundrobin", SUBSCRIPTION));

        assertThat(error(join(connect).join())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(error(join(roundRobin).join())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void theInitialRebalanceDelayCollectsTheMembersOfANewGroupIntoOneGeneration() {
        harness.close();
        harness = new CoordinatorHarness(dir, new GroupCoordinatorConfig(3, 1024 * 1024, 1_000, 600_000, 3_000,
                RETENTION.toMillis(), RETENTION_CHECK.toMillis(), METADATA_MAX));
        coordinator = harness.coordinator();

        CompletableFuture<JoinGroupResponseData> a = joinNew();
        harness.advance(Duration.ofSeconds(1));
        CompletableFuture<JoinGroupResponseData> b = joinNew();
        harness.advance(Duration.ofMillis(1_900));
        assertThat(a).isNotDone();
        assertThat(b).isNotDone();

        harness.advance(Duration.ofSeconds(4));

        assertThat(done(a).generationId()).isEqualTo(1);
        assertThat(done(b).generationId()).isEqualTo(1);
        assertThat(leaderOf(List.of(a.join(), b.join())).members()).hasSize(2);
    }

    @Test
    void aMemberJoiningWhileTheLeaderAssignsSendsEveryoneBackToJoin() {
        List<JoinGroupResponseData> members = stableGroup(2, false);
        JoinGroupResponseData leader = leaderOf(members);
        JoinGroupResponseData follower = members.stream().filter(m -> m != leader).findFirst().orElseThrow();
        CompletableFuture<SyncGroupResponseData> followerSync = sync(follower, Map.of());

        CompletableFuture<JoinGroupResponseData> late = joinNew();

        assertThat(state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(followerSync).isDone();
        assertThat(Errors.forCode(followerSync.join().errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        SyncGroupResponseData leaderSync = sync(leader, Map.of(leader.memberId(), bytes("L"))).join();
        assertThat(Errors.forCode(leaderSync.errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        CompletableFuture<JoinGroupResponseData> leaderAgain = join(request(leader.memberId(), null, SUBSCRIPTION));
        assertThat(late).isNotDone();
        CompletableFuture<JoinGroupResponseData> followerAgain = join(request(follower.memberId(), null, SUBSCRIPTION));

        List<JoinGroupResponseData> next = List.of(done(leaderAgain), done(followerAgain), done(late));
        assertThat(next).extracting(JoinGroupResponseData::generationId).containsOnly(3);
        syncAll(next);
    }

    // ---------------------------------------------------------------- who may speak: member ids and generations

    @Test
    void requestsFromUnknownMembersAreUnknownMemberId() {
        assertThat(coordinator.heartbeat("missing", "nobody", null, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(error(join(request("nobody", null, SUBSCRIPTION).setGroupId("missing")).join()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);

        JoinGroupResponseData member = stableGroup(1, true).get(0);
        int generation = member.generationId();

        assertThat(coordinator.heartbeat(GROUP, "nobody", null, generation)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(error(join(request("nobody", null, SUBSCRIPTION)).join())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(coordinator.syncGroup(syncRequest("nobody", generation, Map.of())).join().errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commit(GROUP, generation, "nobody", Map.of(P0, 1L)).get(P0)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(coordinator.leaveGroup(GROUP, List.of(new GroupCoordinator.LeavingMember("nobody", null))))
                .containsExactly(Errors.UNKNOWN_MEMBER_ID);
        // Nothing of that disturbed the real member.
        assertThat(coordinator.heartbeat(GROUP, member.memberId(), null, generation)).isEqualTo(Errors.NONE);
        assertThat(state()).isEqualTo(GroupState.STABLE);
    }

    @Test
    void requestsOfAnOldGenerationAreIllegalGeneration() {
        List<JoinGroupResponseData> members = stableGroup(2, true);
        JoinGroupResponseData member = members.get(0);
        assertThat(member.generationId()).isEqualTo(2);

        assertThat(coordinator.heartbeat(GROUP, member.memberId(), null, 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commit(GROUP, 1, member.memberId(), Map.of(P0, 5L)).get(P0)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(Errors.forCode(coordinator.syncGroup(syncRequest(member.memberId(), 1, Map.of())).join().errorCode()))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(committed(GROUP, P0).offset()).isEqualTo(-1);

        assertThat(coordinator.heartbeat(GROUP, member.memberId(), null, 2)).isEqualTo(Errors.NONE);
        assertThat(commit(GROUP, 2, member.memberId(), Map.of(P0, 5L)).get(P0)).isEqualTo(Errors.NONE);
        assertThat(committed(GROUP, P0).offset()).isEqualTo(5);
    }

    @Test
    void heartbeatsDuringARebalanceAreAnsweredRebalanceInProgressUntilTheMemberRejoins() {
        JoinGroupResponseData a = stableGroup(1, true).get(0);

        CompletableFuture<JoinGroupResponseData> b = joinNew();
        assertThat(state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(coordinator.heartbeat(GROUP, a.memberId(), null, a.generationId())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        // Committing while preparing a rebalance is allowed: consumers commit before they rejoin.
        assertThat(commit(GROUP, a.generationId(), a.memberId(), Map.of(P0, 3L)).get(P0)).isEqualTo(Errors.NONE);
        assertThat(b).isNotDone();

        JoinGroupResponseData rejoined = done(join(request(a.memberId(), null, SUBSCRIPTION)));
        JoinGroupResponseData joinedB = done(b);
        assertThat(rejoined.generationId()).isEqualTo(2);
        assertThat(joinedB.generationId()).isEqualTo(2);
        assertThat(state()).isEqualTo(GroupState.COMPLETING_REBALANCE);

        // Between JoinGroup and SyncGroup, heartbeats are fine but commits must wait for the assignment.
        assertThat(coordinator.heartbeat(GROUP, a.memberId(), null, 2)).isEqualTo(Errors.NONE);
        assertThat(commit(GROUP, 2, a.memberId(), Map.of(P0, 4L)).get(P0)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);

        syncAll(List.of(rejoined, joinedB));
        assertThat(coordinator.heartbeat(GROUP, a.memberId(), null, 2)).isEqualTo(Errors.NONE);
        assertThat(coordinator.heartbeat(GROUP, joinedB.memberId(), null, 2)).isEqualTo(Errors.NONE);
    }

    @Test
    void aFollowerRejoiningWithUnchangedMetadataGetsTheCurrentGenerationWithoutARebalance() {
        List<JoinGroupResponseData> members = stableGroup(2, true);
        JoinGroupResponseData follower = members.stream().filter(m -> !m.memberId().equals(m.leader())).findFirst().orElseThrow();

        JoinGroupResponseData again = done(join(request(follower.memberId(), null, SUBSCRIPTION)));

        assertThat(error(again)).isEqualTo(Errors.NONE);
        assertThat(again.generationId()).isEqualTo(follower.generationId());
        assertThat(state()).isEqualTo(GroupState.STABLE);
    }

    // ---------------------------------------------------------------- members that go away

    @Test
    void theRebalanceTimeoutRemovesDynamicMembersThatDidNotRejoin() {
        List<JoinGroupResponseData> members = stableGroup(2, true);
        JoinGroupResponseData a = members.get(0);
        JoinGroupResponseData b = members.get(1);

        CompletableFuture<JoinGroupResponseData> c = joinNew();
        CompletableFuture<JoinGroupResponseData> aAgain = join(request(a.memberId(), null, SUBSCRIPTION));
        // b stays alive (it heartbeats) but never rejoins.
        for (int elapsed = 0; elapsed < REBALANCE_MS - 3_000; elapsed += 3_000) {
            harness.advance(Duration.ofSeconds(3));
            assertThat(coordinator.heartbeat(GROUP, b.memberId(), null, b.generationId())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
            assertThat(c).isNotDone();
        }
        harness.advance(Duration.ofSeconds(3));

        JoinGroupResponseData joinedA = done(aAgain);
        JoinGroupResponseData joinedC = done(c);
        assertThat(joinedA.generationId()).isEqualTo(3);
        assertThat(leaderOf(List.of(joinedA, joinedC)).members()).extracting(JoinGroupResponseMember::memberId)
                .containsExactlyInAnyOrder(a.memberId(), joinedC.memberId());
        assertThat(coordinator.heartbeat(GROUP, b.memberId(), null, b.generationId())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aStaticMemberThatDoesNotRejoinInTimeKeepsItsPlaceUntilItsSessionExpires() {
        // The static member's session outlives the rebalance: as in Kafka, only its session timeout removes it.
        JoinGroupRequestData staticRequest = request("", "static-a", SUBSCRIPTION).setSessionTimeoutMs(120_000)
                .setRebalanceTimeoutMs(20_000);
        JoinGroupResponseData a = done(join(staticRequest));
        syncAll(List.of(a));
        CompletableFuture<JoinGroupResponseData> b = joinNew();
        JoinGroupResponseData aAgain = done(join(request(a.memberId(), "static-a", SUBSCRIPTION)
                .setSessionTimeoutMs(120_000).setRebalanceTimeoutMs(20_000)));
        syncAll(List.of(aAgain, done(b)));
        assertThat(aAgain.generationId()).isEqualTo(2);

        CompletableFuture<JoinGroupResponseData> c = joinNew();
        CompletableFuture<JoinGroupResponseData> bAgain = join(request(b.join().memberId(), null, SUBSCRIPTION));
        harness.advance(Duration.ofMillis(REBALANCE_MS));

        JoinGroupResponseData joinedB = done(bAgain);
        JoinGroupResponseData joinedC = done(c);
        assertThat(joinedB.generationId()).isEqualTo(3);
        assertThat(coordinator.describe(GROUP).orElseThrow().members()).extracting(GroupCoordinator.MemberSummary::memberId)
                .contains(a.memberId());
        assertThat(leaderOf(List.of(joinedB, joinedC)).members()).extracting(JoinGroupResponseMember::memberId)
                .containsExactlyInAnyOrder(a.memberId(), joinedB.memberId(), joinedC.memberId());
        // The static member comes back: told of the new generation, it rejoins and needs no other rebalance.
        assertThat(coordinator.heartbeat(GROUP, a.memberId(), "static-a", 2)).isEqualTo(Errors.ILLEGAL_GENERATION);
        JoinGroupResponseData back = done(join(request(a.memberId(), "static-a", SUBSCRIPTION)
                .setSessionTimeoutMs(120_000).setRebalanceTimeoutMs(20_000)));
        assertThat(error(back)).isEqualTo(Errors.NONE);
        assertThat(back.generationId()).isEqualTo(3);
    }

    @Test
    void aMemberWithoutHeartbeatsIsRemovedAfterItsSessionTimeout() {
        List<JoinGroupResponseData> members = stableGroup(2, true);
        JoinGroupResponseData a = members.get(0);
        JoinGroupResponseData b = members.get(1);

        // Heartbeats keep both sessions alive well past the session timeout.
        for (int i = 0; i < 10; i++) {
            harness.advance(Duration.ofSeconds(3));
            assertThat(coordinator.heartbeat(GROUP, a.memberId(), null, 2)).isEqualTo(Errors.NONE);
            assertThat(coordinator.heartbeat(GROUP, b.memberId(), null, 2)).isEqualTo(Errors.NONE);
        }
        // Then b stops.
        for (int i = 0; i < 3; i++) {
            harness.advance(Duration.ofSeconds(3));
            assertThat(coordinator.heartbeat(GROUP, a.memberId(), null, 2)).isEqualTo(Errors.NONE);
        }
        harness.advance(Duration.ofSeconds(2));

        assertThat(coordinator.heartbeat(GROUP, a.memberId(), null, 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        assertThat(coordinator.describe(GROUP).orElseThrow().members()).extracting(GroupCoordinator.MemberSummary::memberId)
                .containsExactly(a.memberId());
        JoinGroupResponseData alone = done(join(request(a.memberId(), null, SUBSCRIPTION)));
        assertThat(alone.generationId()).isEqualTo(3);
        assertThat(alone.leader()).isEqualTo(a.memberId());
        assertThat(coordinator.heartbeat(GROUP, b.memberId(), null, 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberToldMemberIdRequiredThatNeverReturnsHoldsARebalanceOnlyUntilItsSessionTimeout() {
        JoinGroupResponseData a = stableGroup(1, true).get(0);
        JoinGroupResponseData ghost = join(request("", null, SUBSCRIPTION)).join();
        assertThat(error(ghost)).isEqualTo(Errors.MEMBER_ID_REQUIRED);

        CompletableFuture<JoinGroupResponseData> b = joinNew();
        CompletableFuture<JoinGroupResponseData> aAgain = join(request(a.memberId(), null, SUBSCRIPTION));
        assertThat(aAgain).isNotDone();

        harness.advance(Duration.ofMillis(SESSION_MS));

        assertThat(done(aAgain).generationId()).isEqualTo(2);
        assertThat(done(b).generationId()).isEqualTo(2);
        assertThat(error(join(request(ghost.memberId(), null, SUBSCRIPTION)).join())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void theLeaderLeavingStartsARebalanceWithAnotherLeader() {
        List<JoinGroupResponseData> members = stableGroup(2, true);
        JoinGroupResponseData leader = leaderOf(members);
        JoinGroupResponseData other = members.stream().filter(m -> m != leader).findFirst().orElseThrow();

        assertThat(coordinator.leaveGroup(GROUP, List.of(new GroupCoordinator.LeavingMember(leader.memberId(), null))))
                .containsExactly(Errors.NONE);

        assertThat(coordinator.heartbeat(GROUP, other.memberId(), null, 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponseData rejoined = done(join(request(other.memberId(), null, SUBSCRIPTION)));
        assertThat(rejoined.leader()).isEqualTo(other.memberId());
        assertThat(rejoined.generationId()).isEqualTo(3);
        assertThat(coordinator.heartbeat(GROUP, leader.memberId(), null, 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    // ---------------------------------------------------------------- static membership

    @Test
    void aStaticMemberRejoiningWithANewMemberIdTakesOverItsAssignmentAndFencesTheOldId() {
        JoinGroupResponseData old = done(join(request("", "instance-1", SUBSCRIPTION)));
        syncAll(List.of(old));
        byte[] assignment = coordinator.describe(GROUP).orElseThrow().members().get(0).assignment();

        JoinGroupResponseData replacement = done(join(request("", "instance-1", SUBSCRIPTION)));

        assertThat(error(replacement)).isEqualTo(Errors.NONE);
        assertThat(replacement.memberId()).isNotEqualTo(old.memberId());
        assertThat(replacement.generationId()).as("no rebalance").isEqualTo(old.generationId());
        assertThat(state()).isEqualTo(GroupState.STABLE);
        SyncGroupResponseData synced = coordinator.syncGroup(syncRequest(replacement.memberId(), replacement.generationId(),
                Map.of()).setGroupInstanceId("instance-1")).join();
        assertThat(synced.assignment()).isEqualTo(assignment);

        assertThat(coordinator.heartbeat(GROUP, old.memberId(), "instance-1", old.generationId()))
                .isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(commit(GROUP, old.generationId(), old.memberId(), Map.of(P0, 1L)).get(P0))
                .isIn(Errors.FENCED_INSTANCE_ID, Errors.UNKNOWN_MEMBER_ID);
        assertThat(error(join(request(old.memberId(), "instance-1", SUBSCRIPTION)).join())).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(coordinator.leaveGroup(GROUP, List.of(new GroupCoordinator.LeavingMember(old.memberId(), "instance-1"))))
                .containsExactly(Errors.FENCED_INSTANCE_ID);
        assertThat(coordinator.heartbeat(GROUP, replacement.memberId(), "instance-1", replacement.generationId()))
                .isEqualTo(Errors.NONE);
    }

    @Test
    void aRestartedStaticMemberWithNewSubscriptionBytesButTheSameAssignorCausesNoRebalance() {
        // A static member's subscription carries the partitions it owned; after a restart it owns
        // none, so the bytes differ. Kafka only rebalances when the group's protocol would change.
        JoinGroupResponseData a = done(join(request("", "a", SUBSCRIPTION)));
        syncAll(List.of(a));
        CompletableFuture<JoinGroupResponseData> b = join(request("", "b", SUBSCRIPTION));
        byte[] owning = subscription("events", P0, P1);
        JoinGroupResponseData aAgain = done(join(request(a.memberId(), "a", owning)));
        syncAll(List.of(aAgain, done(b)));
        assertThat(aAgain.generationId()).isEqualTo(2);

        JoinGroupResponseData restarted = done(join(request("", "a", SUBSCRIPTION)));

        assertThat(error(restarted)).isEqualTo(Errors.NONE);
        assertThat(restarted.generationId()).isEqualTo(2);
        assertThat(state()).isEqualTo(GroupState.STABLE);
        assertThat(coordinator.heartbeat(GROUP, b.join().memberId(), "b", 2)).isEqualTo(Errors.NONE);
    }

    @Test
    void aStaticMemberLeavesByItsInstanceId() {
        JoinGroupResponseData member = done(join(request("", "instance-1", SUBSCRIPTION)));
        syncAll(List.of(member));

        assertThat(coordinator.leaveGroup(GROUP, List.of(new GroupCoordinator.LeavingMember("", "instance-1"))))
                .containsExactly(Errors.NONE);

        assertThat(state()).isEqualTo(GroupState.EMPTY);
        assertThat(coordinator.leaveGroup(GROUP, List.of(new GroupCoordinator.LeavingMember("", "instance-1"))))
                .containsExactly(Errors.UNKNOWN_MEMBER_ID);
    }

    // ---------------------------------------------------------------- offsets

    @Test
    void offsetsAndGroupsSurviveACoordinatorRestart() {
        JoinGroupResponseData member = stableGroup(1, true).get(0);
        assertThat(commit(GROUP, member.generationId(), member.memberId(), Map.of(P0, 5L, P1, 7L))).containsValues(Errors.NONE);
        assertThat(commit(GROUP, member.generationId(), member.memberId(), Map.of(P0, 6L))).containsValues(Errors.NONE);
        assertThat(commit("simple", -1, "", Map.of(P0, 42L))).containsValues(Errors.NONE);
        assertThat(commit("deleted", -1, "", Map.of(P0, 1L))).containsValues(Errors.NONE);
        assertThat(coordinator.deleteGroup("deleted")).isEqualTo(Errors.NONE);
        Map<TopicPartition, CommittedOffset> before = coordinator.committedOffsets(GROUP, null);
        Map<TopicPartition, CommittedOffset> simpleBefore = coordinator.committedOffsets("simple", null);

        harness.restart();
        coordinator = harness.coordinator();

        assertThat(coordinator.committedOffsets(GROUP, null)).isEqualTo(before).containsKeys(P0, P1);
        assertThat(before.get(P0).offset()).isEqualTo(6);
        assertThat(coordinator.committedOffsets("simple", null)).isEqualTo(simpleBefore);
        assertThat(coordinator.committedOffsets("deleted", null)).isEmpty();
        assertThat(coordinator.describe("deleted")).isEmpty();
        GroupCoordinator.GroupSummary group = coordinator.describe(GROUP).orElseThrow();
        assertThat(group.state()).isEqualTo(GroupState.STABLE.kafkaName());
        assertThat(group.protocolName()).isEqualTo("range");
        assertThat(group.members()).extracting(GroupCoordinator.MemberSummary::memberId).containsExactly(member.memberId());
        // The member carries on where it was, with its generation...
        assertThat(coordinator.heartbeat(GROUP, member.memberId(), null, member.generationId())).isEqualTo(Errors.NONE);
        assertThat(commit(GROUP, member.generationId(), member.memberId(), Map.of(P1, 8L))).containsValues(Errors.NONE);
        // ...and if it never comes back, its session runs out and the group is empty.
        harness.advance(Duration.ofMillis(SESSION_MS + 1));
        assertThat(state()).isEqualTo(GroupState.EMPTY);
        assertThat(committed(GROUP, P1).offset()).isEqualTo(8);
    }

    @Test
    void theOffsetsOfAnEmptyGroupExpireAfterTheRetentionWhileThoseOfAnActiveGroupStay() {
        JoinGroupResponseData leaving = stableGroup(1, true).get(0);
        commit(GROUP, leaving.generationId(), leaving.memberId(), Map.of(P0, 10L));
        JoinGroupResponseData staying = done(join(request("", "stay", SUBSCRIPTION).setGroupId("active")));
        coordinator.syncGroup(syncRequest(staying.memberId(), staying.generationId(), Map.of()).setGroupId("active")
                .setGroupInstanceId("stay")).join();
        commit("active", staying.generationId(), staying.memberId(), Map.of(P0, 20L));
        assertThat(coordinator.leaveGroup(GROUP, List.of(new GroupCoordinator.LeavingMember(leaving.memberId(), null))))
                .containsExactly(Errors.NONE);
        assertThat(state()).isEqualTo(GroupState.EMPTY);

        advanceHeartbeating(RETENTION.minus(RETENTION_CHECK.multipliedBy(2)), "active", staying);
        assertThat(committed(GROUP, P0).offset()).isEqualTo(10);

        advanceHeartbeating(RETENTION_CHECK.multipliedBy(3), "active", staying);
        assertThat(coordinator.committedOffsets(GROUP, null)).isEmpty();
        assertThat(coordinator.describe(GROUP)).as("the empty group without offsets is deleted").isEmpty();
        assertThat(committed("active", P0).offset()).isEqualTo(20);
    }

    @Test
    void theOffsetsOfAGroupWithoutMembershipExpireOneByOneFromTheirCommitTime() {
        commit("simple", -1, "", Map.of(P0, 1L));
        harness.advance(Duration.ofMinutes(30));
        commit("simple", -1, "", Map.of(P1, 2L));

        harness.advance(Duration.ofMinutes(32));

        assertThat(coordinator.committedOffsets("simple", null)).containsOnlyKeys(P1);
        harness.advance(Duration.ofMinutes(30));
        assertThat(coordinator.committedOffsets("simple", null)).isEmpty();
    }

    @Test
    void aMetadataStringLongerThanTheLimitIsRefusedForItsPartitionOnly() {
        JoinGroupResponseData member = stableGroup(1, true).get(0);
        List<GroupCoordinator.OffsetToCommit> offsets = List.of(
                new GroupCoordinator.OffsetToCommit(P0, 5, -1, "x".repeat(METADATA_MAX + 1)),
                new GroupCoordinator.OffsetToCommit(P1, 6, -1, "y".repeat(METADATA_MAX)));

        Map<TopicPartition, Errors> result = coordinator.commitOffsets(GROUP, member.generationId(), member.memberId(), null, offsets);

        assertThat(result).containsEntry(P0, Errors.OFFSET_METADATA_TOO_LARGE).containsEntry(P1, Errors.NONE);
        assertThat(committed(GROUP, P0).offset()).isEqualTo(-1);
        assertThat(committed(GROUP, P1)).isEqualTo(new CommittedOffset(6, -1, "y".repeat(METADATA_MAX), harness.now()));
    }

    @Test
    void aGroupWithMembersCannotBeDeletedButAnEmptyOneCan() {
        JoinGroupResponseData member = stableGroup(1, true).get(0);
        commit(GROUP, member.generationId(), member.memberId(), Map.of(P0, 3L));

        assertThat(coordinator.deleteGroup(GROUP)).isEqualTo(Errors.NON_EMPTY_GROUP);
        coordinator.leaveGroup(GROUP, List.of(new GroupCoordinator.LeavingMember(member.memberId(), null)));
        assertThat(coordinator.deleteGroup(GROUP)).isEqualTo(Errors.NONE);

        assertThat(coordinator.committedOffsets(GROUP, null)).isEmpty();
        assertThat(coordinator.deleteGroup(GROUP)).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        assertThat(coordinator.listGroups()).extracting(GroupCoordinator.GroupSummary::groupId).doesNotContain(GROUP);
    }

    @Test
    void offsetsOfSubscribedTopicsCannotBeDeletedWhileTheGroupIsActive() {
        JoinGroupResponseData member = stableGroup(1, true).get(0);
        commit(GROUP, member.generationId(), member.memberId(), Map.of(P0, 3L, new TopicPartition("other", 0), 4L));

        Map<TopicPartition, Errors> result = coordinator.deleteOffsets(GROUP, List.of(P0, new TopicPartition("other", 0)),
                summary -> java.util.Set.of("events"));

        assertThat(result).containsEntry(P0, Errors.GROUP_SUBSCRIBED_TO_TOPIC)
                .containsEntry(new TopicPartition("other", 0), Errors.NONE);
        assertThat(coordinator.committedOffsets(GROUP, null)).containsOnlyKeys(P0);
    }

    // ---------------------------------------------------------------- helpers

    /** Forms a group of {@code count} dynamic members at one generation; synced to STABLE if asked. */
    private List<JoinGroupResponseData> stableGroup(int count, boolean synced) {
        JoinGroupResponseData first = done(joinNew());
        if (count == 1) {
            if (synced) {
                syncAll(List.of(first));
            }
            return List.of(first);
        }
        syncAll(List.of(first));
        List<CompletableFuture<JoinGroupResponseData>> joins = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            joins.add(joinNew());
        }
        joins.add(0, join(request(first.memberId(), null, SUBSCRIPTION)));
        List<JoinGroupResponseData> members = joins.stream().map(this::done).toList();
        if (synced) {
            syncAll(members);
        }
        return members;
    }

    private void syncAll(List<JoinGroupResponseData> members) {
        JoinGroupResponseData leader = leaderOf(members);
        Map<String, byte[]> assignments = new HashMap<>();
        leader.members().forEach(m -> assignments.put(m.memberId(), bytes("assignment-of-" + m.memberId())));
        List<CompletableFuture<SyncGroupResponseData>> syncs = new ArrayList<>();
        for (JoinGroupResponseData member : members) {
            if (member != leader) {
                syncs.add(sync(member, Map.of()));
            }
        }
        syncs.add(sync(leader, assignments));
        syncs.forEach(s -> {
            assertThat(s).isDone();
            assertThat(Errors.forCode(s.join().errorCode())).isEqualTo(Errors.NONE);
        });
        assertThat(state()).isEqualTo(GroupState.STABLE);
    }

    private static JoinGroupResponseData leaderOf(List<JoinGroupResponseData> members) {
        return members.stream().filter(m -> m.memberId().equals(m.leader())).findFirst().orElseThrow();
    }

    /** Moves time on while a static member of {@code groupId} keeps heartbeating. */
    private void advanceHeartbeating(Duration duration, String groupId, JoinGroupResponseData member) {
        for (long left = duration.toMillis(); left > 0; left -= 5_000) {
            harness.advance(Duration.ofMillis(Math.min(5_000, left)));
            assertThat(coordinator.heartbeat(groupId, member.memberId(), null, member.generationId())).isEqualTo(Errors.NONE);
        }
    }

    private CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData request) {
        return coordinator.joinGroup(request, "client", "/127.0.0.1", (short) 9);
    }

    /** A new dynamic member: MEMBER_ID_REQUIRED, then the join with the given id (pending until the join phase ends). */
    private CompletableFuture<JoinGroupResponseData> joinNew() {
        JoinGroupResponseData first = join(request("", null, SUBSCRIPTION)).join();
        assertThat(error(first)).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        return join(request(first.memberId(), null, SUBSCRIPTION));
    }

    private CompletableFuture<SyncGroupResponseData> sync(JoinGroupResponseData member, Map<String, byte[]> assignments) {
        return coordinator.syncGroup(syncRequest(member.memberId(), member.generationId(), assignments)
                .setProtocolType("consumer").setProtocolName(member.protocolName()));
    }

    private static SyncGroupRequestData syncRequest(String memberId, int generation, Map<String, byte[]> assignments) {
        List<SyncGroupRequestAssignment> list = new ArrayList<>();
        assignments.forEach((id, bytes) -> list.add(new SyncGroupRequestAssignment().setMemberId(id).setAssignment(bytes)));
        return new SyncGroupRequestData().setGroupId(GROUP).setMemberId(memberId).setGenerationId(generation)
                .setAssignments(list);
    }

    private Map<TopicPartition, Errors> commit(String groupId, int generation, String memberId, Map<TopicPartition, Long> offsets) {
        List<GroupCoordinator.OffsetToCommit> list = new ArrayList<>();
        offsets.forEach((tp, offset) -> list.add(new GroupCoordinator.OffsetToCommit(tp, offset, -1, "")));
        return coordinator.commitOffsets(groupId, generation, memberId, null, list);
    }

    private CommittedOffset committed(String groupId, TopicPartition tp) {
        return coordinator.committedOffsets(groupId, List.of(tp)).get(tp);
    }

    private GroupState state() {
        return coordinator.describe(GROUP).map(summary -> java.util.Arrays.stream(GroupState.values())
                .filter(state -> state.kafkaName().equals(summary.state())).findFirst().orElseThrow()).orElse(GroupState.DEAD);
    }

    private JoinGroupResponseData done(CompletableFuture<JoinGroupResponseData> future) {
        assertThat(future).as("join answered").isDone();
        return future.join();
    }

    private static Errors error(JoinGroupResponseData response) {
        return Errors.forCode(response.errorCode());
    }

    private static JoinGroupRequestData request(String memberId, String instanceId, byte[] subscription) {
        return new JoinGroupRequestData().setGroupId(GROUP).setMemberId(memberId).setGroupInstanceId(instanceId)
                .setSessionTimeoutMs(SESSION_MS).setRebalanceTimeoutMs(REBALANCE_MS).setProtocolType("consumer")
                .setProtocols(protocols("range", subscription));
    }

    private static JoinGroupRequestProtocolCollection protocols(String name, byte[] metadata) {
        return new JoinGroupRequestProtocolCollection(List.of(new JoinGroupRequestProtocol().setName(name)
                .setMetadata(metadata)).iterator());
    }

    private static byte[] subscription(String topic, TopicPartition... owned) {
        return Utils.toArray(ConsumerProtocol.serializeSubscription(new Subscription(List.of(topic), null, List.of(owned))));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
