package io.tributary.broker.metadata;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;

/**
 * A single node's answer about the metadata quorum: as a single Kafka broker in combined mode with a
 * static quorum, it is the only voter and always the leader, and its voter set cannot change (Kafka
 * answers UNSUPPORTED_VERSION while the {@code kraft.version} feature is 0). It keeps no metadata log:
 * its metadata is in its data directory, so the log is described as empty.
 */
public final class SingleNodeQuorum implements QuorumAdmin {

    private final int nodeId;

    public SingleNodeQuorum(int nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public QuorumDescription describe() {
        long now = System.currentTimeMillis();
        return new QuorumDescription(nodeId, 0, 0,
                List.of(new QuorumDescription.ReplicaState(nodeId, Uuid.ZERO_UUID, 0, -1, now)), List.of(), Map.of());
    }

    @Override
    public void addVoter(int voterId, Uuid directoryId, List<QuorumDescription.Endpoint> endpoints) {
        throw new MetadataException(Errors.UNSUPPORTED_VERSION, "Cluster doesn't support adding voter because the "
                + "kraft.version feature is 0: a single-node broker has no metadata quorum to change");
    }

    @Override
    public void removeVoter(int voterId, Uuid directoryId) {
        throw new MetadataException(Errors.UNSUPPORTED_VERSION, "Cluster doesn't support removing voter because the "
                + "kraft.version feature is 0: a single-node broker has no metadata quorum to change");
    }
}
