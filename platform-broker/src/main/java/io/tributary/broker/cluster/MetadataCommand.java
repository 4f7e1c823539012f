package io.tributary.broker.cluster;

import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A change of the cluster metadata, as written to the Raft log. Commands carry everything that is
 * not deterministic (a new topic's id), so that applying one gives the same state on every broker.
 */
public sealed interface MetadataCommand {

    /** A broker starts (or restarts): live again, back in its partitions' ISR, preferred leaders restored. */
    record RegisterBroker(int nodeId, String host, int port) implements MetadataCommand {
    }

    /** The controller lost a broker's heartbeats: its leaderships move and it leaves every ISR. */
    record FenceBroker(int nodeId) implements MetadataCommand {
    }

    record CreateTopic(String name, Uuid id, int partitions, int replicationFactor, Map<String, String> configs)
            implements MetadataCommand {
        public CreateTopic {
            configs = Map.copyOf(configs);
        }
    }

    record CreatePartitions(String name, int partitionCount) implements MetadataCommand {
    }

    record ReplaceConfigs(String name, Map<String, String> configs) implements MetadataCommand {
        public ReplaceConfigs {
            configs = Map.copyOf(configs);
        }
    }

    record DeleteTopic(String name) implements MetadataCommand {
    }

    /** Reserves a block of producer ids for one broker, so that no two brokers hand out the same id. */
    record AllocateProducerIds(int nodeId) implements MetadataCommand {
    }
}
