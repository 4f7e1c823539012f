package io.tributary.broker.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import io.tributary.broker.cluster.MetadataCommand.CreateAcls;
import io.tributary.broker.cluster.MetadataCommand.CreatePartitions;
import io.tributary.broker.cluster.MetadataCommand.CreateTopic;
import io.tributary.broker.cluster.MetadataCommand.DeleteAcls;
import io.tributary.broker.cluster.MetadataCommand.DeleteScramCredential;
import io.tributary.broker.cluster.MetadataCommand.DeleteTopic;
import io.tributary.broker.cluster.MetadataCommand.ElectLeader;
import io.tributary.broker.cluster.MetadataCommand.PutScramCredential;
import io.tributary.broker.cluster.MetadataCommand.ReplaceBrokerConfigs;
import io.tributary.broker.cluster.MetadataCommand.ReassignPartition;
import io.tributary.broker.cluster.MetadataCommand.ReplaceConfigs;
import io.tributary.broker.cluster.MetadataCommand.UnregisterBroker;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.BrokerStatus;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.DynamicBrokerConfigs;
import io.tributary.broker.metadata.GroupConfigOverrides;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.ScramCredentialData;
import io.tributary.broker.metadata.ScramCredentialKey;
import io.tributary.broker.metadata.SecurityImage;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;

/** The cluster metadata of a broker in a cluster: reads from its replica, changes through the quorum. */
public final class ReplicatedMetadata implements ClusterMetadata {

    private final String clusterId;
    private final MetadataQuorum quorum;

    public ReplicatedMetadata(String clusterId, MetadataQuorum quorum) {
        this.clusterId = clusterId;
        this.quorum = quorum;
    }

    @Override
    public String clusterId() {
        return clusterId;
    }

    @Override
    public Optional<TopicInfo> topic(String name) {
        return quorum.image().topic(name).map(TopicState::info);
    }

    @Override
    public Optional<TopicInfo> topic(Uuid id) {
        return quorum.image().topic(id).map(TopicState::info);
    }

    @Override
    public Collection<TopicInfo> topics() {
        return quorum.image().topicInfos();
    }

    @Override
    public Optional<PartitionState> partition(String topic, int index) {
        return quorum.image().partition(topic, index);
    }

    @Override
    public List<BrokerEndpoint> liveBrokers() {
        return quorum.image().liveBrokers().stream().map(b -> new BrokerEndpoint(b.nodeId(), b.host(), b.port(), b.rack())).toList();
    }

    @Override
    public List<BrokerEndpoint> liveBrokers(String listenerName) {
        List<BrokerEndpoint> endpoints = new java.util.ArrayList<>();
        for (BrokerRegistration broker : quorum.image().liveBrokers()) {
            broker.listener(listenerName).ifPresent(l -> endpoints.add(new BrokerEndpoint(broker.nodeId(), l.host(), l.port(), broker.rack())));
        }
        return endpoints;
    }

    @Override
    public List<BrokerStatus> brokers() {
        return new java.util.TreeMap<>(quorum.image().brokers()).values().stream()
                .map(b -> new BrokerStatus(new BrokerEndpoint(b.nodeId(), b.host(), b.port(), b.rack()), b.fenced(), b.httpPort()))
                .toList();
    }

    @Override
    public List<BrokerStatus> brokers(String listenerName) {
        List<BrokerStatus> brokers = new java.util.ArrayList<>();
        for (BrokerRegistration broker : new java.util.TreeMap<>(quorum.image().brokers()).values()) {
            broker.listener(listenerName).ifPresent(l -> brokers.add(new BrokerStatus(
                    new BrokerEndpoint(broker.nodeId(), l.host(), l.port()), broker.fenced(), broker.httpPort())));
        }
        return brokers;
    }

    @Override
    public int controllerId() {
        return quorum.leaderId();
    }

    @Override
    public void checkCreatable(String name, int partitionCount) {
        ClusterState.checkCreatable(quorum.image(), name, partitionCount);
    }

    @Override
    public TopicInfo create(String name, int partitionCount, int replicationFactor, Map<String, String> configs) {
        quorum.submit(new CreateTopic(name, newTopicId(), partitionCount, replicationFactor, configs)).orThrow();
        return topic(name).orElseThrow();
    }

