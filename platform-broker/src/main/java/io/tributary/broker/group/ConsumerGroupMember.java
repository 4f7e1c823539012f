package io.tributary.broker.group;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * A member of a KIP-848 consumer group (Kafka's {@code ConsumerGroupMember}): what it subscribes to,
 * the epoch it reached, the partitions it owns and those it must give up before it may move on. The
 * {@link ConsumerGroupManager} changes it under the group's monitor.
 */
final class ConsumerGroupMember {

    /** Where a member is in its reconciliation toward the group's target assignment (Kafka's {@code MemberState}). */
    enum MemberState {
        /** Owns its whole target assignment of the member epoch. */
        STABLE,
        /** Must revoke partitions it no longer has before it gets a new epoch. */
        UNREVOKED_PARTITIONS,
        /** Has the new epoch, but waits for partitions other members still have to revoke. */
        UNRELEASED_PARTITIONS
    }

    /**
     * What a member speaking the classic protocol inside a consumer group said in its JoinGroup (Kafka's
     * {@code ClassicMemberMetadata}): its own session timeout, and its protocols (assignors) with their
     * ConsumerProtocol subscriptions, so that the group can become a classic group again.
     */
    record ClassicMemberMetadata(int sessionTimeoutMs, List<GroupMember.Protocol> protocols) {

        ClassicMemberMetadata {
            protocols = List.copyOf(protocols);
        }

        /** The protocol the member is answered with: its preferred one. */
        String protocolName() {
            return protocols.get(0).name();
        }
    }

    /** The epoch a static member leaving for a moment sends and keeps, holding its assignment for its session. */
    static final int LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;
    static final int LEAVE_GROUP_MEMBER_EPOCH = -1;

    final String memberId;
    String instanceId;
    String rackId;
    String clientId;
    String clientHost;
    int rebalanceTimeoutMs;
    List<String> subscribedTopicNames = List.of();
    String subscribedTopicRegex;
    String serverAssignor;
    int memberEpoch;
    int previousMemberEpoch;
    MemberState state = MemberState.STABLE;
    Set<TopicPartition> assigned = Set.of();
    Set<TopicPartition> pendingRevocation = Set.of();
    /** Set for a member that speaks the classic protocol (JoinGroup, SyncGroup, Heartbeat); null for KIP-848's. */
    ClassicMemberMetadata classic;
    /** Ends the member when it stops heartbeating; not stored. */
    ScheduledFuture<?> sessionTimer;
    /** Ends the member when it does not revoke in time; not stored. */
    ScheduledFuture<?> revocationTimer;
    /** Ends a classic member told to rejoin that does not within its rebalance timeout; not stored. */
    ScheduledFuture<?> joinTimer;
    /** Ends a classic member that joined and does not sync within its rebalance timeout; not stored. */
    ScheduledFuture<?> syncTimer;

    ConsumerGroupMember(String memberId) {
        this.memberId = memberId;
    }

    boolean usesClassicProtocol() {
        return classic != null;
    }

    boolean isStatic() {
        return instanceId != null;
    }

    /** Whether a static member said it leaves for a moment: it keeps its partitions until its session ends. */
    boolean isTemporarilyAway() {
        return memberEpoch == LEAVE_GROUP_STATIC_MEMBER_EPOCH;
    }

    /** Whether this member has the partition, or has it still to revoke. */
    boolean holds(TopicPartition tp) {
        return assigned.contains(tp) || pendingRevocation.contains(tp);
    }

    void cancelTimers() {
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
            sessionTimer = null;
        }
        cancelRevocationTimer();
        joinTimer = cancel(joinTimer);
        syncTimer = cancel(syncTimer);
    }

    static ScheduledFuture<?> cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
        return null;
    }

    void cancelRevocationTimer() {
        if (revocationTimer != null) {
            revocationTimer.cancel(false);
            revocationTimer = null;
        }
    }
}
