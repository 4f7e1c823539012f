package io.tributary.broker.metadata;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The embedded default: one broker that is the whole cluster, its own controller and the only
 * replica and leader of every partition, in leader epoch 0 forever.
 */
public final class SingleNodeMetadata implements ClusterMetadata {

    private final TopicStore store;
    private final SecurityStore security;
    private final LocalBroker broker;

    public SingleNodeMetadata(TopicStore store, SecurityStore security, LocalBroker broker) {
        this.store = store;
        this.security = security;
        this.broker = broker;
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
}
