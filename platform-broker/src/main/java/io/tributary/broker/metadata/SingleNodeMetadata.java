package io.tributary.broker.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.protocol.Errors;

/**
 * The embedded default: one broker that is the whole cluster, its own controller and the only
 * replica and leader of every partition, in leader epoch 0 forever.
 */
public final class SingleNodeMetadata implements ClusterMetadata {

    private final TopicStore store;
    private final SecurityStore security;
    private final DynamicBrokerConfigStore brokerConfigs;
    private final GroupConfigStore groupConfigs;
    private final LocalBroker broker;

    /** With the dynamic broker configs and the group configs kept beside the topics, in the topic store's data directory. */
    public SingleNodeMetadata(TopicStore store, SecurityStore security, LocalBroker broker) {
        this(store, security, openBrokerConfigs(store), openGroupConfigs(store), broker);
    }

    public SingleNodeMetadata(TopicStore store, SecurityStore security, DynamicBrokerConfigStore brokerConfigs,
            GroupConfigStore groupConfigs, LocalBroker broker) {
        this.store = store;
        this.security = security;
        this.brokerConfigs = brokerConfigs;
        this.groupConfigs = groupConfigs;
        this.broker = broker;
    }

    private static DynamicBrokerConfigStore openBrokerConfigs(TopicStore store) {
        try {
            return DynamicBrokerConfigStore.open(store.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static GroupConfigStore openGroupConfigs(TopicStore store) {
        try {
            return GroupConfigStore.open(store.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String clusterId() {
        return store.clusterId();
    }

    @Override
    public Optional<TopicInfo> topic(String name) {
        return store.topic(name);
    }

    @Override
    public Optional<TopicInfo> topic(Uuid id) {
        return store.topic(id);
    }

    @Override
    public Collection<TopicInfo> topics() {
        return store.topics();
    }

    @Override
    public Optional<PartitionState> partition(String topic, int index) {
        return store.topic(topic).filter(t -> index >= 0 && index < t.partitionCount())
                .map(t -> PartitionState.initial(List.of(broker.nodeId())));
    }

    @Override
    public List<BrokerEndpoint> liveBrokers() {
        return List.of(new BrokerEndpoint(broker.nodeId(), broker.host(), broker.port(), broker.rack()));
    }

    @Override
    public List<BrokerEndpoint> liveBrokers(String listenerName) {
        return broker.listener(listenerName).map(l -> List.of(new BrokerEndpoint(broker.nodeId(), l.host(), l.port(), broker.rack())))
                .orElse(List.of());
    }

    @Override
    public int controllerId() {
        return broker.nodeId();
    }

    @Override
    public void checkCreatable(String name, int partitionCount) {
        store.checkCreatable(name, partitionCount);
    }

    @Override
    public TopicInfo create(String name, int partitionCount, int replicationFactor, Map<String, String> configs) {
        return store.create(name, partitionCount, configs);
    }

    @Override
    public TopicInfo addPartitions(String name, int newPartitionCount) {
        return store.addPartitions(name, newPartitionCount);
    }

    @Override
    public boolean isRegistered(int brokerId) {
        return brokerId == broker.nodeId();
    }

    @Override
    public TopicInfo create(String name, List<List<Integer>> assignments, Map<String, String> configs) {
        return store.create(name, assignments.size(), configs);
    }

    @Override
    public TopicInfo addPartitions(String name, int newPartitionCount, List<List<Integer>> assignments) {
        return store.addPartitions(name, newPartitionCount);
    }

    @Override
    public TopicInfo replaceConfigs(String name, Map<String, String> configs) {
        return store.replaceConfigs(name, configs);
    }

    @Override
    public void delete(String name) {
        store.delete(name);
    }

    @Override
    public boolean isReplicated() {
        return false;
    }

    @Override
    public SecurityImage security() {
        return security.image();
    }

    @Override
    public void onSecurityChange(Consumer<SecurityImage> listener) {
        security.onChange(listener);
    }

    @Override
    public void createAcls(List<AclBinding> acls) {
        security.change(image -> image.withAcls(acls));
    }

    @Override
    public void deleteAcls(List<AclBinding> acls) {
        security.change(image -> image.withoutAcls(acls));
    }

    @Override
    public boolean putScramCredential(ScramCredentialKey key, ScramCredentialData credential, boolean onlyIfAbsent) {
        return security.change(image -> image.withCredential(key, credential, onlyIfAbsent)).credentials().get(key)
                .equals(credential);
    }

    @Override
    public void deleteScramCredential(ScramCredentialKey key) {
        security.change(image -> image.withoutCredential(key));
    }

    @Override
    public DynamicBrokerConfigs dynamicBrokerConfigs() {
        return brokerConfigs.configs();
    }

    @Override
    public void replaceDynamicBrokerConfigs(String resource, Map<String, String> configs) {
        brokerConfigs.replace(resource, configs);
    }

    @Override
    public GroupConfigOverrides groupConfigOverrides() {
        return groupConfigs.configs();
    }

    @Override
    public void replaceGroupConfigs(String groupId, Map<String, String> configs) {
        groupConfigs.replace(groupId, configs);
    }

    /** The only broker leads every partition: as Kafka's single broker answers, no election is ever needed. */
    @Override
    public void electLeader(String topic, int partition, ElectionType type) {
        TopicInfo info = store.topic(topic).orElseThrow(() -> new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                "No such topic as " + topic));
        if (partition < 0 || partition >= info.partitionCount()) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "No such partition as " + topic + "-" + partition);
        }
        throw new MetadataException(Errors.ELECTION_NOT_NEEDED, null);
    }

    /**
     * One broker holds every partition: moving a partition to it alone changes nothing and succeeds,
     * any other target names a broker that does not exist, and there is never a move to cancel.
     */
    @Override
    public void reassign(String topic, int partition, List<Integer> target, boolean allowReplicationFactorChange) {
        TopicInfo info = store.topic(topic).orElseThrow(() -> new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                "Unable to find a topic named " + topic + "."));
        if (partition < 0 || partition >= info.partitionCount()) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unable to find partition " + topic + ":"
                    + partition + ".");
        }
        if (target == null) {
            throw new MetadataException(Errors.NO_REASSIGNMENT_IN_PROGRESS, Errors.NO_REASSIGNMENT_IN_PROGRESS.message());
        }
        ReplicaAssignment.validate(target, this::isRegistered, OptionalInt.empty());
    }

    @Override
    public void unregisterBroker(int nodeId) {
        if (nodeId == broker.nodeId()) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Broker " + nodeId
                    + " is running: stop it before unregistering it.");
        }
        throw new MetadataException(Errors.BROKER_ID_NOT_REGISTERED, "Broker ID " + nodeId + " is not currently registered");
    }
}
