package io.tributary.broker.group;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;

/**
 * What every group of one id has, whatever protocol its members speak (Kafka's {@code Group}): its
 * committed offsets, which the {@link OffsetMetadataManager} keeps, and whether it is being deleted.
 * A group id names one group: a {@link ClassicGroup}, a {@link ConsumerGroup} or a {@link ShareGroup}. Every access holds
 * the group's monitor.
 */
abstract sealed class Group permits ClassicGroup, ConsumerGroup, ShareGroup {

    final String groupId;
    final Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
    /**
     * Where in {@code __consumer_offsets} each partition's offset was last written: commits may come
     * back from replication out of order, and an older one must not replace a newer one.
     */
    final Map<TopicPartition, Long> offsetPositions = new HashMap<>();
    /** When the group last changed state (for the expiry of an empty group's offsets). */
    long stateTimestamp;
    /**
     * Whether the group's tombstone is written and awaits the in-sync replicas: until its replay
     * removes the group, or the write fails, no one may join it or commit to it.
     */
    boolean deletionPending;

    Group(String groupId, long now) {
        this.groupId = groupId;
        this.stateTimestamp = now;
    }

    abstract GroupType type();

    /** The state's name as Kafka's APIs and tools show it. */
    abstract String stateName();

    /** Whether the group has no members, so that it may be deleted and its offsets expire. */
    abstract boolean isEmptyState();

    /** Dead, or about to be: requests to it are answered COORDINATOR_NOT_AVAILABLE, and clients come back. */
    abstract boolean isGone();

    /** Marks the group dead: it was deleted, or this broker no longer coordinates it. */
    abstract void markDead(long now);

    /**
     * Whether each offset expires on its own, counted from its commit: a group no member ever joined
     * (offsets committed by a "simple" consumer or a tool), as in Kafka.
     */
    abstract boolean offsetsExpireOneByOne();
}
