package io.tributary.broker.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;

/**
 * How far each group's committed offsets trail the partitions' high watermarks: the one place that
 * computes consumer lag, for metrics and for the admin API.
 */
public final class ConsumerLag {

    /**
     * The lag of one group on one partition.
     *
     * @param committedOffset the group's committed offset
     * @param endOffset       the partition's high watermark (what a consumer can read up to)
     * @param lag             {@code endOffset - committedOffset}, never below 0
     */
    public record PartitionLag(String groupId, TopicPartition topicPartition, long committedOffset, long endOffset,
            long lag) {
    }

    private final GroupCoordinator groups;
    private final PartitionManager partitions;

    public ConsumerLag(GroupCoordinator groups, PartitionManager partitions) {
        this.groups = groups;
        this.partitions = partitions;
    }

    /** The lag of a group on every partition it committed an offset for and that still exists. */
    public List<PartitionLag> of(String groupId) {
        List<PartitionLag> lags = new ArrayList<>();
        for (Map.Entry<TopicPartition, CommittedOffset> entry : groups.committedOffsets(groupId, null).entrySet()) {
            Partition partition = partitions.partition(entry.getKey()).orElse(null);
            if (partition == null || entry.getValue().offset() < 0) {
                continue;
            }
            long end = partition.log().highWatermark();
            long committed = entry.getValue().offset();
            lags.add(new PartitionLag(groupId, entry.getKey(), committed, end, Math.max(0, end - committed)));
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
}
