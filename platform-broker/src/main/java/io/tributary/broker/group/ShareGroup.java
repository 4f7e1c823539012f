package io.tributary.broker.group;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.Uuid;

/**
 * A KIP-932 share group (Kafka's {@code ShareGroup}): members that share the records of the partitions
 * they subscribe to, each record going to one of them, acknowledged one by one (queues). The coordinator
 * assigns, as for a KIP-848 consumer group, but a partition may go to several members and nothing is
 * revoked first. The group epoch counts changes of what the group wants (members, subscriptions, the
 * subscribed topics' partitions); the target assignment is computed for it at once. Share groups commit no
 * offsets: where each member is in a partition is the share-partition's state, kept by the share
 * coordinator. Plain state; the {@link ShareGroupManager} drives it, holding the group's monitor for every
 * access.
 */
final class ShareGroup extends Group {

    /** The protocol type Kafka's ListGroups and tools show for share groups. */
    static final String PROTOCOL_TYPE = "share";

    /** The states Kafka's tools show (Kafka's {@code ShareGroupState}). */
    enum State {
        EMPTY("Empty"), STABLE("Stable"), DEAD("Dead");

        final String kafkaName;

        State(String kafkaName) {
            this.kafkaName = kafkaName;
        }
    }

    /** A subscribed topic as the group epoch was last computed with: a new id (recreated) or partition count moves it. */
    record SubscribedTopic(Uuid id, int partitions) {
    }

    int groupEpoch;
    /** The group epoch the target assignment was computed for. */
    int assignmentEpoch;
    final Map<String, ShareGroupMember> members = new LinkedHashMap<>();
    /** The target assignment of {@link #assignmentEpoch}, by member id: topic id to partition indexes. */
    final Map<String, Map<Uuid, Set<Integer>>> targetAssignment = new HashMap<>();
    /** The subscribed topics that exist, by name, as the group epoch was last computed with. */
    Map<String, SubscribedTopic> subscriptionMetadata = Map.of();
    /**
     * The partitions whose share state may be the group's, by topic id (Kafka's initialized topics): every
     * partition of a topic it ever subscribed to, or whose offsets were altered, until DeleteShareGroupOffsets
     * removes the topic. Kept after the members leave, so that an empty group's offsets can be described and its
     * state deleted with it.
     */
    final Map<Uuid, Set<Integer>> statePartitions = new HashMap<>();
    private boolean dead;

    ShareGroup(String groupId, long now) {
        super(groupId, now);
    }

    @Override
    GroupType type() {
        return GroupType.SHARE;
    }

    State state() {
        if (dead) {
            return State.DEAD;
        }
        return members.isEmpty() ? State.EMPTY : State.STABLE;
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

    /** Adds partitions to {@link #statePartitions}. */
    void addStatePartitions(Map<Uuid, Set<Integer>> partitions) {
        partitions.forEach((topicId, indexes) -> statePartitions.computeIfAbsent(topicId, id -> new java.util.TreeSet<>())
                .addAll(indexes));
    }

    void remove(String memberId, long now) {
        ShareGroupMember removed = members.remove(memberId);
        if (removed == null) {
            return;
        }
        removed.cancelTimers();
        targetAssignment.remove(memberId);
        if (members.isEmpty()) {
            stateTimestamp = now;
        }
    }
}
