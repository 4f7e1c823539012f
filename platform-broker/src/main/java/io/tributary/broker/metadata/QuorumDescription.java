package io.tributary.broker.metadata;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * The metadata quorum at one moment, as DescribeQuorum answers it: positions are Kafka offsets, one past
 * the last entry (a Raft log index plus one).
 *
 * @param leaderId      the leader's node id, which is the active controller
 * @param leaderEpoch   the leader's Raft term
 * @param highWatermark one past the last committed entry
 * @param voters        the voters, the leader among them
 * @param observers     the non-voting members: broker-only nodes
 * @param endpoints     each member's Raft endpoint, by node id
 */
public record QuorumDescription(int leaderId, int leaderEpoch, long highWatermark, List<ReplicaState> voters,
        List<ReplicaState> observers, Map<Integer, Endpoint> endpoints) {

    public QuorumDescription {
        voters = List.copyOf(voters);
        observers = List.copyOf(observers);
        endpoints = Map.copyOf(endpoints);
    }

    /**
     * One member of the quorum.
     *
     * @param logEndOffset          how far its log is known to reach, -1 if unknown
     * @param lastFetchTimestamp    when the leader last heard from it (epoch milliseconds), -1 for the leader or if unknown
     * @param lastCaughtUpTimestamp when it was last known to have everything committed, -1 if unknown
     */
    public record ReplicaState(int replicaId, Uuid directoryId, long logEndOffset, long lastFetchTimestamp,
            long lastCaughtUpTimestamp) {
    }

    /** A named endpoint of a member. */
    public record Endpoint(String name, String host, int port) {
    }
}