    @Override
    public TopicInfo create(String name, List<List<Integer>> assignments, Map<String, String> configs) {
        quorum.submit(CreateTopic.assigned(name, newTopicId(), assignments, configs)).orThrow();
        return topic(name).orElseThrow();
    }

    private static Uuid newTopicId() {
        Uuid id = Uuid.randomUuid();
        while (id.equals(Uuid.ZERO_UUID)) {
            id = Uuid.randomUuid();
        }
        return id;
    }

    @Override
    public TopicInfo addPartitions(String name, int newPartitionCount) {
        quorum.submit(new CreatePartitions(name, newPartitionCount)).orThrow();
        return topic(name).orElseThrow();
    }

    @Override
    public TopicInfo addPartitions(String name, int newPartitionCount, List<List<Integer>> assignments) {
        quorum.submit(new CreatePartitions(name, newPartitionCount, assignments)).orThrow();
        return topic(name).orElseThrow();
    }

    @Override
    public boolean isRegistered(int brokerId) {
        return quorum.image().brokers().containsKey(brokerId);
    }

    @Override
    public TopicInfo replaceConfigs(String name, Map<String, String> configs) {
        quorum.submit(new ReplaceConfigs(name, configs)).orThrow();
        return topic(name).orElseThrow();
    }

    @Override
    public void delete(String name) {
        quorum.submit(new DeleteTopic(name)).orThrow();
    }

    @Override
    public boolean isReplicated() {
        return true;
    }

    @Override
    public SecurityImage security() {
        return quorum.image().security();
    }

    @Override
    public void onSecurityChange(Consumer<SecurityImage> listener) {
        // Every command changes the image; only those that touch ACLs or credentials reach the listener.
        // Serialized, so that the current image, read under the lock, never overtakes a newer one.
        AtomicReference<SecurityImage> last = new AtomicReference<>();
        Consumer<SecurityImage> onImage = security -> {
            synchronized (last) {
                if (last.getAndSet(security) != security) {
                    listener.accept(security);
                }
            }
        };
        quorum.onChange(image -> onImage.accept(image.security()));
        synchronized (last) {
            onImage.accept(quorum.image().security());
        }
    }

    @Override
    public void createAcls(List<AclBinding> acls) {
        quorum.submit(new CreateAcls(acls)).orThrow();
    }

    @Override
    public void deleteAcls(List<AclBinding> acls) {
        quorum.submit(new DeleteAcls(acls)).orThrow();
    }

    @Override
    public boolean putScramCredential(ScramCredentialKey key, ScramCredentialData credential, boolean onlyIfAbsent) {
        return quorum.submit(new PutScramCredential(key, credential, onlyIfAbsent)).orThrow() == 1;
    }

    @Override
    public void deleteScramCredential(ScramCredentialKey key) {
        quorum.submit(new DeleteScramCredential(key)).orThrow();
    }

    @Override
    public DynamicBrokerConfigs dynamicBrokerConfigs() {
        return quorum.image().brokerConfigs();
    }

    @Override
    public void replaceDynamicBrokerConfigs(String resource, Map<String, String> configs) {
        quorum.submit(new ReplaceBrokerConfigs(resource, configs)).orThrow();
    }

    @Override
    public GroupConfigOverrides groupConfigOverrides() {
        return quorum.image().groupConfigs();
    }

    @Override
    public void replaceGroupConfigs(String groupId, Map<String, String> configs) {
        quorum.submit(new MetadataCommand.ReplaceGroupConfigs(groupId, configs)).orThrow();
    }

    @Override
    public void electLeader(String topic, int partition, ElectionType type) {
        quorum.submit(new ElectLeader(topic, partition, type)).orThrow();
    }

    @Override
    public void reassign(String topic, int partition, List<Integer> target, boolean allowReplicationFactorChange) {
        quorum.submit(new ReassignPartition(topic, partition, target, allowReplicationFactorChange)).orThrow();
    }

    @Override
    public void unregisterBroker(int nodeId) {
        quorum.submit(new UnregisterBroker(nodeId)).orThrow();
    }
}
