package io.tributary.broker.metadata;

import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A topic as the cluster knows it.
 *
 * @param configs the topic's own config overrides (the rest come from the broker's defaults)
 */
public record TopicInfo(String name, Uuid id, int partitionCount, Map<String, String> configs) {

    public TopicInfo {
        configs = Map.copyOf(configs);
    }

    public boolean isInternal() {
        return name.startsWith("__");
    }
}
