package io.tributary.broker.config;

import java.time.Duration;
import org.springframework.util.unit.DataSize;

/** Share groups, named after Kafka's {@code share.coordinator.*} configs. */
public class ShareProperties {

    /** Partitions of the internal {@code __share_group_state} topic, fixed when it is first created. */
    private int stateTopicPartitions = 50;

    /**
     * Replicas of each {@code __share_group_state} partition in a cluster, at most the brokers live when the
     * topic is created (Kafka's {@code share.coordinator.state.topic.replication.factor}).
     */
    private int stateTopicReplicationFactor = 3;

    /** Segment size of {@code __share_group_state}. */
    private DataSize stateTopicSegmentBytes = DataSize.ofMegabytes(100);

    /** How long a write to {@code __share_group_state} waits for the in-sync replicas. */
    private Duration stateWriteTimeout = Duration.ofSeconds(5);

    /**
     * How long a share-partition leader's read or write of its state keeps retrying while its share
     * coordinator moves or loads, before it fails.
     */
    private Duration statePersisterTimeout = Duration.ofSeconds(30);

    /**
     * The most records of one share-partition in flight (acquired, or waiting between acknowledged ones)
     * before no new ones are acquired (Kafka's {@code group.share.partition.max.record.locks}).
     */
    private int maxRecordLocks = 2000;

    /**
     * How many times a record is delivered before, released or timed out once more, it is archived
     * (Kafka's {@code group.share.delivery.count.limit}).
     */
    private int deliveryCountLimit = 5;

    /** The most share sessions this broker keeps (Kafka's {@code group.share.max.share.sessions}). */
    private int maxShareSessions = 2000;

    /**
     * How long a delivered record stays acquired by its consumer unless the group sets its own
     * {@code share.record.lock.duration.ms} (Kafka's {@code group.share.record.lock.duration.ms}).
     */
    private Duration recordLockDuration = Duration.ofSeconds(30);

    /** The shortest {@code share.record.lock.duration.ms} a group may set (Kafka's {@code group.share.min.record.lock.duration.ms}). */
    private Duration minRecordLockDuration = Duration.ofSeconds(15);

    /** The longest {@code share.record.lock.duration.ms} a group may set (Kafka's {@code group.share.max.record.lock.duration.ms}). */
    private Duration maxRecordLockDuration = Duration.ofSeconds(60);

    /** A share session unused this long ends, and what its member held goes back to the queue. */
    private Duration shareSessionIdleTimeout = Duration.ofMinutes(2);

    public io.tributary.broker.share.coordinator.ShareCoordinatorConfig toConfig() {
        return new io.tributary.broker.share.coordinator.ShareCoordinatorConfig(stateTopicPartitions,
                stateTopicReplicationFactor, Math.toIntExact(stateTopicSegmentBytes.toBytes()), stateWriteTimeout.toMillis());
    }

    public int getStateTopicPartitions() { return stateTopicPartitions; }
    public void setStateTopicPartitions(int value) { this.stateTopicPartitions = value; }
    public int getStateTopicReplicationFactor() { return stateTopicReplicationFactor; }
    public void setStateTopicReplicationFactor(int value) { this.stateTopicReplicationFactor = value; }
    public DataSize getStateTopicSegmentBytes() { return stateTopicSegmentBytes; }
    public void setStateTopicSegmentBytes(DataSize value) { this.stateTopicSegmentBytes = value; }
    public Duration getStateWriteTimeout() { return stateWriteTimeout; }
    public void setStateWriteTimeout(Duration value) { this.stateWriteTimeout = value; }
    public Duration getStatePersisterTimeout() { return statePersisterTimeout; }
    public int getMaxRecordLocks() { return maxRecordLocks; }
    public void setMaxRecordLocks(int value) { this.maxRecordLocks = value; }
    public int getDeliveryCountLimit() { return deliveryCountLimit; }
    public void setDeliveryCountLimit(int value) { this.deliveryCountLimit = value; }
    public int getMaxShareSessions() { return maxShareSessions; }
    public void setMaxShareSessions(int value) { this.maxShareSessions = value; }
    public Duration getShareSessionIdleTimeout() { return shareSessionIdleTimeout; }
    public Duration getRecordLockDuration() { return recordLockDuration; }
    public void setRecordLockDuration(Duration value) { this.recordLockDuration = value; }
    public Duration getMinRecordLockDuration() { return minRecordLockDuration; }
    public void setMinRecordLockDuration(Duration value) { this.minRecordLockDuration = value; }
    public Duration getMaxRecordLockDuration() { return maxRecordLockDuration; }
    public void setMaxRecordLockDuration(Duration value) { this.maxRecordLockDuration = value; }
    public void setShareSessionIdleTimeout(Duration value) { this.shareSessionIdleTimeout = value; }
    public void setStatePersisterTimeout(Duration value) { this.statePersisterTimeout = value; }
}
