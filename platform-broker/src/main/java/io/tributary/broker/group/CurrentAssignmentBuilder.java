package io.tributary.broker.group;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;

/**
 * Moves one member of a consumer group toward the group's target assignment (Kafka's
 * {@code CurrentAssignmentBuilder}), so that no partition is ever owned by two members: a member first
 * revokes what it must give up, keeping its epoch; once its heartbeat shows those partitions gone it
 * takes the target's epoch and the partitions no other member holds; those still held elsewhere
 * follow in a later heartbeat, once released.
 */
final class CurrentAssignmentBuilder {

    /** A member's next state: its epoch, what it owns, and what it has still to revoke. */
    record Reconciled(int memberEpoch, ConsumerGroupMember.MemberState state, Set<TopicPartition> assigned,
            Set<TopicPartition> pendingRevocation) {
    }

    private CurrentAssignmentBuilder() {
    }

    /**
     * @param member          the member as it is
     * @param targetEpoch     the epoch of the group's target assignment
     * @param target          the member's partitions in the target assignment
     * @param heldByOthers    whether another member owns the partition or has still to revoke it
     * @param ownedByClient   what the member's heartbeat says it owns, or null when it did not say
     */
    static Reconciled reconcile(ConsumerGroupMember member, int targetEpoch, Set<TopicPartition> target,
            Predicate<TopicPartition> heldByOthers, Set<TopicPartition> ownedByClient) {
        Reconciled unchanged = new Reconciled(member.memberEpoch, member.state, member.assigned, member.pendingRevocation);
        return switch (member.state) {
            case STABLE -> member.memberEpoch == targetEpoch && member.assigned.equals(target) ? unchanged
                    : next(member, targetEpoch, target, heldByOthers);
            case UNREVOKED_PARTITIONS -> revoked(member, ownedByClient) ? next(member, targetEpoch, target, heldByOthers)
                    : unchanged;
            case UNRELEASED_PARTITIONS -> next(member, targetEpoch, target, heldByOthers);
        };
    }

    /** Whether the heartbeat shows none of the partitions the member had to give up. */
    private static boolean revoked(ConsumerGroupMember member, Set<TopicPartition> ownedByClient) {
        return ownedByClient != null && member.pendingRevocation.stream().noneMatch(ownedByClient::contains);
    }

    private static Reconciled next(ConsumerGroupMember member, int targetEpoch, Set<TopicPartition> target,
            Predicate<TopicPartition> heldByOthers) {
        Set<TopicPartition> kept = new HashSet<>(member.assigned);
        kept.retainAll(target);
        Set<TopicPartition> revoking = new HashSet<>(member.assigned);
        revoking.removeAll(target);
        if (!revoking.isEmpty()) {
            return new Reconciled(member.memberEpoch, ConsumerGroupMember.MemberState.UNREVOKED_PARTITIONS,
                    Set.copyOf(kept), Set.copyOf(revoking));
        }
        boolean unreleased = false;
        for (TopicPartition tp : target) {
            if (kept.contains(tp)) {
                continue;
            }
            if (heldByOthers.test(tp)) {
                unreleased = true;
            } else {
                kept.add(tp);
            }
        }
        return new Reconciled(targetEpoch, unreleased ? ConsumerGroupMember.MemberState.UNRELEASED_PARTITIONS
                : ConsumerGroupMember.MemberState.STABLE, Set.copyOf(kept), Set.of());
    }
}
