package io.tributary.broker.share.coordinator;

/**
 * The share coordinator's settings, named after Kafka's {@code share.coordinator.*} broker configs.
 *
 * @param topicPartitions        {@code share.coordinator.state.topic.num.partitions}: partitions of {@code __share_group_state}
 * @param topicReplicationFactor {@code share.coordinator.state.topic.replication.factor}, in a cluster; capped by the
 *                               brokers live when the topic is created
 * @param topicSegmentBytes      {@code share.coordinator.state.topic.segment.bytes}
 * @param writeTimeoutMs         {@code share.coordinator.write.timeout.ms}: how long a write waits for the in-sync replicas
 */
public record ShareCoordinatorConfig(int topicPartitions, int topicReplicationFactor, int topicSegmentBytes,
        long writeTimeoutMs) {

    public static final ShareCoordinatorConfig DEFAULT = new ShareCoordinatorConfig(50, 3, 100 * 1024 * 1024, 5_000);
}
