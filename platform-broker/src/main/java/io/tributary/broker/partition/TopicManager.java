package io.tributary.broker.partition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.ReplicaAssignment;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of topics on this broker: created, given partitions, reconfigured and deleted, each
 * change recorded in the cluster metadata first. On a single node it is then applied here to the
 * partitions and their logs; in a cluster every broker's {@code ReplicaReconciler} applies it when
 * its replica of the metadata changes.
 *
 * <p>Thread-safe: changes are serialized.
 */
public final class TopicManager {

    private static final Logger log = LoggerFactory.getLogger(TopicManager.class);

    private final ClusterMetadata store;
    private final TopicConfigs configs;
    private final PartitionManager partitions;
    private final LogManager logManager;

    public TopicManager(ClusterMetadata store, TopicConfigs configs, PartitionManager partitions, LogManager logManager) {
        this.store = store;
        this.configs = configs;
        this.partitions = partitions;
        this.logManager = logManager;
        partitions.minInsyncReplicas(topic -> store.topic(topic).map(info -> configs.minInsyncReplicas(info.configs()))
                .orElse(1));
    }

    /** Leads every known topic's partitions and deletes logs whose topic no longer exists. */
    public synchronized void startup() throws IOException {
        if (store.isReplicated()) {
            log.info("Serving {} partitions of {} topics as replica", partitions.partitions().size(), store.topics().size());
            return;
        }
        Set<String> known = store.topics().stream().map(TopicInfo::name).collect(Collectors.toSet());
        for (PartitionLog orphan : logManager.logs()) {
            TopicPartition tp = orphan.topicPartition();
            boolean exists = known.contains(tp.topic())
                    && tp.partition() < store.topic(tp.topic()).orElseThrow().partitionCount();
            if (!exists) {
                log.info("Deleting the log of {}: its topic was deleted", tp);
                logManager.deleteLog(tp);
            }
        }
        for (TopicInfo topic : store.topics()) {
            partitions.lead(topic, 0, topic.partitionCount());
        }
        log.info("Serving {} topics with {} partitions", store.topics().size(), partitions.partitions().size());
    }

    public ClusterMetadata store() {
        return store;
    }

    public TopicConfigs configs() {
        return configs;
    }

    /**
     * Creates a topic, or only checks that it could be created.
     *
     * @throws MetadataException with the Kafka error to answer (TOPIC_ALREADY_EXISTS, INVALID_CONFIG, ...)
     */
    public synchronized TopicInfo createTopic(String name, int partitionCount, int replicationFactor,
            Map<String, String> overrides, boolean validateOnly) {
        return createTopic(name, partitionCount, replicationFactor, List.of(), overrides, validateOnly);
    }

    /**
     * Creates a topic, or only checks that it could be created; with {@code assignments} (not empty)
     * on the replicas the client chose for each partition in order, the partition count and
     * replication factor following from them.
     *
     * @throws MetadataException with the Kafka error to answer (INVALID_REPLICA_ASSIGNMENT, ...)
     */
    public synchronized TopicInfo createTopic(String name, int partitionCount, int replicationFactor,
            List<List<Integer>> assignments, Map<String, String> overrides, boolean validateOnly) {
        store.checkCreatable(name, partitionCount);
        if (assignments.isEmpty()) {
            checkReplicationFactor(replicationFactor);
        } else {
            ReplicaAssignment.validateAll(assignments, store::isRegistered);
        }
        configs.validate(overrides);
        if (validateOnly) {
            return new TopicInfo(name, org.apache.kafka.common.Uuid.ZERO_UUID, partitionCount, overrides);
        }
        TopicInfo topic = assignments.isEmpty() ? store.create(name, partitionCount, replicationFactor, overrides)
                : store.create(name, assignments, overrides);
        if (!store.isReplicated()) {
            partitions.lead(topic, 0, partitionCount);
        }
        log.info("Created topic {} ({}) with {} partitions and configs {}", name, topic.id(), partitionCount, overrides);
        return topic;
    }

    public void checkReplicationFactor(int replicationFactor) {
        if (replicationFactor < 1) {
            throw new MetadataException(Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0.");
        }
        int availableBrokers = store.liveBrokers().size();
        if (replicationFactor > availableBrokers) {
            throw new MetadataException(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
                    + replicationFactor + " time(s): The target replication factor of " + replicationFactor
                    + " cannot be reached because only " + availableBrokers + " broker(s) are registered.");
        }
    }

    public synchronized TopicInfo addPartitions(String name, int newPartitionCount, boolean validateOnly) {
        return addPartitions(name, newPartitionCount, null, validateOnly);
    }

    /**
     * Grows a topic, or only checks that it could be grown; with {@code assignments} (not null) on
     * the replicas the client chose for each new partition in order.
     */
    public synchronized TopicInfo addPartitions(String name, int newPartitionCount, List<List<Integer>> assignments,
            boolean validateOnly) {
        TopicInfo topic = store.topic(name).orElseThrow(() -> unknownTopic(name));
        if (newPartitionCount <= topic.partitionCount()) {
            throw new MetadataException(Errors.INVALID_PARTITIONS, "Topic currently has " + topic.partitionCount()
                    + " partitions, which is higher than the requested " + newPartitionCount + ".");
        }
        if (assignments != null) {
            int replicationFactor = store.partition(name, 0).map(p -> p.targetReplicas().size()).orElse(1);
            ReplicaAssignment.validateAdded(assignments, newPartitionCount - topic.partitionCount(), replicationFactor,
                    store::isRegistered);
        }
        if (validateOnly) {
            return new TopicInfo(name, topic.id(), newPartitionCount, topic.configs());
        }
        TopicInfo updated = assignments == null ? store.addPartitions(name, newPartitionCount)
                : store.addPartitions(name, newPartitionCount, assignments);
        if (!store.isReplicated()) {
            partitions.lead(updated, topic.partitionCount(), newPartitionCount);
        }
        log.info("Topic {} now has {} partitions", name, newPartitionCount);
        return updated;
    }

    /** Replaces a topic's config overrides and applies them to its live logs. */
    public synchronized TopicInfo replaceConfigs(String name, Map<String, String> overrides, boolean validateOnly) {
        TopicInfo topic = store.topic(name).orElseThrow(() -> unknownTopic(name));
        configs.validate(overrides);
        if (validateOnly) {
            return new TopicInfo(name, topic.id(), topic.partitionCount(), overrides);
        }
        TopicInfo updated = store.replaceConfigs(name, new HashMap<>(overrides));
        if (store.isReplicated()) {
            return updated;
        }
        var logConfig = configs.toLogConfig(updated.configs());
        for (int index = 0; index < updated.partitionCount(); index++) {
            partitions.partition(new TopicPartition(name, index)).ifPresent(p -> p.log().updateConfig(logConfig));
        }
        log.info("Topic {} configs are now {}", name, overrides);
        return updated;
    }

    public synchronized void deleteTopic(String name) {
        TopicInfo topic = store.topic(name).orElseThrow(() -> unknownTopic(name));
        store.delete(name);
        if (store.isReplicated()) {
            return;
        }
        try {
            partitions.remove(topic);
        } catch (IOException e) {
            throw new UncheckedIOException("Topic " + name + " is deleted but its logs could not be removed", e);
        }
        log.info("Deleted topic {} ({})", name, topic.id());
    }

    private static MetadataException unknownTopic(String name) {
        return new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist.");
    }
}
