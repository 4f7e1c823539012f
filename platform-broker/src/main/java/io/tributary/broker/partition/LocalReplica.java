package io.tributary.broker.partition;

import io.tributary.broker.log.LogConfig;
import io.tributary.broker.metadata.TopicInfo;

/** What the cluster metadata says about one replica this broker must hold. */
public record LocalReplica(TopicInfo topic, int leaderEpoch, boolean leader, LogConfig config) {
}
