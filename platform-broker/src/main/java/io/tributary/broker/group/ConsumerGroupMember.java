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
    /** Ends the member when it stops heartbeating; not stored. */
    ScheduledFuture<?> sessionTimer;
    /** Ends the member when it does not revoke in time; not stored. */
    ScheduledFuture<?> revocationTimer;

    ConsumerGroupMember(String memberId) {
        this.memberId = memberId;
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
    }

    void cancelRevocationTimer() {
        if (revocationTimer != null) {
            revocationTimer.cancel(false);
            revocationTimer = null;
        }
    }
}
