package io.tributary.broker.group.assignor;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a partition's replicas are (Kafka's {@code SubscribedTopicDescriber.racksForPartition}): the racks of
 * the brokers holding one, so that an assignor can give a partition to a member in one of them (KIP-881:
 * a consumer with {@code client.rack} then fetches from a replica in its own rack, and traffic stays there).
 */
@FunctionalInterface
public interface PartitionRacks {

    /** No rack information: every assignor then assigns as it would without racks. */
    PartitionRacks NONE = tp -> Set.of();

    /** The racks of the brokers that hold a replica of the partition; empty when none of them has a rack. */
    Set<String> racks(TopicPartition tp);

    /** Whether a member in {@code rack} (null: in none) is in a rack that holds a replica of the partition. */
    default boolean inRack(String rack, TopicPartition tp) {
        return rack != null && racks(tp).contains(rack);
    }
}
