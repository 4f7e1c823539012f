package io.tributary.broker.metadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

/**
 * This broker's configs under Kafka's broker config names: the static ones, set at start-up through
 * {@code tributary.*} properties and read-only, and the dynamic ones Tributary honours, which
 * IncrementalAlterConfigs and AlterConfigs change on a running cluster (KIP-226). A dynamic config's
 * effective value is, as in Kafka, this broker's own ({@code DYNAMIC_BROKER_CONFIG}), else the
 * cluster-wide default ({@code DYNAMIC_DEFAULT_BROKER_CONFIG}), else the static setting
 * ({@code STATIC_BROKER_CONFIG}), else Kafka's default ({@code DEFAULT_CONFIG}).
 *
 * <p>The dynamic values are read from the metadata on every call, so whoever reads them here — the
 * replication throttle, the controller's unclean elections — sees a change as soon as this broker's
 * metadata has it. Thread-safe.
 */
public final class BrokerConfigs {

    public static final String LEADER_REPLICATION_THROTTLED_RATE = "leader.replication.throttled.rate";
    public static final String FOLLOWER_REPLICATION_THROTTLED_RATE = "follower.replication.throttled.rate";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";
    public static final String REPLICA_ALTER_LOG_DIRS_IO_MAX_BYTES_PER_SECOND = "replica.alter.log.dirs.io.max.bytes.per.second";

    /** A replication rate in bytes per second that throttles nothing: Kafka's default. */
    public static final long UNTHROTTLED = Long.MAX_VALUE;

    /** A dynamic broker config: name, type, Kafka's default and what it does. */
    public record Definition(String name, ConfigType type, String defaultValue, String documentation) {
    }

    /** A value a config has from one source. */
    public record Sourced(String value, ConfigSource source) {
    }

    /**
     * A config as DescribeConfigs shows it: its values from every source that sets it, the effective
     * one first (Kafka's synonyms, in precedence order).
     */
    public record Described(String name, ConfigType type, boolean readOnly, List<Sourced> synonyms, String documentation) {

        public Described {
            synonyms = List.copyOf(synonyms);
        }

        public String value() {
            return synonyms.get(0).value();
        }

        public ConfigSource source() {
            return synonyms.get(0).source();
        }
    }

    private static final Map<String, Definition> DYNAMIC = new LinkedHashMap<>();

    static {
        define(new Definition(FOLLOWER_REPLICATION_THROTTLED_RATE, ConfigType.LONG, Long.toString(UNTHROTTLED),
                "bytes per second a follower may fetch for its throttled replicas"));
        define(new Definition(LEADER_REPLICATION_THROTTLED_RATE, ConfigType.LONG, Long.toString(UNTHROTTLED),
                "bytes per second a leader may send to followers of its throttled replicas"));
        // Kafka's throttle of moves between a broker's log directories. A Tributary broker has one, so nothing
        // moves between directories; kept for kafka-reassign-partitions, which sets and clears it with the others.
        define(new Definition(REPLICA_ALTER_LOG_DIRS_IO_MAX_BYTES_PER_SECOND, ConfigType.LONG, Long.toString(UNTHROTTLED),
                "bytes per second of moves between this broker's log directories (it has one: nothing to throttle)"));
        define(new Definition(UNCLEAN_LEADER_ELECTION_ENABLE, ConfigType.BOOLEAN, "false",
                "whether a live out-of-sync replica may lead a partition that has no live in-sync replica, losing the records it lacks"));
    }

    private static void define(Definition definition) {
        DYNAMIC.put(definition.name(), definition);
    }

    private final int nodeId;
    private final Map<String, String> staticConfigs;
    private final ClusterMetadata metadata;

    /**
     * @param staticConfigs this broker's settings under Kafka's names; a dynamic config among them is
     *                      its static value, which the dynamic ones override
     * @param metadata      where the dynamic configs are stored
     */
    public BrokerConfigs(int nodeId, Map<String, String> staticConfigs, ClusterMetadata metadata) {
        this.nodeId = nodeId;
        this.staticConfigs = Map.copyOf(staticConfigs);
        this.metadata = metadata;
    }

    public int nodeId() {
        return nodeId;
    }

    /** Bytes per second this broker may send as a leader to followers of throttled replicas. */
    public long leaderReplicationThrottledRate() {
        return Long.parseLong(effective(LEADER_REPLICATION_THROTTLED_RATE).trim());
    }

    /** Bytes per second this broker may fetch as a follower for throttled replicas. */
    public long followerReplicationThrottledRate() {
        return Long.parseLong(effective(FOLLOWER_REPLICATION_THROTTLED_RATE).trim());
    }

    /** Whether a topic that does not set {@code unclean.leader.election.enable} allows unclean elections. */
    public boolean uncleanLeaderElectionEnable() {
        return Boolean.parseBoolean(effective(UNCLEAN_LEADER_ELECTION_ENABLE).trim());
    }

    /** Whether a topic with these config overrides allows unclean elections: its own setting, else this broker's. */
    public boolean uncleanLeaderElectionEnable(Map<String, String> topicOverrides) {
        String topic = topicOverrides.get(UNCLEAN_LEADER_ELECTION_ENABLE);
        return topic != null ? Boolean.parseBoolean(topic.trim()) : uncleanLeaderElectionEnable();
    }

    public static boolean isDynamic(String name) {
        return DYNAMIC.containsKey(name);
    }

