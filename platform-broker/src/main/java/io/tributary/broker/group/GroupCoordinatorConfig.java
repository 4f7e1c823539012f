package io.tributary.broker.group;

/**
 * The group coordinator's settings, named after Kafka's broker configs.
 *
 * @param offsetsTopicPartitions   {@code offsets.topic.num.partitions}: partitions of {@code __consumer_offsets}
 * @param offsetsTopicSegmentBytes {@code offsets.topic.segment.bytes}
 * @param minSessionTimeoutMs      {@code group.min.session.timeout.ms}
 * @param maxSessionTimeoutMs      {@code group.max.session.timeout.ms}
 * @param initialRebalanceDelayMs  {@code group.initial.rebalance.delay.ms}: how long a new group waits for more members
 * @param offsetsRetentionMs       {@code offsets.retention.minutes}, in ms: how long an empty group's offsets are kept
 * @param offsetsRetentionCheckIntervalMs {@code offsets.retention.check.interval.ms}
 * @param offsetMetadataMaxBytes   {@code offset.metadata.max.bytes}
 * @param offsetsTopicReplicationFactor {@code offsets.topic.replication.factor}, in a cluster; capped by the
 *                                 brokers live when the topic is created
 * @param offsetCommitTimeoutMs    {@code offsets.commit.timeout.ms}: how long a commit waits for the in-sync replicas
 * @param consumerGroups           the settings of KIP-848 consumer groups
 * @param shareGroups              the settings of KIP-932 share groups
 * @param classicMaxSize           {@code group.max.size}: the most members one classic group takes; a consumer group
 *                                 that would be larger than this as a classic group is not downgraded
 */
public record GroupCoordinatorConfig(int offsetsTopicPartitions, int offsetsTopicSegmentBytes, int minSessionTimeoutMs,
        int maxSessionTimeoutMs, int initialRebalanceDelayMs, long offsetsRetentionMs,
        long offsetsRetentionCheckIntervalMs, int offsetMetadataMaxBytes, int offsetsTopicReplicationFactor,
        long offsetCommitTimeoutMs, ConsumerGroupConfig consumerGroups, ShareGroupConfig shareGroups, int classicMaxSize) {

    public GroupCoordinatorConfig {
        if (shareGroups == null) {
            shareGroups = ShareGroupConfig.DEFAULT;
        }
        if (classicMaxSize <= 0) {
            throw new IllegalArgumentException("group.max.size must be positive: " + classicMaxSize);
        }
    }

    public GroupCoordinatorConfig(int offsetsTopicPartitions, int offsetsTopicSegmentBytes, int minSessionTimeoutMs,
            int maxSessionTimeoutMs, int initialRebalanceDelayMs, long offsetsRetentionMs,
            long offsetsRetentionCheckIntervalMs, int offsetMetadataMaxBytes, int offsetsTopicReplicationFactor,
            long offsetCommitTimeoutMs, ConsumerGroupConfig consumerGroups) {
        this(offsetsTopicPartitions, offsetsTopicSegmentBytes, minSessionTimeoutMs, maxSessionTimeoutMs,
                initialRebalanceDelayMs, offsetsRetentionMs, offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes,
                offsetsTopicReplicationFactor, offsetCommitTimeoutMs, consumerGroups, ShareGroupConfig.DEFAULT, Integer.MAX_VALUE);
    }

    public GroupCoordinatorConfig(int offsetsTopicPartitions, int offsetsTopicSegmentBytes, int minSessionTimeoutMs,
            int maxSessionTimeoutMs, int initialRebalanceDelayMs, long offsetsRetentionMs,
            long offsetsRetentionCheckIntervalMs, int offsetMetadataMaxBytes, int offsetsTopicReplicationFactor,
            long offsetCommitTimeoutMs) {
        this(offsetsTopicPartitions, offsetsTopicSegmentBytes, minSessionTimeoutMs, maxSessionTimeoutMs,
                initialRebalanceDelayMs, offsetsRetentionMs, offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes,
                offsetsTopicReplicationFactor, offsetCommitTimeoutMs, ConsumerGroupConfig.DEFAULT);
    }

    public GroupCoordinatorConfig(int offsetsTopicPartitions, int offsetsTopicSegmentBytes, int minSessionTimeoutMs,
            int maxSessionTimeoutMs, int initialRebalanceDelayMs, long offsetsRetentionMs,
            long offsetsRetentionCheckIntervalMs, int offsetMetadataMaxBytes) {
        this(offsetsTopicPartitions, offsetsTopicSegmentBytes, minSessionTimeoutMs, maxSessionTimeoutMs,
                initialRebalanceDelayMs, offsetsRetentionMs, offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, 3, 5_000);
    }

    /** The same settings with these for consumer groups. */
    public GroupCoordinatorConfig withConsumerGroups(ConsumerGroupConfig settings) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, offsetsTopicSegmentBytes, minSessionTimeoutMs,
                maxSessionTimeoutMs, initialRebalanceDelayMs, offsetsRetentionMs, offsetsRetentionCheckIntervalMs,
                offsetMetadataMaxBytes, offsetsTopicReplicationFactor, offsetCommitTimeoutMs, settings, shareGroups, classicMaxSize);
    }

    /** The same settings with these for share groups. */
    public GroupCoordinatorConfig withShareGroups(ShareGroupConfig settings) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, offsetsTopicSegmentBytes, minSessionTimeoutMs,
                maxSessionTimeoutMs, initialRebalanceDelayMs, offsetsRetentionMs, offsetsRetentionCheckIntervalMs,
                offsetMetadataMaxBytes, offsetsTopicReplicationFactor, offsetCommitTimeoutMs, consumerGroups, settings, classicMaxSize);
    }

    /** The same settings with this {@code group.max.size}. */
    public GroupCoordinatorConfig withClassicMaxSize(int maxSize) {
        return new GroupCoordinatorConfig(offsetsTopicPartitions, offsetsTopicSegmentBytes, minSessionTimeoutMs,
                maxSessionTimeoutMs, initialRebalanceDelayMs, offsetsRetentionMs, offsetsRetentionCheckIntervalMs,
                offsetMetadataMaxBytes, offsetsTopicReplicationFactor, offsetCommitTimeoutMs, consumerGroups, shareGroups, maxSize);
    }

    public static final GroupCoordinatorConfig DEFAULT = new GroupCoordinatorConfig(50, 100 * 1024 * 1024, 6_000,
            1_800_000, 3_000, 7L * 24 * 60 * 60 * 1000, 600_000, 4096);
}
