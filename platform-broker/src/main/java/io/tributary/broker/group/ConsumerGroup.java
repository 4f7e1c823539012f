package io.tributary.broker.group;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group of KIP-848's protocol (Kafka's {@code ConsumerGroup}): the coordinator, not a
 * member, assigns. The group epoch counts changes of what the group wants (members, subscriptions,
 * partition counts); the target assignment is computed for a group epoch; each member reaches it at
 * its own pace, through its member epoch. Plain state; the {@link ConsumerGroupManager} drives it,
 * holding the group's monitor for every access.
 */
final class ConsumerGroup extends Group {

    /** The states Kafka's tools show, derived from the epochs (Kafka's {@code ConsumerGroupState}). */
    enum State {
        EMPTY("Empty"), ASSIGNING("Assigning"), RECONCILING("Reconciling"), STABLE("Stable"), DEAD("Dead");

        final String kafkaName;

        State(String kafkaName) {
            this.kafkaName = kafkaName;
        }
    }

    /**
     * The subscribed topics that exist, with their partition counts, and a digest of the racks their
     * partitions' replicas are in (0 when none has a rack): a change of either moves the group epoch.
     */
    record SubscriptionMetadata(Map<String, Integer> partitionCounts, long racksDigest) {

        static final SubscriptionMetadata EMPTY = new SubscriptionMetadata(Map.of(), 0);

        SubscriptionMetadata {
            partitionCounts = Map.copyOf(partitionCounts);
        }
    }

    int groupEpoch;
    /** The group epoch the target assignment was computed for. */
    int assignmentEpoch;
    /** The assignor that computed the target assignment. */
    String assignorName;
    final Map<String, ConsumerGroupMember> members = new LinkedHashMap<>();
    /** Static members' instance ids, to their member ids. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** The target assignment of {@link #assignmentEpoch}, by member id. */
    final Map<String, Set<TopicPartition>> targetAssignment = new HashMap<>();
    /** What the group subscribes to as the group epoch was last computed with. */
    SubscriptionMetadata subscriptionMetadata = SubscriptionMetadata.EMPTY;
    private boolean dead;

    ConsumerGroup(String groupId, long now) {
        super(groupId, now);
    }

    @Override
    GroupType type() {
        return GroupType.CONSUMER;
    }

    State state() {
        if (dead) {
            return State.DEAD;
        }
        if (members.isEmpty()) {
            return State.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return State.ASSIGNING;
        }
        for (ConsumerGroupMember member : members.values()) {
            if (member.memberEpoch != assignmentEpoch || member.state != ConsumerGroupMember.MemberState.STABLE) {
                return State.RECONCILING;
            }
        }
        return State.STABLE;
    }

    @Override
    String stateName() {
        return state().kafkaName;
    }

    @Override
    boolean isEmptyState() {
        return members.isEmpty() && !dead;
    }

    @Override
    boolean isGone() {
        return dead || deletionPending;
    }

    @Override
    void markDead(long now) {
        dead = true;
        stateTimestamp = now;
    }

    @Override
    boolean offsetsExpireOneByOne() {
        return false;
    }

    Optional<ConsumerGroupMember> staticMember(String instanceId) {
        return instanceId == null ? Optional.empty() : Optional.ofNullable(staticMembers.get(instanceId)).map(members::get);
    }

    void add(ConsumerGroupMember member) {
        members.put(member.memberId, member);
        if (member.isStatic()) {
            staticMembers.put(member.instanceId, member.memberId);
        }
    }

    void remove(String memberId, long now) {
        ConsumerGroupMember removed = members.remove(memberId);
        if (removed == null) {
            return;
        }
        removed.cancelTimers();
        targetAssignment.remove(memberId);
        if (removed.isStatic()) {
            staticMembers.remove(removed.instanceId, memberId);
        }
        if (members.isEmpty()) {
            stateTimestamp = now;
        }
    }

    /** Whether a member other than {@code memberId} owns the partition or has still to revoke it. */
    boolean heldByOtherThan(String memberId, TopicPartition tp) {
        for (ConsumerGroupMember member : members.values()) {
            if (!member.memberId.equals(memberId) && member.holds(tp)) {
                return true;
            }
        }
        return false;
    }
}
