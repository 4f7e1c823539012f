package io.tributary.broker.admin.service;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.tributary.broker.metadata.BrokerStatus;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;

/**
 * The cluster at a glance: its brokers (alive or fenced, which one is the controller), how many
 * partitions are online, offline or short of in-sync replicas — counted over the whole cluster from
 * the metadata every broker replicates — and this broker's disk use.
 */
public final class ClusterOverview {

    /**
     * A broker of the cluster.
     *
     * @param rack always {@code null} for now: brokers have no rack yet
     * @param self whether this is the broker answering
     */
    public record BrokerView(int nodeId, String host, int port, String rack, boolean fenced, boolean controller,
            boolean self) {
    }

    /**
     * Disk use of this broker's data directory.
     *
     * @param logBytes   bytes of the partition logs held here
     * @param totalBytes size of the file system the directory is on
     * @param freeBytes  bytes still usable there
     */
    public record DiskUse(int nodeId, String dataDir, long logBytes, long totalBytes, long freeBytes) {

        public double usedFraction() {
            return totalBytes <= 0 ? 0 : 1.0 - (double) freeBytes / totalBytes;
        }
    }

    public record PartitionCounts(int topics, int total, int online, int offline, int underReplicated) {
    }

    public record Overview(String clusterId, int controllerId, List<BrokerView> brokers, PartitionCounts partitions,
            DiskUse disk) {
    }

    private final TopicManager topics;
    private final PartitionManager partitions;
    private final Path dataDir;

    public ClusterOverview(TopicManager topics, PartitionManager partitions, Path dataDir) {
        this.topics = topics;
        this.partitions = partitions;
        this.dataDir = dataDir;
    }

    public Overview overview() {
        ClusterMetadata metadata = topics.store();
        int controller = metadata.controllerId();
        int self = partitions.nodeId();
        List<BrokerView> brokers = new ArrayList<>();
        for (BrokerStatus broker : metadata.brokers()) {
            brokers.add(new BrokerView(broker.nodeId(), broker.endpoint().host(), broker.endpoint().port(), null,
                    broker.fenced(), broker.nodeId() == controller, broker.nodeId() == self));
        }
        return new Overview(metadata.clusterId(), controller, brokers, partitionCounts(metadata), disk());
    }

    public DiskUse disk() {
        long logBytes = 0;
        for (Partition partition : partitions.partitions()) {
            logBytes += partition.log().sizeInBytes();
        }
        long total = -1;
        long free = -1;
        try {
            FileStore store = Files.getFileStore(dataDir);
            total = store.getTotalSpace();
            free = store.getUsableSpace();
        } catch (IOException e) {
            // The directory went away or is unreadable: the health indicator reports that; show unknown here.
        }
        return new DiskUse(partitions.nodeId(), dataDir.toAbsolutePath().toString(), logBytes, total, free);
    }

    private static PartitionCounts partitionCounts(ClusterMetadata metadata) {
        int topicCount = 0;
        int total = 0;
        int offline = 0;
        int underReplicated = 0;
        for (TopicInfo topic : metadata.topics()) {
            topicCount++;
            for (int index = 0; index < topic.partitionCount(); index++) {
                PartitionState state = metadata.partition(topic.name(), index).orElse(null);
                if (state == null) {
                    continue;
                }
                total++;
                if (state.leader() == PartitionState.NO_LEADER) {
                    offline++;
                } else if (state.isr().size() < state.replicas().size()) {
                    underReplicated++;
                }
            }
        }
        return new PartitionCounts(topicCount, total, total - offline, offline, underReplicated);
    }
}
