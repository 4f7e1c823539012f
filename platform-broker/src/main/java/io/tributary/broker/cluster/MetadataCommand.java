package io.tributary.broker.cluster;

import java.util.List;
import java.util.Map;
import io.tributary.broker.metadata.ScramCredentialData;
import io.tributary.broker.metadata.ScramCredentialKey;
import org.apache.kafka.common.Uuid;
import io.tributary.broker.metadata.AdvertisedListener;
import org.apache.kafka.common.ElectionType;
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
    record RegisterBroker(int nodeId, String host, int port, int httpPort, List<AdvertisedListener> listeners,
            String rack) implements MetadataCommand {

        public RegisterBroker {
            listeners = List.copyOf(listeners);
        }

        /** A broker in no rack. */
        public RegisterBroker(int nodeId, String host, int port, int httpPort, List<AdvertisedListener> listeners) {
            this(nodeId, host, port, httpPort, listeners, null);
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

    /**
     * A new topic, its partitions placed round-robin over the live brokers, or, when {@code assignments}
     * is not empty, on the replicas it lists for each partition in order (CreateTopics with a manual
     * assignment; {@code partitions} and {@code replicationFactor} then follow from it).
     */
    record CreateTopic(String name, Uuid id, int partitions, int replicationFactor, Map<String, String> configs,
            List<List<Integer>> assignments) implements MetadataCommand {
        public CreateTopic {
            configs = Map.copyOf(configs);
            assignments = assignments.stream().map(List::copyOf).toList();
        }

        public CreateTopic(String name, Uuid id, int partitions, int replicationFactor, Map<String, String> configs) {
            this(name, id, partitions, replicationFactor, configs, List.of());
        }

        /** A topic whose replicas the client chose, partition by partition. */
        public static CreateTopic assigned(String name, Uuid id, List<List<Integer>> assignments, Map<String, String> configs) {
            return new CreateTopic(name, id, assignments.size(), assignments.get(0).size(), configs, assignments);
        }
    }

    /**
     * Grows a topic to {@code partitionCount} partitions, the new ones placed round-robin or, when
     * {@code assignments} is not empty, on the replicas it lists for each new partition in order.
     */
    record CreatePartitions(String name, int partitionCount, List<List<Integer>> assignments) implements MetadataCommand {
        public CreatePartitions {
            assignments = assignments.stream().map(List::copyOf).toList();
        }

        public CreatePartitions(String name, int partitionCount) {
            this(name, partitionCount, List.of());
        }
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
     * or grow the ISR. It never changes the leader: a preferred replica back in sync leads again
     * through an {@link ElectLeader}.
     *
     * @param brokerEpochs for each replica of {@code isr}, in the same order, the broker epoch of the
     *        incarnation the leader saw caught up ({@link BrokerRegistration#UNKNOWN_EPOCH} when it does
     *        not know it): Kafka's NewIsrWithEpochs (KIP-903). A replica the change adds is refused when
     *        that broker has registered again since.
     */
    record AlterPartition(String topic, int partition, int leaderId, int leaderEpoch, List<Integer> isr,
            List<Long> brokerEpochs) implements MetadataCommand {
        public AlterPartition {
            isr = List.copyOf(isr);
            brokerEpochs = List.copyOf(brokerEpochs);
            if (brokerEpochs.size() != isr.size()) {
                throw new IllegalArgumentException("Broker epochs " + brokerEpochs + " for the ISR " + isr);
            }
        }

        /** A change whose replicas' broker epochs are not known: the controller does not check them. */
        public AlterPartition(String topic, int partition, int leaderId, int leaderEpoch, List<Integer> isr) {
            this(topic, partition, leaderId, leaderEpoch, isr,
                    java.util.Collections.nCopies(isr.size(), BrokerRegistration.UNKNOWN_EPOCH));
        }

        /** Whether the broker epoch of some replica is known. */
        public boolean hasBrokerEpochs() {
            return brokerEpochs.stream().anyMatch(epoch -> epoch != BrokerRegistration.UNKNOWN_EPOCH);
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
     * Elects a partition's leader (Kafka's ElectLeaders, and the controller's own elections): the
     * preferred replica if it is live and in sync, or — unclean — for a partition without a leader, a
     * live replica, in sync if one is, else out of sync with the ISR reduced to it.
     */
    record ElectLeader(String topic, int partition, ElectionType type) implements MetadataCommand {
    }

    /**
     * Replaces the dynamic configs of one broker config resource: {@code ""} for the cluster-wide
     * defaults, a node id for one broker's own; an empty map removes them.
     */
    record ReplaceBrokerConfigs(String resource, Map<String, String> configs) implements MetadataCommand {
        public ReplaceBrokerConfigs {
            configs = Map.copyOf(configs);
        }
    }

    /**
     * Replaces the configs of one group (Kafka's GROUP config resource), already validated; an empty map
     * removes them. The group need not exist.
     */
    record ReplaceGroupConfigs(String groupId, Map<String, String> configs) implements MetadataCommand {
        public ReplaceGroupConfigs {
            configs = Map.copyOf(configs);
        }
    }

    // Moving partitions and retiring brokers.

    /**
     * Kafka's AlterPartitionReassignments for one partition: moves it to the {@code target} replicas,
     * replacing a move in progress, or, with a {@code null} target, cancels the move in progress and
     * returns it to the replicas it had. The new replicas catch up outside the ISR, and the move
     * completes, dropping the replicas not in the target, once all of them are in sync.
     *
     * @param allowReplicationFactorChange false refuses a target whose size differs from the
     *        replication factor the partition is headed for (KIP-860)
     */
    record ReassignPartition(String topic, int partition, List<Integer> target, boolean allowReplicationFactorChange)
            implements MetadataCommand {
        public ReassignPartition {
            target = target == null ? null : List.copyOf(target);
        }

        public boolean isCancel() {
            return target == null;
        }
    }

    /**
     * Kafka's UnregisterBroker: forgets a broker that is fenced (stopped) and holds no replica, so that
     * it is no longer listed anywhere. Should it start again, it registers as a new broker.
     */
    record UnregisterBroker(int nodeId) implements MetadataCommand {
    }

    /**
     * A node tells the directory id of its copy of the metadata log (its Raft storage), made when that
     * storage was created: the quorum's voters and observers are described, added and removed by node id
     * and directory id together, as in Kafka (KIP-853).
     */
    record RegisterMetadataLogDirectory(int nodeId, Uuid directoryId) implements MetadataCommand {
    }
}
