package io.tributary.broker.metadata;

import java.util.HashMap;
import java.util.Map;

/**
 * The dynamic broker configs as the cluster metadata stores them (Kafka's KIP-226), by broker config
 * resource name: {@value #CLUSTER_DEFAULT} (empty) for the cluster-wide defaults, a node id for one
 * broker's own. Only what was set is here; {@link BrokerConfigs} resolves a broker's effective values.
 * Immutable.
 */
public record DynamicBrokerConfigs(Map<String, Map<String, String>> byResource) {

    /** The resource name of the cluster-wide defaults ({@code kafka-configs --entity-default}). */
    public static final String CLUSTER_DEFAULT = "";

    public static final DynamicBrokerConfigs EMPTY = new DynamicBrokerConfigs(Map.of());

    public DynamicBrokerConfigs {
        Map<String, Map<String, String>> copy = new HashMap<>();
        byResource.forEach((resource, configs) -> {
            if (!configs.isEmpty()) {
                copy.put(resource, Map.copyOf(configs));
            }
        });
        byResource = Map.copyOf(copy);
    }

    /** The configs set for one resource ({@value #CLUSTER_DEFAULT} or a node id), empty when none. */
    public Map<String, String> resource(String name) {
        return byResource.getOrDefault(name, Map.of());
    }

    public Map<String, String> clusterDefault() {
        return resource(CLUSTER_DEFAULT);
    }

    public Map<String, String> broker(int nodeId) {
        return resource(Integer.toString(nodeId));
    }

    /** These configs with one resource's replaced as a whole; an empty map removes them. */
    public DynamicBrokerConfigs with(String resource, Map<String, String> configs) {
        Map<String, Map<String, String>> changed = new HashMap<>(byResource);
        changed.put(resource, configs);
        return new DynamicBrokerConfigs(changed);
    }
}
