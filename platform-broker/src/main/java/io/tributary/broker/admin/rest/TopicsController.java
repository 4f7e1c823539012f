package io.tributary.broker.admin.rest;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import io.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Topics: list, create, describe (partitions with their offsets and sizes, effective configs),
 * delete, change configs, add partitions. Every change goes through {@link TopicManager}, which
 * validates before it records anything.
 */
@RestController
@RequestMapping("/api/topics")
class TopicsController {

    /** A topic in the list. */
    record TopicSummary(String name, String id, int partitions, boolean internal) {
    }

    /** A request to create a topic; absent partitions and replication factor take the broker's defaults. */
    record CreateTopic(String name, Integer partitions, Integer replicationFactor, Map<String, String> configs) {
    }

    /** One partition of a topic, as this single broker leads it. */
    record PartitionDescription(int partition, int leader, List<Integer> replicas, List<Integer> isr,
            long logStartOffset, long highWatermark, long logEndOffset, long sizeBytes) {
    }

    record TopicDescription(String name, String id, boolean internal, List<PartitionDescription> partitions,
            List<ConfigEntry> configs) {
    }

    /**
     * A config's effective value.
     *
     * @param source {@code topic} when the topic overrides it, else {@code default}
     */
    record ConfigEntry(String name, String value, String source, String type, String documentation) {
    }

    /** Config overrides to set and to remove, applied together or not at all. */
    record ConfigChange(Map<String, String> set, List<String> delete) {
    }

    record AddPartitions(Integer count) {
    }

    private final TopicManager topics;
    private final PartitionManager partitions;
    private final BrokerProperties properties;

    TopicsController(TopicManager topics, PartitionManager partitions, BrokerProperties properties) {
        this.topics = topics;
        this.partitions = partitions;
        this.properties = properties;
    }

    @GetMapping
    List<TopicSummary> list() {
        return topics.store().topics().stream()
                .sorted(Comparator.comparing(TopicInfo::name))
                .map(t -> new TopicSummary(t.name(), t.id().toString(), t.partitionCount(), t.isInternal()))
                .toList();
    }

    @PostMapping
    ResponseEntity<TopicDescription> create(@RequestBody CreateTopic request, UriComponentsBuilder uri) {
        if (request.name() == null || request.name().isBlank()) {
            throw AdminProblems.badRequest("A topic needs a name");
        }
        int partitionCount = request.partitions() != null ? request.partitions() : properties.getNumPartitions();
        int replicationFactor = request.replicationFactor() != null
                ? request.replicationFactor() : properties.getDefaultReplicationFactor();
        Map<String, String> configs = request.configs() != null ? request.configs() : Map.of();
        TopicInfo created = topics.createTopic(request.name(), partitionCount, replicationFactor, configs, false);
        URI location = uri.path("/api/topics/{name}").buildAndExpand(created.name()).toUri();
        return ResponseEntity.created(location).body(describe(created));
    }

    @GetMapping("/{name}")
    TopicDescription describe(@PathVariable String name) {
        return describe(topic(name));
    }

    @DeleteMapping("/{name}")
    ResponseEntity<Void> delete(@PathVariable String name) {
        topics.deleteTopic(name);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{name}/configs")
    List<ConfigEntry> configs(@PathVariable String name) {
        return configEntries(topic(name).configs());
    }

    @PatchMapping("/{name}/configs")
    List<ConfigEntry> changeConfigs(@PathVariable String name, @RequestBody ConfigChange change) {
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

    @PostMapping("/{name}/partitions")
    TopicDescription addPartitions(@PathVariable String name, @RequestBody AddPartitions request) {
        if (request.count() == null) {
            throw AdminProblems.badRequest("The new partition count is missing");
        }
        return describe(topics.addPartitions(name, request.count(), false));
    }

    private TopicInfo topic(String name) {
        return topics.store().topic(name).orElseThrow(() -> new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                "Topic '" + name + "' does not exist."));
    }

    private TopicDescription describe(TopicInfo topic) {
        List<PartitionDescription> described = new ArrayList<>();
        int node = partitions.nodeId();
        for (int index = 0; index < topic.partitionCount(); index++) {
            Partition partition = partitions.partition(new TopicPartition(topic.name(), index)).orElse(null);
            if (partition == null) {
                continue; // deleted while we looked
            }
            PartitionLog log = partition.log();
            described.add(new PartitionDescription(index, partition.leaderId(node), partition.replicas(), partition.inSyncReplicas(),
                    log.logStartOffset(), log.highWatermark(), log.logEndOffset(), log.sizeInBytes()));
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
                    definition.type().name().toLowerCase(java.util.Locale.ROOT), definition.documentation()));
        }
        return entries;
    }
}
