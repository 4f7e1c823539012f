package io.tributary.broker.partition;

import io.tributary.broker.log.LogConfig;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;

/** What the cluster metadata says about one replica this broker must hold. */
public record LocalReplica(TopicInfo topic, PartitionState state, LogConfig config) {

    public int leaderEpoch() {
        return state.leaderEpoch();
    }

    public boolean leads(int nodeId) {
        return state.leader() == nodeId;
    }
}
