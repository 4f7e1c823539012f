package io.tributary.broker.group.assignor;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's default server-side assignor, {@code uniform}: spreads partitions as evenly as the
 * subscriptions allow and keeps each partition where it was whenever that stays balanced, so a
 * member joining or leaving moves as few partitions as it can.
 *
 * <p>It keeps the previous owner of every partition still subscribed to, gives each other partition
 * to the least loaded member subscribing to its topic, then moves partitions one at a time from a
 * member to a less loaded one that subscribes to the topic until no move makes two members' loads
 * differ less. With racks (KIP-881) it then moves, or swaps, partitions into a rack that holds a
 * replica of them wherever that leaves the loads no less balanced: balance first, then racks, then
 * stickiness. Every step is in a fixed order, so the same input gives the same assignment, and an
 * assignment it made is kept as it is when nothing changed ({@link UniformAssignmentBuilder}).
 */
public final class UniformAssignor implements ConsumerGroupAssignor {

    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Set<TopicPartition>> assign(List<AssignmentMember> members, Map<String, Integer> partitionCounts,
            Map<String, Set<TopicPartition>> currentAssignment, PartitionRacks racks) {
        return new UniformAssignmentBuilder(members, partitionCounts, racks).build(currentAssignment);
    }
}
