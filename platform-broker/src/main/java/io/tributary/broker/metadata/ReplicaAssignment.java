package io.tributary.broker.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntPredicate;
import org.apache.kafka.common.protocol.Errors;

/**
 * Kafka's checks of replicas a client chose for a partition (CreateTopics and CreatePartitions with a
 * manual assignment, AlterPartitionReassignments), with the controller's messages, so that a single
 * node and a cluster refuse the same lists in the same words.
 */
public final class ReplicaAssignment {

    private ReplicaAssignment() {
    }

    /**
     * Throws INVALID_REPLICA_ASSIGNMENT unless {@code replicas} is a non-empty list of distinct
     * registered brokers, as long as {@code replicationFactor} when that is given.
     */
    public static void validate(List<Integer> replicas, IntPredicate registered, OptionalInt replicationFactor) {
        if (replicas.isEmpty()) {
            throw invalid("The manual partition assignment includes an empty replica list.");
        }
        List<Integer> sorted = new ArrayList<>(replicas);
        sorted.sort(Integer::compare);
        Integer previous = null;
        for (Integer broker : sorted) {
            if (!registered.test(broker)) {
                throw invalid("The manual partition assignment includes broker " + broker
                        + ", but no such broker is registered.");
            }
            if (broker.equals(previous)) {
                throw invalid("The manual partition assignment includes the broker " + broker + " more than once.");
            }
            previous = broker;
        }
        if (replicationFactor.isPresent() && sorted.size() != replicationFactor.getAsInt()) {
            throw invalid("The manual partition assignment includes a partition with " + sorted.size()
                    + " replica(s), but this is not consistent with previous partitions, which have "
                    + replicationFactor.getAsInt() + " replica(s).");
        }
    }

    /** Validates every partition's replicas of a new topic: the first one sets the replication factor. */
    public static void validateAll(List<List<Integer>> assignments, IntPredicate registered) {
        OptionalInt replicationFactor = OptionalInt.empty();
        for (List<Integer> replicas : assignments) {
            validate(replicas, registered, replicationFactor);
            replicationFactor = OptionalInt.of(replicas.size());
        }
    }

    /** Validates the replicas of partitions added to a topic with {@code replicationFactor} replicas. */
    public static void validateAdded(List<List<Integer>> assignments, int added, int replicationFactor,
            IntPredicate registered) {
        if (assignments.size() != added) {
            throw invalid("Attempted to add " + added + " additional partition(s), but only " + assignments.size()
                    + " assignment(s) were specified.");
        }
        for (List<Integer> replicas : assignments) {
            validate(replicas, registered, OptionalInt.of(replicationFactor));
        }
    }

    public static MetadataException invalid(String message) {
        return new MetadataException(Errors.INVALID_REPLICA_ASSIGNMENT, message);
    }
}
