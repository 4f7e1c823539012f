package io.tributary.broker.group.assignor;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * A server-side assignor of KIP-848 consumer groups (Kafka's {@code ConsumerGroupPartitionAssignor}):
 * from the members' subscriptions and the topics' partition counts, the target assignment of the
 * group's next epoch. It is a pure function, so that the coordinator can run it under the group's lock
 * and a load replays to the same state.
 */
public interface ConsumerGroupAssignor {

    /** The name a consumer chooses it by ({@code group.remote.assignor}). */
    String name();

    /**
     * @param members           the members, in a stable order
     * @param partitionCounts   each subscribed topic that exists, with its partition count
     * @param currentAssignment the previous target assignment, by member id, for assignors that keep what they can
     * @param racks             the racks of each partition's replicas: a partition goes to a member in one of
     *                          them where that keeps the assignment as balanced as it would be without racks
     * @return every member's partitions (an empty set for a member that gets none); each partition of a
     *         topic some member subscribes to is given to exactly one member subscribing to it
     */
    Map<String, Set<TopicPartition>> assign(java.util.List<AssignmentMember> members, Map<String, Integer> partitionCounts,
            Map<String, Set<TopicPartition>> currentAssignment, PartitionRacks racks);

    /** The assignment without rack information. */
    default Map<String, Set<TopicPartition>> assign(java.util.List<AssignmentMember> members,
            Map<String, Integer> partitionCounts, Map<String, Set<TopicPartition>> currentAssignment) {
        return assign(members, partitionCounts, currentAssignment, PartitionRacks.NONE);
    }

    /** What an assignor knows of a member; {@code rackId} is its {@code client.rack}, or null. */
    record AssignmentMember(String memberId, String instanceId, String rackId, Set<String> subscribedTopics) {

        public AssignmentMember {
            subscribedTopics = Set.copyOf(subscribedTopics);
        }
    }
}
