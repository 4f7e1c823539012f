package io.tributary.broker.metadata;

import java.util.HashMap;
import java.util.Map;

/**
 * The group configs set, by group id, as the cluster metadata stores them (Kafka's GROUP config
 * resources): only what was set, already validated; {@link GroupConfigs} applies the defaults. A group
 * need not exist to have configs, as in Kafka. Immutable: an unchanged instance means unchanged configs,
 * which lets readers cache what they derived from it.
 */
public record GroupConfigOverrides(Map<String, Map<String, String>> byGroup) {

    public static final GroupConfigOverrides EMPTY = new GroupConfigOverrides(Map.of());

    public GroupConfigOverrides {
        Map<String, Map<String, String>> copy = new HashMap<>();
        byGroup.forEach((group, configs) -> {
            if (!configs.isEmpty()) {
                copy.put(group, Map.copyOf(configs));
            }
        });
        byGroup = Map.copyOf(copy);
    }

    /** The configs set for one group, empty when none. */
    public Map<String, String> group(String groupId) {
        return byGroup.getOrDefault(groupId, Map.of());
    }

    /** These overrides with one group's replaced as a whole; an empty map removes them. */
    public GroupConfigOverrides with(String groupId, Map<String, String> configs) {
        Map<String, Map<String, String>> changed = new HashMap<>(byGroup);
        changed.put(groupId, configs);
        return new GroupConfigOverrides(changed);
    }
}
