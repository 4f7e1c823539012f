package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * How far each group's durable position trails the partitions' high watermarks: the one place that
 * computes lag, for metrics and for the admin API, for groups of every type.
 *
 * <p>A classic or consumer group's position on a partition is its committed offset. A share group commits
 * no offsets: its position is the share-partition's start offset (read through {@link ShareGroupOffsets}),
 * before which every record is done with (acknowledged or archived); from it on, records are available,
 * in flight or not yet delivered, so the lag is the share group's backlog, as Kafka 4.2 defines it (KIP-1226).
 */
public final class ConsumerLag {

    /** How long a share group's start offsets may take to read (they may be on another broker). */
    private static final long SHARE_READ_TIMEOUT_MS = 5_000;

    /**
     * The lag of one group on one partition.
     *
     * @param groupType       the group's type: classic, consumer or share
     * @param committedOffset the group's position: its committed offset, or a share group's start offset
     * @param endOffset       the partition's high watermark (what a consumer can read up to)
     * @param lag             {@code endOffset - committedOffset}, never below 0
     */
    public record PartitionLag(String groupId, GroupType groupType, TopicPartition topicPartition, long committedOffset,
            long endOffset, long lag) {
    }

    private final GroupCoordinator groups;
    private final PartitionManager partitions;
    private final ShareGroupOffsets shareOffsets;

    public ConsumerLag(GroupCoordinator groups, PartitionManager partitions, ShareGroupOffsets shareOffsets) {
        this.groups = groups;
        this.partitions = partitions;
        this.shareOffsets = shareOffsets;
    }

    /**
     * The group's durable position on each partition it has one for: committed offsets, or a share group's
     * start offsets (partitions whose share state was never initialized, or could not be read, are left out).
     */
    public Map<TopicPartition, Long> positions(String groupId) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        if (groupType(groupId) == GroupType.SHARE) {
            for (ShareGroupOffsets.TopicOffsets topic : shareStartOffsets(groupId)) {
                for (ShareGroupOffsets.PartitionOffset partition : topic.partitions()) {
                    if (partition.error() == Errors.NONE && partition.startOffset() >= 0) {
                        positions.put(new TopicPartition(topic.topic(), partition.partition()), partition.startOffset());
                    }
                }
            }
            return positions;
        }
        groups.committedOffsets(groupId, null).forEach((tp, committed) -> {
            if (committed.offset() >= 0) {
                positions.put(tp, committed.offset());
            }
        });
        return positions;
    }

    /** The group's type; classic for a group gone meanwhile (it then has nothing to show). */
    public GroupType groupType(String groupId) {
        return groups.groupType(groupId).orElse(GroupType.CLASSIC);
    }

    /** The lag of a group on every partition it has a position on and that this broker holds. */
    public List<PartitionLag> of(String groupId) {
        GroupType type = groupType(groupId);
        List<PartitionLag> lags = new ArrayList<>();
        for (Map.Entry<TopicPartition, Long> entry : positions(groupId).entrySet()) {
            Partition partition = partitions.partition(entry.getKey()).orElse(null);
            if (partition == null) {
                continue;
            }
            long end = partition.log().highWatermark();
            long position = entry.getValue();
            lags.add(new PartitionLag(groupId, type, entry.getKey(), position, end, Math.max(0, end - position)));
        }
        return lags;
    }

    /** The lag of every group. */
    public List<PartitionLag> all() {
        List<PartitionLag> lags = new ArrayList<>();
        for (GroupCoordinator.GroupSummary group : groups.listGroups()) {
            lags.addAll(of(group.groupId()));
        }
        return lags;
    }

    /** The share group's start offsets; none when they cannot be read now (coordinator moved, timeout). */
    private List<ShareGroupOffsets.TopicOffsets> shareStartOffsets(String groupId) {
        try {
            return shareOffsets.describe(groupId, null).get(SHARE_READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (CoordinatorException | ExecutionException | TimeoutException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
