package io.tributary.broker.cluster;

import java.util.List;
import java.util.Map;
import io.tributary.broker.metadata.ScramCredentialData;
import io.tributary.broker.metadata.ScramCredentialKey;
import org.apache.kafka.common.Uuid;
import io.tributary.broker.metadata.AdvertisedListener;
import org.apache.kafka.common.acl.AclBinding;

/**
 * A change of the cluster metadata, as written to the Raft log. Commands carry everything that is
 * not deterministic (a new topic's id), so that applying one gives the same state on every broker.
 */
public sealed interface MetadataCommand {

    /**
     * A broker starts (or restarts): live again. Its log may have lost what it had not flushed, so
     * this new incarnation leaves every ISR it was in (unless it is a partition's last in-sync
     * replica, which leads again) and rejoins each one when its leader sees it caught up.
     */
    record RegisterBroker(int nodeId, String host, int port, int httpPort, List<AdvertisedListener> listeners)
            implements MetadataCommand {

        public RegisterBroker {
            listeners = List.copyOf(listeners);
        }

        /** A broker with one listener, which other brokers use too. */
        public RegisterBroker(int nodeId, String host, int port, int httpPort) {
            this(nodeId, host, port, httpPort, List.of());
        }

        /** A broker whose HTTP side (console, admin API) other brokers cannot reach. */
        public RegisterBroker(int nodeId, String host, int port) {
            this(nodeId, host, port, BrokerRegistration.NO_HTTP_PORT);
        }
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

    /**
     * The leader of a partition in {@code leaderEpoch} changes its in-sync replicas (Kafka's
     * AlterPartition). Refused from a leader whose epoch is over, so a deposed leader cannot shrink
     * or grow the ISR; when the preferred leader rejoins the ISR, it takes its leadership back.
     */
    record AlterPartition(String topic, int partition, int leaderId, int leaderEpoch, List<Integer> isr)
            implements MetadataCommand {
        public AlterPartition {
            isr = List.copyOf(isr);
        }
    }

    /** Reserves a block of producer ids for one broker, so that no two brokers hand out the same id. */
    record AllocateProducerIds(int nodeId) implements MetadataCommand {
    }

    /** Adds ACLs; those present already stay. */
    record CreateAcls(List<AclBinding> acls) implements MetadataCommand {
        public CreateAcls {
            acls = List.copyOf(acls);
        }
    }

    /**
     * Removes these exact ACLs, which the submitting broker found matching a DeleteAcls filter in its
     * replica; those no longer present are ignored.
     */
    record DeleteAcls(List<AclBinding> acls) implements MetadataCommand {
        public DeleteAcls {
            acls = List.copyOf(acls);
        }
    }

    /**
     * Stores a user's salted SCRAM credential for a mechanism. With {@code onlyIfAbsent} (bootstrap
     * users, which every broker submits at start) an existing credential is kept, so a password
     * changed through the API survives restarts; the result's value is 1 when this credential was stored.
     */
    record PutScramCredential(ScramCredentialKey key, ScramCredentialData credential, boolean onlyIfAbsent)
            implements MetadataCommand {
    }

    /** Removes a user's credential for a mechanism; RESOURCE_NOT_FOUND when it has none. */
    record DeleteScramCredential(ScramCredentialKey key) implements MetadataCommand {
    }

    /**
     * A node tells the directory id of its copy of the metadata log (its Raft storage), made when that
     * storage was created: the quorum's voters and observers are described, added and removed by node id
     * and directory id together, as in Kafka (KIP-853).
     */
    record RegisterMetadataLogDirectory(int nodeId, Uuid directoryId) implements MetadataCommand {
    }
}
