package io.tributary.broker.admin.service;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.tributary.broker.metadata.BrokerStatus;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import tools.jackson.core.type.TypeReference;

/**
 * The cluster at a glance: its brokers (alive or fenced, which one is the controller, disk use — each
 * other broker's asked of it), and how many partitions are online, offline or short of in-sync
 * replicas, counted over the whole cluster from the metadata every broker replicates.
 */
public final class ClusterOverview {

    /**
     * A broker of the cluster.
     *
     * @param rack            always {@code null} for now: brokers have no rack yet
     * @param self            whether this is the broker answering
     * @param disk            its disk use, or {@code null} when it could not be asked
     * @param diskUnavailable why its disk use is missing
     */
    public record BrokerView(int nodeId, String host, int port, String rack, boolean fenced, boolean controller,
            boolean self, DiskUse disk, String diskUnavailable) {
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

    public record Overview(String clusterId, int controllerId, List<BrokerView> brokers, PartitionCounts partitions) {
    }

    private static final TypeReference<DiskUse> DISK = new TypeReference<>() {
    };

    private final TopicManager topics;
    private final PartitionManager partitions;
    private final Path dataDir;
    private final PeerBrokers peers;
    private final AdminAuthorization authorization;

    public ClusterOverview(TopicManager topics, PartitionManager partitions, Path dataDir, PeerBrokers peers,
            AdminAuthorization authorization) {
        this.topics = topics;
        this.partitions = partitions;
        this.dataDir = dataDir;
        this.peers = peers;
        this.authorization = authorization;
    }

    /** The whole cluster as this broker's metadata has it, with every reachable broker's disk use. */
    public Overview overview() {
        authorization.check(AclOperation.DESCRIBE, ResourceType.CLUSTER, "kafka-cluster", ApiKeys.DESCRIBE_CLUSTER);
        ClusterMetadata metadata = topics.store();
        int controller = metadata.controllerId();
        int self = partitions.nodeId();
        Map<Integer, PeerBrokers.Answer<DiskUse>> disks = new HashMap<>();
        peers.askOthers("/api/broker", DISK).forEach(answer -> disks.put(answer.nodeId(), answer));
        List<BrokerView> brokers = new ArrayList<>();
        for (BrokerStatus broker : metadata.brokers()) {
            DiskUse disk = null;
            String unavailable = null;
            if (broker.nodeId() == self) {
                disk = disk();
            } else if (disks.containsKey(broker.nodeId())) {
                PeerBrokers.Answer<DiskUse> answer = disks.get(broker.nodeId());
                disk = answer.value();
                unavailable = answer.problem();
            } else {
                unavailable = broker.fenced() ? "fenced" : "its HTTP port is not known";
            }
            brokers.add(new BrokerView(broker.nodeId(), broker.endpoint().host(), broker.endpoint().port(), null,
                    broker.fenced(), broker.nodeId() == controller, broker.nodeId() == self, disk, unavailable));
        }
        return new Overview(metadata.clusterId(), controller, brokers, partitionCounts(metadata));
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
                } else if (state.isUnderReplicated()) {
                    underReplicated++;
                }
            }
        }
        return new PartitionCounts(topicCount, total, total - offline, offline, underReplicated);
    }
}
