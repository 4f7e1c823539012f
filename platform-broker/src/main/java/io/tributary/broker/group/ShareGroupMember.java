package io.tributary.broker.group;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.Uuid;

/**
 * A member of a KIP-932 share group (Kafka's {@code ShareGroupMember}): the id the client made up, the epoch it
 * reached, what it subscribes to and the partitions it shares in. There is no revocation: a member takes its
 * target assignment in the same heartbeat that learns of it. The {@link ShareGroupManager} changes it under the
 * group's monitor.
 */
final class ShareGroupMember {

    static final int LEAVE_GROUP_MEMBER_EPOCH = -1;

    final String memberId;
    int memberEpoch;
    /** The epoch before the last move: a heartbeat with it is still taken (the response that moved it on was lost). */
    int previousMemberEpoch;
    String rackId;
    String clientId;
    String clientHost;
    List<String> subscribedTopicNames = List.of();
    /** Topic id to partition indexes. */
    Map<Uuid, Set<Integer>> assigned = Map.of();
    /** Ends the member when it stops heartbeating; not stored. */
    ScheduledFuture<?> sessionTimer;

    ShareGroupMember(String memberId) {
        this.memberId = memberId;
    }

    void cancelTimers() {
        if (sessionTimer != null) {
            sessionTimer.cancel(false);
            sessionTimer = null;
        }
    }
}
