package io.tributary.broker.config;

import java.time.Duration;
import org.springframework.util.unit.DataSize;

/** Consumer groups and their committed offsets, named after Kafka's {@code group.*} and {@code offsets.*} configs. */
public class GroupProperties {

    /** Partitions of the internal {@code __consumer_offsets} topic, fixed when it is first created. */
    private int offsetsTopicNumPartitions = 50;

    /**
     * Replicas of each {@code __consumer_offsets} partition in a cluster, at most the brokers live
     * when the topic is created (Kafka's {@code offsets.topic.replication.factor}).
     */
    private int offsetsTopicReplicationFactor = 3;

    /** How long an offset commit waits for the in-sync replicas to hold it ({@code offsets.commit.timeout.ms}). */
    private Duration offsetCommitTimeout = Duration.ofSeconds(5);

    /** Segment size of {@code __consumer_offsets}. */
    private DataSize offsetsTopicSegmentBytes = DataSize.ofMegabytes(100);

    /** The shortest session timeout a consumer may ask for. */
    private Duration minSessionTimeout = Duration.ofSeconds(6);

    /** The longest session timeout a consumer may ask for. */
    private Duration maxSessionTimeout = Duration.ofMinutes(30);

    /** How long a new group waits for more members before its first rebalance completes. */
    private Duration initialRebalanceDelay = Duration.ofSeconds(3);

    /** How long the offsets of a group without members are kept. */
    private Duration offsetsRetention = Duration.ofDays(7);

    /** How often expired offsets are looked for. */
    private Duration offsetsRetentionCheckInterval = Duration.ofMinutes(10);

    /** The longest metadata string a committed offset may carry. */
    private int offsetMetadataMaxBytes = 4096;

    /** A consumer-protocol member that does not heartbeat this long is removed ({@code group.consumer.session.timeout.ms}). */
    private Duration consumerSessionTimeout = Duration.ofSeconds(45);

    /** How often consumer-protocol members heartbeat ({@code group.consumer.heartbeat.interval.ms}). */
    private Duration consumerHeartbeatInterval = Duration.ofSeconds(5);

    /** The server-side assignors consumer-protocol members may choose, the first the default ({@code group.consumer.assignors}). */
    private java.util.List<String> consumerAssignors = new java.util.ArrayList<>(java.util.List.of("uniform", "range"));

    /**
     * Whether a live group may move between the classic and the consumer protocol, and which way:
     * bidirectional, upgrade, downgrade or disabled ({@code group.consumer.migration.policy}).
     */
    private io.tributary.broker.group.ConsumerGroupMigrationPolicy consumerMigrationPolicy =
            io.tributary.broker.group.ConsumerGroupMigrationPolicy.BIDIRECTIONAL;

    /** The most members one consumer-protocol group takes; a larger classic group is not upgraded ({@code group.consumer.max.size}). */
    private int consumerMaxSize = Integer.MAX_VALUE;

    /** The most members one classic group takes; a larger group is not downgraded to it ({@code group.max.size}). */
    private int classicMaxSize = Integer.MAX_VALUE;

    /** A share-group member that does not heartbeat this long is removed ({@code group.share.session.timeout.ms}). */
    private Duration shareSessionTimeout = Duration.ofSeconds(45);

    /** How often share-group members heartbeat ({@code group.share.heartbeat.interval.ms}). */
    private Duration shareHeartbeatInterval = Duration.ofSeconds(5);

    /** The most members one share group takes ({@code group.share.max.size}). */
    private int shareMaxSize = 200;

    public io.tributary.broker.group.GroupCoordinatorConfig toConfig() {
        return new io.tributary.broker.group.GroupCoordinatorConfig(offsetsTopicNumPartitions,
                Math.toIntExact(offsetsTopicSegmentBytes.toBytes()), Math.toIntExact(minSessionTimeout.toMillis()),
                Math.toIntExact(maxSessionTimeout.toMillis()), Math.toIntExact(initialRebalanceDelay.toMillis()),
                offsetsRetention.toMillis(), offsetsRetentionCheckInterval.toMillis(), offsetMetadataMaxBytes,
                offsetsTopicReplicationFactor, offsetCommitTimeout.toMillis()).withConsumerGroups(
                new io.tributary.broker.group.ConsumerGroupConfig(Math.toIntExact(consumerSessionTimeout.toMillis()),
                        Math.toIntExact(consumerHeartbeatInterval.toMillis()), consumerAssignors,
                        consumerMigrationPolicy, consumerMaxSize)).withClassicMaxSize(classicMaxSize).withShareGroups(
                new io.tributary.broker.group.ShareGroupConfig(Math.toIntExact(shareSessionTimeout.toMillis()),
                        Math.toIntExact(shareHeartbeatInterval.toMillis()), shareMaxSize));
    }

