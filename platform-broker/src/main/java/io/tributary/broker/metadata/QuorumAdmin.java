package io.tributary.broker.metadata;

import java.util.List;
import org.apache.kafka.common.Uuid;

/**
 * The metadata quorum as an operator sees it through Kafka's DescribeQuorum, AddRaftVoter and
 * RemoveRaftVoter ({@code kafka-metadata-quorum}): its voters and observers (broker-only nodes), each a
 * node id with the directory id of its copy of the metadata log, and changes of the voter set on a
 * running cluster.
 *
 * <p>Implementations are thread-safe; their methods block until the quorum answers.
 */
public interface QuorumAdmin {

    /** The name under which a node's Raft endpoint is described, and which AddRaftVoter's endpoints must include. */
    String RAFT_LISTENER = "RAFT";

    /**
     * The quorum as its leader sees it.
     *
     * @throws MetadataException NOT_LEADER_OR_FOLLOWER while no leader answers
     */
    QuorumDescription describe();

    /**
     * Makes {@code voterId}, running as an observer on the metadata log directory {@code directoryId}, a voter
     * reached at its {@link #RAFT_LISTENER} endpoint.
     *
     * @throws MetadataException with Kafka's error: DUPLICATE_VOTER, INVALID_REQUEST, REQUEST_TIMED_OUT (not an
     *     observer with that directory, another change under way), UNSUPPORTED_VERSION (no quorum to change)
     */
    void addVoter(int voterId, Uuid directoryId, List<QuorumDescription.Endpoint> endpoints);

    /**
     * Removes the voter {@code voterId} on {@code directoryId}; still running, it stays an observer.
     *
     * @throws MetadataException with Kafka's error: VOTER_NOT_FOUND (not a voter, another directory, the last
     *     voter), REQUEST_TIMED_OUT, UNSUPPORTED_VERSION (no quorum to change)
     */
    void removeVoter(int voterId, Uuid directoryId);

    /** Kafka's way of naming a member of the quorum in messages: {@code ReplicaKey(id=1, directoryId=Optional[…])}. */
    static String replicaKey(int id, Uuid directoryId) {
        return "ReplicaKey(id=" + id + ", directoryId="
                + (Uuid.ZERO_UUID.equals(directoryId) ? "Optional.empty" : "Optional[" + directoryId + "]") + ")";
    }
}