    /** The dynamic configs stored for a resource: {@link DynamicBrokerConfigs#CLUSTER_DEFAULT} or a node id. */
    public Map<String, String> dynamicConfigs(String resourceName) {
        return metadata.dynamicBrokerConfigs().resource(resourceName);
    }

    /** A dynamic config's value on this broker and every value it overrides, the effective one first. */
    public List<Sourced> resolve(String name) {
        Definition definition = DYNAMIC.get(name);
        if (definition == null) {
            throw new IllegalArgumentException("Not a dynamic broker config: " + name);
        }
        DynamicBrokerConfigs stored = metadata.dynamicBrokerConfigs();
        List<Sourced> values = new ArrayList<>();
        add(values, stored.broker(nodeId).get(name), ConfigSource.DYNAMIC_BROKER_CONFIG);
        add(values, stored.clusterDefault().get(name), ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        add(values, staticConfigs.get(name), ConfigSource.STATIC_BROKER_CONFIG);
        add(values, definition.defaultValue(), ConfigSource.DEFAULT_CONFIG);
        return values;
    }

    private static void add(List<Sourced> values, String value, ConfigSource source) {
        if (value != null) {
            values.add(new Sourced(value, source));
        }
    }

    private String effective(String name) {
        return resolve(name).get(0).value();
    }

    /**
     * What DescribeConfigs shows for a broker resource, by name: for the cluster-wide defaults
     * ({@link DynamicBrokerConfigs#CLUSTER_DEFAULT}) the dynamic defaults set, as Kafka; for this
     * broker every config with its effective value.
     */
    public List<Described> describe(String resourceName) {
        List<Described> described = new ArrayList<>();
        if (resourceName.equals(DynamicBrokerConfigs.CLUSTER_DEFAULT)) {
            new TreeMap<>(metadata.dynamicBrokerConfigs().clusterDefault()).forEach((name, value) -> {
                Definition definition = DYNAMIC.get(name);
                described.add(new Described(name, definition.type(), false,
                        List.of(new Sourced(value, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG)), definition.documentation()));
            });
            return described;
        }
        Map<String, Described> byName = new TreeMap<>();
        staticConfigs.forEach((name, value) -> byName.put(name, new Described(name, ConfigType.STRING, true,
                List.of(new Sourced(value, ConfigSource.STATIC_BROKER_CONFIG)), "Set through tributary.* properties")));
        for (Definition definition : DYNAMIC.values()) {
            byName.put(definition.name(), new Described(definition.name(), definition.type(), false,
                    resolve(definition.name()), definition.documentation()));
        }
        described.addAll(byName.values());
        return described;
    }

    /**
     * Replaces a broker resource's dynamic configs as a whole — Kafka's AlterConfigs; IncrementalAlterConfigs
     * computes the whole from the stored ones — or only checks that it could.
     *
     * @param resourceName {@link DynamicBrokerConfigs#CLUSTER_DEFAULT} or this broker's id
     * @throws MetadataException with Kafka's answer for another broker's id or configs that are not valid
     */
    public void replace(String resourceName, Map<String, String> configs, boolean validateOnly) {
        checkResource(resourceName);
        validate(configs);
        if (!validateOnly) {
            metadata.replaceDynamicBrokerConfigs(resourceName, configs);
        }
    }

    /**
     * Throws {@link MetadataException} with Kafka's answer unless {@code resourceName} names this
     * broker or the cluster-wide defaults: INVALID_REQUEST, as Kafka's broker does before it forwards
     * an alteration.
     */
    public void checkResource(String resourceName) {
        if (resourceName.equals(DynamicBrokerConfigs.CLUSTER_DEFAULT)) {
            return;
        }
        int id;
        try {
            id = Integer.parseInt(resourceName);
        } catch (NumberFormatException e) {
            throw invalid("Node id must be an integer, but it is: " + resourceName);
        }
        if (id != nodeId) {
            throw invalid("Unexpected broker id, expected " + nodeId + ", but received " + resourceName);
        }
    }

    /**
     * Throws {@link MetadataException} unless these could be a broker resource's dynamic configs: every
     * name one Tributary can change at runtime, every value of its type and range. Kafka answers
     * INVALID_REQUEST for all of these (its broker turns the config errors into that), and so does this.
     */
    public static void validate(Map<String, String> configs) {
        Set<String> notDynamic = new TreeSet<>();
        for (String name : configs.keySet()) {
            if (!DYNAMIC.containsKey(name)) {
                notDynamic.add(name);
            }
        }
        if (!notDynamic.isEmpty()) {
            throw invalid("Cannot update these configs dynamically: Set(" + String.join(", ", notDynamic) + ")");
        }
        configs.forEach((name, value) -> validate(DYNAMIC.get(name), value));
    }

    private static void validate(Definition definition, String value) {
        String trimmed = value.trim();
        String prefix = "Invalid value " + value + " for configuration " + definition.name() + ": ";
        if (definition.type() == ConfigType.LONG) {
            long parsed;
            try {
                parsed = Long.parseLong(trimmed);
            } catch (NumberFormatException e) {
                throw invalid(prefix + "Not a number of type LONG");
            }
            if (parsed < 0) {
                throw invalid(prefix + "Value must be at least 0");
            }
        } else if (definition.type() == ConfigType.BOOLEAN
                && !trimmed.equalsIgnoreCase("true") && !trimmed.equalsIgnoreCase("false")) {
            throw invalid(prefix + "Expected value to be either true or false");
        }
    }

    private static MetadataException invalid(String message) {
        return new MetadataException(Errors.INVALID_REQUEST, message);
    }
}