    public Duration getShareSessionTimeout() { return shareSessionTimeout; }
    public void setShareSessionTimeout(Duration value) { this.shareSessionTimeout = value; }
    public Duration getShareHeartbeatInterval() { return shareHeartbeatInterval; }
    public void setShareHeartbeatInterval(Duration value) { this.shareHeartbeatInterval = value; }
    public int getShareMaxSize() { return shareMaxSize; }
    public void setShareMaxSize(int value) { this.shareMaxSize = value; }

    public int getConsumerMaxSize() { return consumerMaxSize; }
    public void setConsumerMaxSize(int value) { this.consumerMaxSize = value; }
    public int getClassicMaxSize() { return classicMaxSize; }
    public void setClassicMaxSize(int value) { this.classicMaxSize = value; }

    public Duration getConsumerSessionTimeout() { return consumerSessionTimeout; }
    public void setConsumerSessionTimeout(Duration value) { this.consumerSessionTimeout = value; }
    public Duration getConsumerHeartbeatInterval() { return consumerHeartbeatInterval; }
    public void setConsumerHeartbeatInterval(Duration value) { this.consumerHeartbeatInterval = value; }
    public java.util.List<String> getConsumerAssignors() { return consumerAssignors; }
    public void setConsumerAssignors(java.util.List<String> value) { this.consumerAssignors = value; }
    public io.tributary.broker.group.ConsumerGroupMigrationPolicy getConsumerMigrationPolicy() { return consumerMigrationPolicy; }
    public void setConsumerMigrationPolicy(io.tributary.broker.group.ConsumerGroupMigrationPolicy value) { this.consumerMigrationPolicy = value; }

    public int getOffsetsTopicReplicationFactor() { return offsetsTopicReplicationFactor; }
    public void setOffsetsTopicReplicationFactor(int value) { this.offsetsTopicReplicationFactor = value; }
    public Duration getOffsetCommitTimeout() { return offsetCommitTimeout; }
    public void setOffsetCommitTimeout(Duration value) { this.offsetCommitTimeout = value; }

    public int getOffsetsTopicNumPartitions() { return offsetsTopicNumPartitions; }
    public void setOffsetsTopicNumPartitions(int value) { this.offsetsTopicNumPartitions = value; }
    public DataSize getOffsetsTopicSegmentBytes() { return offsetsTopicSegmentBytes; }
    public void setOffsetsTopicSegmentBytes(DataSize value) { this.offsetsTopicSegmentBytes = value; }
    public Duration getMinSessionTimeout() { return minSessionTimeout; }
    public void setMinSessionTimeout(Duration value) { this.minSessionTimeout = value; }
    public Duration getMaxSessionTimeout() { return maxSessionTimeout; }
    public void setMaxSessionTimeout(Duration value) { this.maxSessionTimeout = value; }
    public Duration getInitialRebalanceDelay() { return initialRebalanceDelay; }
    public void setInitialRebalanceDelay(Duration value) { this.initialRebalanceDelay = value; }
    public Duration getOffsetsRetention() { return offsetsRetention; }
    public void setOffsetsRetention(Duration value) { this.offsetsRetention = value; }
    public Duration getOffsetsRetentionCheckInterval() { return offsetsRetentionCheckInterval; }
    public void setOffsetsRetentionCheckInterval(Duration value) { this.offsetsRetentionCheckInterval = value; }
    public int getOffsetMetadataMaxBytes() { return offsetMetadataMaxBytes; }
    public void setOffsetMetadataMaxBytes(int value) { this.offsetMetadataMaxBytes = value; }
}
