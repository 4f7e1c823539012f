package io.tributary.broker.admin.service;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.resource.ResourceType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * Topics as an operator sees them: list, describe (partitions with their replicas and log figures,
 * effective configs), create, delete, change configs, add partitions. Every change goes through
 * {@link TopicManager}, which validates before it records anything, so a refused change changes
 * nothing. The admin API and the console both call this class.
 *
 * <p>Log figures (offsets, size) exist for the partitions this broker holds a replica of; a partition
 * held only elsewhere in a cluster is described from the cluster metadata alone.
 */
public final class TopicAdmin {

    /**
     * A topic in the list.
     *
     * @param sizeBytes the bytes of its partitions, one replica each (the leader's where it answered)
     */
    public record TopicSummary(String name, String id, int partitions, int replicationFactor, boolean internal,
            long sizeBytes) {
    }

    /** A request to create a topic; absent partitions and replication factor take the broker's defaults. */
    public record CreateTopic(String name, Integer partitions, Integer replicationFactor, Map<String, String> configs) {
    }

    /**
     * One partition of a topic.
     *
     * @param figuresFrom the broker whose replica gave the log figures (the leader's where it answered),
     *                    or -1 when no replica could be asked and the figures are -1
     */
    public record PartitionDescription(int partition, int leader, List<Integer> replicas, List<Integer> isr,
            long logStartOffset, long highWatermark, long logEndOffset, long sizeBytes, int figuresFrom) {

        public boolean hasFigures() {
            return figuresFrom >= 0;
        }

        public boolean underReplicated() {
            return isr.size() < replicas.size();
        }

        public boolean offline() {
            return leader < 0;
        }
    }

    public record TopicDescription(String name, String id, boolean internal, List<PartitionDescription> partitions,
            List<ConfigEntry> configs) {

        public long sizeBytes() {
            return partitions.stream().filter(PartitionDescription::hasFigures).mapToLong(PartitionDescription::sizeBytes).sum();
        }

        /** The records a consumer can read now, over the partitions whose figures are known. */
        public long records() {
            return partitions.stream().filter(PartitionDescription::hasFigures)
                    .mapToLong(p -> p.highWatermark() - p.logStartOffset()).sum();
        }
    }

    /**
     * A config's effective value.
     *
     * @param source {@code topic} when the topic overrides it, else {@code default}
     */
    public record ConfigEntry(String name, String value, String source, String type, String documentation) {
    }

    /** Config overrides to set and to remove, applied together or not at all. */
    public record ConfigChange(Map<String, String> set, List<String> delete) {
    }

    private final TopicManager topics;
    private final ClusterPartitions figures;
    private final BrokerProperties properties;
    private final AdminAuthorization authorization;

    public TopicAdmin(TopicManager topics, ClusterPartitions figures, BrokerProperties properties,
            AdminAuthorization authorization) {
        this.topics = topics;
        this.figures = figures;
        this.properties = properties;
        this.authorization = authorization;
    }

    /** The ACL check every admin operation goes through. */
    public AdminAuthorization authorization() {
        return authorization;
    }

    public List<TopicSummary> list() {
        Map<TopicPartition, ClusterPartitions.Figures> all = figures.leaders(null);
        return topics.store().topics().stream()
                .filter(topic -> authorization.allowed(AclOperation.DESCRIBE, ResourceType.TOPIC, topic.name(), ApiKeys.METADATA))
                .sorted(Comparator.comparing(TopicInfo::name))
                .map(topic -> summary(topic, all))
                .toList();
    }

    public TopicDescription create(CreateTopic request) {
        if (request.name() == null || request.name().isBlank()) {
            throw AdminProblems.badRequest("A topic needs a name");
        }
        authorization.checkCreateTopic(request.name().strip());
        int partitionCount = request.partitions() != null ? request.partitions() : properties.getNumPartitions();
        int replicationFactor = request.replicationFactor() != null
                ? request.replicationFactor() : properties.getDefaultReplicationFactor();
        Map<String, String> configs = request.configs() != null ? request.configs() : Map.of();
        return describe(topics.createTopic(request.name().strip(), partitionCount, replicationFactor, configs, false));
    }

    public TopicDescription describe(String name) {
        authorization.check(AclOperation.DESCRIBE, ResourceType.TOPIC, name, ApiKeys.METADATA);
        return describe(topic(name));
    }

