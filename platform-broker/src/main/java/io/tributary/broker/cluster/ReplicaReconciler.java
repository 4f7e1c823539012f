package io.tributary.broker.cluster;

import java.util.function.LongSupplier;
import java.util.HashMap;
import java.util.Map;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.ThrottledReplicas;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.partition.LocalReplica;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;

/**
 * Keeps this broker's partitions in line with its replica of the metadata: a log for every
 * partition it is a replica of, leading those it leads in their current epoch, fetching the others
 * from their leaders, and no other log.
 * It stays idle until the replica has caught up with the quorum at start-up, because a replica
 * half-way through replaying the log would have the logs of topics it has not replayed yet deleted.
 *
 * <p>Thread-safe: each refresh reads the newest image under the reconciler's lock.
 */
public final class ReplicaReconciler {

    private final int nodeId;
    private final MetadataQuorum quorum;
    private final PartitionManager partitions;
    private final TopicConfigs configs;
    private final ReplicaFetchers fetchers;
    private volatile boolean caughtUp;

    public ReplicaReconciler(int nodeId, MetadataQuorum quorum, PartitionManager partitions, TopicConfigs configs) {
        this(nodeId, quorum, partitions, configs, InterBrokerClient.PLAINTEXT);
    }

    /** @param interBroker how replica fetchers connect to leaders */
    public ReplicaReconciler(int nodeId, MetadataQuorum quorum, PartitionManager partitions, TopicConfigs configs,
            InterBrokerClient interBroker) {
        this(nodeId, () -> BrokerRegistration.UNKNOWN_EPOCH, quorum, partitions, configs, interBroker);
    }

    /** @param brokerEpoch this broker's current broker epoch, which its replica fetchers send (KIP-903) */
    public ReplicaReconciler(int nodeId, LongSupplier brokerEpoch, MetadataQuorum quorum, PartitionManager partitions,
            TopicConfigs configs, InterBrokerClient interBroker) {
        this.nodeId = nodeId;
        this.quorum = quorum;
        this.partitions = partitions;
        this.configs = configs;
        this.fetchers = new ReplicaFetchers(nodeId, brokerEpoch, partitions, interBroker);
        quorum.onChange(image -> {
            if (caughtUp) {
                refresh();
            }
        });
    }

    /** The replica has caught up with the quorum: from now on the partitions follow it. */
    public void caughtUp() {
        caughtUp = true;
        refresh();
    }

    private synchronized void refresh() {
        MetadataImage image = quorum.image();
        Map<TopicPartition, LocalReplica> wanted = wanted(image, nodeId, configs);
        partitions.reconcile(wanted);
        throttle(wanted);
        fetchers.update(image, wanted);
    }

    /** The partitions whose topics list this broker's replica as throttled, on either side. */
    private void throttle(Map<TopicPartition, LocalReplica> wanted) {
        java.util.Set<TopicPartition> asLeader = new java.util.HashSet<>();
        java.util.Set<TopicPartition> asFollower = new java.util.HashSet<>();
        Map<String, ThrottledReplicas[]> byTopic = new HashMap<>();
        for (Map.Entry<TopicPartition, LocalReplica> entry : wanted.entrySet()) {
            ThrottledReplicas[] lists = byTopic.computeIfAbsent(entry.getKey().topic(), name -> {
                Map<String, String> topicConfigs = entry.getValue().topic().configs();
                return new ThrottledReplicas[] {
                    ThrottledReplicas.parse(ThrottledReplicas.LEADER_CONFIG, topicConfigs.get(ThrottledReplicas.LEADER_CONFIG)),
                    ThrottledReplicas.parse(ThrottledReplicas.FOLLOWER_CONFIG, topicConfigs.get(ThrottledReplicas.FOLLOWER_CONFIG))};
            });
            int index = entry.getKey().partition();
            if (lists[0].includes(index, nodeId)) {
                asLeader.add(entry.getKey());
            }
            if (lists[1].includes(index, nodeId)) {
                asFollower.add(entry.getKey());
            }
        }
        partitions.throttles().throttle(asLeader, asFollower);
    }

    /** Stops fetching from the leaders. */
    /** Why this broker's replica fetchers cannot fetch from some brokers, by node id; empty when all work. */
    public java.util.Map<Integer, String> replicationFailures() {
        return fetchers.failures();
    }

    public void close() {
        fetchers.close();
    }

    static Map<TopicPartition, LocalReplica> wanted(MetadataImage image, int nodeId, TopicConfigs configs) {
        Map<TopicPartition, LocalReplica> wanted = new HashMap<>();
        for (TopicState topic : image.topics().values()) {
            var logConfig = configs.toLogConfig(topic.info().configs());
            for (int index = 0; index < topic.partitions().size(); index++) {
                PartitionState state = topic.partitions().get(index);
                if (state.replicas().contains(nodeId)) {
                    wanted.put(new TopicPartition(topic.info().name(), index),
                            new LocalReplica(topic.info(), state, logConfig));
                }
            }
        }
        return wanted;
    }
}
