package io.tributary.broker.metadata;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The cluster as this broker sees it — topics, partition assignments, live brokers, the
 * controller, the ACLs and SCRAM credentials, dynamic broker and group configs — and the way to change it. A single node keeps it in its own data directory
 * ({@link SingleNodeMetadata}); a cluster replicates it through a Raft quorum, where a change
 * returns once this broker's replica has applied it.
 *
 * <p>Implementations are thread-safe.
 */
public interface ClusterMetadata {

    String clusterId();

    Optional<TopicInfo> topic(String name);

    Optional<TopicInfo> topic(Uuid id);

    Collection<TopicInfo> topics();

    /** The replicas, ISR, leader and leader epoch of one partition, if the topic has it. */
    Optional<PartitionState> partition(String topic, int index);

    /** The brokers that are registered and not fenced, by node id. */
    List<BrokerEndpoint> liveBrokers();

    /**
     * The live brokers' endpoints on one listener, for clients connected to that listener; a broker
     * without a listener of that name is left out, as Kafka does.
     */
    default List<BrokerEndpoint> liveBrokers(String listenerName) {
        return liveBrokers();
    }

    /** Every registered broker, fenced or not, by node id. */
    default List<BrokerStatus> brokers() {
        return liveBrokers().stream().map(endpoint -> new BrokerStatus(endpoint, false, BrokerStatus.NO_HTTP_PORT)).toList();
    }

    /**
     * Every registered broker, fenced or not, by node id, with its endpoint on one listener (DescribeCluster
     * with fenced brokers); a broker without a listener of that name is left out.
     */
    default List<BrokerStatus> brokers(String listenerName) {
        return liveBrokers(listenerName).stream()
                .map(endpoint -> new BrokerStatus(endpoint, false, BrokerStatus.NO_HTTP_PORT)).toList();
    }

    /** The node id of the active controller, or -1 while there is none. */
    int controllerId();

    /** Throws {@link MetadataException} with the Kafka error to answer unless such a topic could be created. */
    void checkCreatable(String name, int partitionCount);

    TopicInfo create(String name, int partitionCount, int replicationFactor, Map<String, String> configs);

    TopicInfo addPartitions(String name, int newPartitionCount);

    /** Whether {@code brokerId} is a registered broker, fenced or not: one a manual assignment may name. */
    boolean isRegistered(int brokerId);

    /**
     * Creates a topic on the replicas the client chose for each partition, in order, already checked
     * with {@link ReplicaAssignment}; the first live replica of each partition leads.
     */
    TopicInfo create(String name, List<List<Integer>> assignments, Map<String, String> configs);

    /** Adds partitions on the replicas the client chose for each new partition, already checked. */
    TopicInfo addPartitions(String name, int newPartitionCount, List<List<Integer>> assignments);

    TopicInfo replaceConfigs(String name, Map<String, String> configs);

    void delete(String name);

    /**
     * Whether partitions follow the replicated state by themselves (a cluster), rather than being
     * created and removed by whoever changed the topic (a single node).
     */
    boolean isReplicated();

    /** The ACLs and SCRAM credentials, as far as this broker has seen them. */
    SecurityImage security();

    /**
     * Calls {@code listener} with the current ACLs and credentials, and again, on the thread that
     * changed them, whenever they may have changed (a replica loading a snapshot included). An
     * unchanged image is the same instance, so a listener can skip it cheaply.
     */
    void onSecurityChange(Consumer<SecurityImage> listener);

    /** Adds ACLs, already validated; those present already stay as they are. */
    void createAcls(List<AclBinding> acls);

    /** Removes these exact ACLs; those not present are ignored. */
    void deleteAcls(List<AclBinding> acls);

    /**
     * Stores a user's SCRAM credential for a mechanism, replacing the one it had, unless
     * {@code onlyIfAbsent}.
     *
     * @return whether {@code credential} is now the user's credential
     */
    boolean putScramCredential(ScramCredentialKey key, ScramCredentialData credential, boolean onlyIfAbsent);

    /** @throws MetadataException RESOURCE_NOT_FOUND when the user has no credential for that mechanism */
    void deleteScramCredential(ScramCredentialKey key);

    /** The dynamic broker configs set, cluster-wide and per broker ({@link BrokerConfigs} resolves them). */
    DynamicBrokerConfigs dynamicBrokerConfigs();

    /**
     * Replaces the dynamic configs of one broker resource as a whole, already validated: the cluster-wide
     * defaults ({@link DynamicBrokerConfigs#CLUSTER_DEFAULT}) or a broker's own (its node id).
     */
    void replaceDynamicBrokerConfigs(String resource, Map<String, String> configs);

    /**
     * The group configs set, by group id ({@link GroupConfigs} applies the defaults). Cheap: the same
     * instance until a group's configs change.
     */
    GroupConfigOverrides groupConfigOverrides();

    /** Replaces one group's configs as a whole, already validated; an empty map removes them. */
    void replaceGroupConfigs(String groupId, Map<String, String> configs);

    /**
     * Elects a partition's leader as Kafka's controller does for ElectLeaders: the preferred replica
     * when it is live and in sync ({@link ElectionType#PREFERRED}), or, for a partition without a
     * leader, a live replica even out of sync ({@link ElectionType#UNCLEAN}).
     *
     * @throws MetadataException ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE,
     *     ELIGIBLE_LEADERS_NOT_AVAILABLE or UNKNOWN_TOPIC_OR_PARTITION, as Kafka answers
     */
    void electLeader(String topic, int partition, ElectionType type);

    // Moving partitions and retiring brokers.

    /**
     * Kafka's AlterPartitionReassignments for one partition: moves it to {@code target}, replacing a
     * move in progress, or with a {@code null} target cancels the move in progress. Returns once the
     * move started (or was cancelled); {@link #partition} shows its progress.
     *
     * @throws MetadataException UNKNOWN_TOPIC_OR_PARTITION, INVALID_REPLICA_ASSIGNMENT (unknown or
     *     duplicate broker, empty target), INVALID_REPLICATION_FACTOR (a size change that was not
     *     allowed), NO_REASSIGNMENT_IN_PROGRESS (a cancel with nothing to cancel)
     */
    void reassign(String topic, int partition, List<Integer> target, boolean allowReplicationFactorChange);

    /**
     * Kafka's UnregisterBroker: forgets a stopped broker that holds no replica.
     *
     * @throws MetadataException BROKER_ID_NOT_REGISTERED for an unknown broker, INVALID_REQUEST for one
     *     that is running or still holds replicas
     */
    void unregisterBroker(int nodeId);
}
