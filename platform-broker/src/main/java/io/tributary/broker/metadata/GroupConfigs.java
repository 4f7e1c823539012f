package io.tributary.broker.metadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

/**
 * Groups' configs (Kafka's GROUP config resources, KIP-932 and KIP-848): what a group's share or consumer
 * settings are, for the broker components that follow them, and the checked changes and descriptions
 * the config APIs make. A group's configs are stored in the cluster metadata, replicated and durable as
 * topic configs are; a group need not exist to have configs, as in Kafka.
 *
 * <p>Reading a group's settings is cheap enough for every fetch: the settings derived from the stored
 * configs are cached until the metadata's group configs change (an unchanged
 * {@link GroupConfigOverrides} is the same instance), and a group without configs of its own gets the
 * shared defaults. Thread-safe.
 */
public final class GroupConfigs {

    private final ClusterMetadata metadata;
    private final GroupConfigSchema schema;
    private final ShareGroupSettings defaultShareSettings;
    private final ConsumerGroupSettings defaultConsumerSettings;
    private volatile Derived derived = new Derived(null);

    /** The settings derived from one instance of the stored group configs. */
    private record Derived(GroupConfigOverrides source, Map<String, ShareGroupSettings> share,
            Map<String, ConsumerGroupSettings> consumer) {
        Derived(GroupConfigOverrides source) {
            this(source, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
        }
    }

    public GroupConfigs(ClusterMetadata metadata, GroupConfigLimits limits) {
        this.metadata = metadata;
        this.schema = new GroupConfigSchema(limits);
        this.defaultShareSettings = schema.shareSettings(Map.of());
        this.defaultConsumerSettings = schema.consumerSettings(Map.of());
    }

    public GroupConfigSchema schema() {
        return schema;
    }

    /** A share group's settings: its own configs, else the broker's defaults. */
    public ShareGroupSettings shareSettings(String groupId) {
        Derived current = current();
        Map<String, String> configs = current.source().group(groupId);
        if (configs.isEmpty()) {
            return defaultShareSettings;
        }
        return current.share().computeIfAbsent(groupId, g -> schema.shareSettings(configs));
    }

    /** A consumer group's (KIP-848) settings: its own configs, else the broker's defaults. */
    public ConsumerGroupSettings consumerSettings(String groupId) {
        Derived current = current();
        Map<String, String> configs = current.source().group(groupId);
        if (configs.isEmpty()) {
            return defaultConsumerSettings;
        }
        return current.consumer().computeIfAbsent(groupId, g -> schema.consumerSettings(configs));
    }

    private Derived current() {
        GroupConfigOverrides stored = metadata.groupConfigOverrides();
        Derived current = derived;
        if (current.source() != stored) {
            current = new Derived(stored);
            derived = current;
        }
        return current;
    }

    /** The configs set for a group, without defaults. */
    public Map<String, String> overrides(String groupId) {
        return metadata.groupConfigOverrides().group(groupId);
    }

    /**
     * Replaces a group's configs as a whole after Kafka's checks; an empty map removes them, and
     * {@code validateOnly} checks without changing anything.
     *
     * @throws MetadataException INVALID_REQUEST for the empty group name (Kafka has no default group
     *     resource), INVALID_CONFIG for unknown names and bad values
     */
    public void replace(String groupId, Map<String, String> configs, boolean validateOnly) {
        if (groupId.isEmpty()) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Default group resources are not allowed.");
        }
        schema.validate(configs);
        if (!validateOnly) {
            metadata.replaceGroupConfigs(groupId, configs);
        }
    }

    /**
     * Every group config of a group as DescribeConfigs shows it, as Kafka 4.1 does: the group's own value
     * ({@code DYNAMIC_GROUP_CONFIG}) or the default ({@code DEFAULT_CONFIG}), the one synonym being that value.
     *
     * @throws MetadataException INVALID_REQUEST for the empty group name
     */
    public List<BrokerConfigs.Described> describe(String groupId) {
        if (groupId.isEmpty()) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Group name must not be empty");
        }
        Map<String, String> configs = overrides(groupId);
        List<BrokerConfigs.Described> described = new ArrayList<>();
        for (GroupConfigSchema.Definition definition : schema.definitions()) {
            String own = configs.get(definition.name());
            BrokerConfigs.Sourced value = own != null ? new BrokerConfigs.Sourced(own, ConfigSource.GROUP_CONFIG)
                    : new BrokerConfigs.Sourced(definition.defaultValue(), ConfigSource.DEFAULT_CONFIG);
            described.add(new BrokerConfigs.Described(definition.name(), definition.type(), false, List.of(value),
                    definition.documentation()));
        }
        return described;
    }
}