    public void delete(String name) {
        authorization.check(AclOperation.DELETE, ResourceType.TOPIC, name, ApiKeys.DELETE_TOPICS);
        topics.deleteTopic(name);
    }

    public List<ConfigEntry> configs(String name) {
        authorization.check(AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, name, ApiKeys.DESCRIBE_CONFIGS);
        return configEntries(topic(name).configs());
    }

    public List<ConfigEntry> changeConfigs(String name, ConfigChange change) {
        authorization.check(AclOperation.ALTER_CONFIGS, ResourceType.TOPIC, name, ApiKeys.INCREMENTAL_ALTER_CONFIGS);
        TopicInfo topic = topic(name);
        Map<String, String> set = change.set() != null ? change.set() : Map.of();
        List<String> delete = change.delete() != null ? change.delete() : List.of();
        TopicConfigs configs = topics.configs();
        for (String key : delete) {
            if (!configs.isKnown(key)) {
                throw new MetadataException(Errors.INVALID_CONFIG, "Unknown topic config name: " + key);
            }
            if (set.containsKey(key)) {
                throw AdminProblems.badRequest("Config " + key + " is both set and deleted");
            }
        }
        Map<String, String> overrides = new HashMap<>(topic.configs());
        overrides.putAll(set);
        delete.forEach(overrides::remove);
        TopicInfo updated = topics.replaceConfigs(name, overrides, false);
        return configEntries(updated.configs());
    }

    public TopicDescription addPartitions(String name, Integer count) {
        if (count == null) {
            throw AdminProblems.badRequest("The new partition count is missing");
        }
        authorization.check(AclOperation.ALTER, ResourceType.TOPIC, name, ApiKeys.CREATE_PARTITIONS);
        return describe(topics.addPartitions(name, count, false));
    }

    /** Replicas, ISR and leader of a partition, as the cluster metadata has them. */
    public Optional<PartitionState> partitionState(String topic, int index) {
        return topics.store().partition(topic, index);
    }

    public Optional<TopicInfo> find(String name) {
        return topics.store().topic(name);
    }

    /** The topic, or a 404 problem naming it. */
    public TopicInfo topic(String name) {
        return topics.store().topic(name).orElseThrow(() -> new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                "Topic '" + name + "' does not exist."));
    }

    private TopicSummary summary(TopicInfo topic, Map<TopicPartition, ClusterPartitions.Figures> all) {
        long size = 0;
        for (int index = 0; index < topic.partitionCount(); index++) {
            ClusterPartitions.Figures partition = all.get(new TopicPartition(topic.name(), index));
            size += partition != null ? partition.sizeBytes() : 0;
        }
        int replicationFactor = topics.store().partition(topic.name(), 0).map(p -> p.targetReplicas().size()).orElse(0);
        return new TopicSummary(topic.name(), topic.id().toString(), topic.partitionCount(), replicationFactor,
                topic.isInternal(), size);
    }

    private TopicDescription describe(TopicInfo topic) {
        Map<TopicPartition, ClusterPartitions.Figures> known = figures.leaders(topic.name());
        List<PartitionDescription> described = new ArrayList<>();
        for (int index = 0; index < topic.partitionCount(); index++) {
            Optional<PartitionState> state = topics.store().partition(topic.name(), index);
            if (state.isEmpty()) {
                continue; // deleted while we looked
            }
            PartitionState s = state.get();
            ClusterPartitions.Figures f = known.get(new TopicPartition(topic.name(), index));
            described.add(f == null
                    ? new PartitionDescription(index, s.leader(), s.replicas(), s.isr(), -1, -1, -1, -1, -1)
                    : new PartitionDescription(index, s.leader(), s.replicas(), s.isr(), f.logStartOffset(),
                            f.highWatermark(), f.logEndOffset(), f.sizeBytes(), f.nodeId()));
        }
        return new TopicDescription(topic.name(), topic.id().toString(), topic.isInternal(), described,
                configEntries(topic.configs()));
    }

    private List<ConfigEntry> configEntries(Map<String, String> overrides) {
        TopicConfigs configs = topics.configs();
        List<ConfigEntry> entries = new ArrayList<>();
        for (TopicConfigs.Definition definition : configs.definitions()) {
            entries.add(new ConfigEntry(definition.name(), configs.effectiveValue(overrides, definition.name()),
                    overrides.containsKey(definition.name()) ? "topic" : "default",
                    definition.type().name().toLowerCase(Locale.ROOT), definition.documentation()));
        }
        return entries;
    }
}
