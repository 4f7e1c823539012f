package io.tributary.broker.admin.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
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
     * @param sizeBytes the bytes of the replicas of its partitions held on this broker
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
     * @param local whether this broker holds a replica; when not, the log figures are -1
     */
    public record PartitionDescription(int partition, int leader, List<Integer> replicas, List<Integer> isr,
            long logStartOffset, long highWatermark, long logEndOffset, long sizeBytes, boolean local) {

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
            return partitions.stream().filter(PartitionDescription::local).mapToLong(PartitionDescription::sizeBytes).sum();
        }

        /** The records a consumer can read now, over the partitions held here. */
        public long records() {
            return partitions.stream().filter(PartitionDescription::local)
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
    private final PartitionManager partitions;
    private final BrokerProperties properties;

    public TopicAdmin(TopicManager topics, PartitionManager partitions, BrokerProperties properties) {
        this.topics = topics;
        this.partitions = partitions;
        this.properties = properties;
    }

    public List<TopicSummary> list() {
        return topics.store().topics().stream()
                .sorted(Comparator.comparing(TopicInfo::name))
                .map(this::summary)
                .toList();
    }

    public TopicDescription create(CreateTopic request) {
        if (request.name() == null || request.name().isBlank()) {
            throw AdminProblems.badRequest("A topic needs a name");
        }
        int partitionCount = request.partitions() != null ? request.partitions() : properties.getNumPartitions();
        int replicationFactor = request.replicationFactor() != null
                ? request.replicationFactor() : properties.getDefaultReplicationFactor();
        Map<String, String> configs = request.configs() != null ? request.configs() : Map.of();
        return describe(topics.createTopic(request.name().strip(), partitionCount, replicationFactor, configs, false));
    }

    public TopicDescription describe(String name) {
        return describe(topic(name));
    }

    public void delete(String name) {
        topics.deleteTopic(name);
    }

    public List<ConfigEntry> configs(String name) {
        return configEntries(topic(name).configs());
    }

    public List<ConfigEntry> changeConfigs(String name, ConfigChange change) {
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
        return describe(topics.addPartitions(name, count, false));
    }

    public Optional<TopicInfo> find(String name) {
        return topics.store().topic(name);
    }

    /** The topic, or a 404 problem naming it. */
    public TopicInfo topic(String name) {
        return topics.store().topic(name).orElseThrow(() -> new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                "Topic '" + name + "' does not exist."));
    }

    private TopicSummary summary(TopicInfo topic) {
        long size = 0;
        int replicationFactor = 0;
        for (int index = 0; index < topic.partitionCount(); index++) {
            Optional<Partition> local = partitions.partition(new TopicPartition(topic.name(), index));
            if (local.isPresent()) {
                size += local.get().log().sizeInBytes();
            }
            if (index == 0) {
                replicationFactor = topics.store().partition(topic.name(), 0).map(p -> p.replicas().size())
                        .orElse(local.map(p -> p.replicas().size()).orElse(1));
            }
        }
        return new TopicSummary(topic.name(), topic.id().toString(), topic.partitionCount(), replicationFactor,
                topic.isInternal(), size);
    }

    private TopicDescription describe(TopicInfo topic) {
        List<PartitionDescription> described = new ArrayList<>();
        int node = partitions.nodeId();
        for (int index = 0; index < topic.partitionCount(); index++) {
            Partition partition = partitions.partition(new TopicPartition(topic.name(), index)).orElse(null);
            if (partition != null) {
                PartitionLog log = partition.log();
                described.add(new PartitionDescription(index, partition.leaderId(node), partition.replicas(),
                        partition.inSyncReplicas(), log.logStartOffset(), log.highWatermark(), log.logEndOffset(),
                        log.sizeInBytes(), true));
                continue;
            }
            Optional<PartitionState> state = topics.store().partition(topic.name(), index);
            if (state.isPresent()) {
                PartitionState s = state.get();
                described.add(new PartitionDescription(index, s.leader(), s.replicas(), s.isr(), -1, -1, -1, -1, false));
            }
            // else: deleted while we looked
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
