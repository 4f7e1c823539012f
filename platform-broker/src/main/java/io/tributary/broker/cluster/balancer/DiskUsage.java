package io.tributary.broker.cluster.balancer;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What the brokers answered about their disks: the size of every partition (its largest replica, since
 * a replica still catching up holds less) and each broker's log directory capacity. A broker's disk use
 * is the sum of the sizes of the partitions it holds a replica of, so it can be told even for a broker
 * that did not answer, and moves can be reckoned before they happen.
 *
 * @param partitionSizes bytes per partition; a partition no broker reported is absent
 * @param capacities     total bytes of each broker's log directory; a broker that did not answer, or
 *                       could not tell, is absent
 */
public record DiskUsage(Map<TopicPartition, Long> partitionSizes, Map<Integer, Long> capacities) {

    /** Nothing known: a round balances replica and leader counts only. */
    public static final DiskUsage UNKNOWN = new DiskUsage(Map.of(), Map.of());

    public DiskUsage {
        partitionSizes = Map.copyOf(partitionSizes);
        capacities = Map.copyOf(capacities);
    }

    /** The partition's size, or {@code -1} when no broker reported it. */
    public long size(String topic, int partition) {
        return partitionSizes.getOrDefault(new TopicPartition(topic, partition), -1L);
    }
}
