package io.tributary.broker.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import io.tributary.broker.metadata.DynamicBrokerConfigs;
import io.tributary.broker.metadata.GroupConfigOverrides;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.SecurityImage;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.Uuid;

/**
 * The cluster metadata at one point of the Raft log: immutable, so readers on any thread see a
 * consistent whole while the next command is applied to a new image.
 *
 * @param nextProducerId  the first producer id not yet handed to any broker
 * @param placementCursor where round-robin placement of the next partition starts
 * @param security        the ACLs and SCRAM credentials; the same instance until one of them changes
 * @param brokerConfigs   the dynamic broker configs, cluster-wide and per broker
 * @param metadataLogDirectories the directory id of each node's copy of the metadata log (its Raft
 *        storage), by node id: with the node id, what tells a voter apart from a later incarnation of
 *        the same node on a new disk, as Kafka's replica key does
 * @param groupConfigs    the group configs set, by group id; the same instance until one of them changes
 */
public record MetadataImage(Map<Integer, BrokerRegistration> brokers, Map<String, TopicState> topics,
        long nextProducerId, long placementCursor, SecurityImage security, DynamicBrokerConfigs brokerConfigs,
        Map<Integer, Uuid> metadataLogDirectories, GroupConfigOverrides groupConfigs) {

    public static final MetadataImage EMPTY = new MetadataImage(Map.of(), Map.of(), 0, 0, SecurityImage.EMPTY);

    /** An image without group configs. */
    public MetadataImage(Map<Integer, BrokerRegistration> brokers, Map<String, TopicState> topics, long nextProducerId,
            long placementCursor, SecurityImage security, DynamicBrokerConfigs brokerConfigs,
            Map<Integer, Uuid> metadataLogDirectories) {
        this(brokers, topics, nextProducerId, placementCursor, security, brokerConfigs, metadataLogDirectories,
                GroupConfigOverrides.EMPTY);
    }

    public MetadataImage {
        brokers = Map.copyOf(brokers);
        topics = Map.copyOf(topics);
        metadataLogDirectories = Map.copyOf(metadataLogDirectories);
    }

    /** An image without dynamic broker configs or metadata log directories. */
    public MetadataImage(Map<Integer, BrokerRegistration> brokers, Map<String, TopicState> topics, long nextProducerId,
            long placementCursor, SecurityImage security) {
        this(brokers, topics, nextProducerId, placementCursor, security, DynamicBrokerConfigs.EMPTY, Map.of());
    }

    public MetadataImage(Map<Integer, BrokerRegistration> brokers, Map<String, TopicState> topics, long nextProducerId,
            long placementCursor, SecurityImage security, DynamicBrokerConfigs brokerConfigs) {
        this(brokers, topics, nextProducerId, placementCursor, security, brokerConfigs, Map.of());
    }

    public MetadataImage(Map<Integer, BrokerRegistration> brokers, Map<String, TopicState> topics, long nextProducerId,
            long placementCursor, SecurityImage security, Map<Integer, Uuid> metadataLogDirectories) {
        this(brokers, topics, nextProducerId, placementCursor, security, DynamicBrokerConfigs.EMPTY, metadataLogDirectories);
    }

    public MetadataImage withBrokers(Map<Integer, BrokerRegistration> brokers) {
        return new MetadataImage(brokers, topics, nextProducerId, placementCursor, security, brokerConfigs,
                metadataLogDirectories, groupConfigs);
    }

    public MetadataImage withTopics(Map<String, TopicState> topics) {
        return withTopics(topics, placementCursor);
    }

    /** With these topics, placement of the next partition starting at {@code placementCursor}. */
    public MetadataImage withTopics(Map<String, TopicState> topics, long placementCursor) {
        return new MetadataImage(brokers, topics, nextProducerId, placementCursor, security, brokerConfigs,
                metadataLogDirectories, groupConfigs);
    }

    public MetadataImage withNextProducerId(long nextProducerId) {
        return new MetadataImage(brokers, topics, nextProducerId, placementCursor, security, brokerConfigs,
                metadataLogDirectories, groupConfigs);
    }

    public MetadataImage withSecurity(SecurityImage security) {
        return new MetadataImage(brokers, topics, nextProducerId, placementCursor, security, brokerConfigs,
                metadataLogDirectories, groupConfigs);
    }

    public MetadataImage withPlacementCursor(long placementCursor) {
        return withTopics(topics, placementCursor);
    }

    public MetadataImage withMetadataLogDirectory(int nodeId, Uuid directoryId) {
        Map<Integer, Uuid> directories = new java.util.HashMap<>(metadataLogDirectories);
        directories.put(nodeId, directoryId);
        return new MetadataImage(brokers, topics, nextProducerId, placementCursor, security, brokerConfigs, directories,
                groupConfigs);
    }

    /** The directory id of {@code nodeId}'s metadata log, or Kafka's zero id when it has not told it. */
    public Uuid metadataLogDirectory(int nodeId) {
        return metadataLogDirectories.getOrDefault(nodeId, Uuid.ZERO_UUID);
    }

    public MetadataImage withBrokerConfigs(DynamicBrokerConfigs brokerConfigs) {
        return new MetadataImage(brokers, topics, nextProducerId, placementCursor, security, brokerConfigs,
                metadataLogDirectories, groupConfigs);
    }

    public MetadataImage withGroupConfigs(GroupConfigOverrides groupConfigs) {
        return new MetadataImage(brokers, topics, nextProducerId, placementCursor, security, brokerConfigs,
                metadataLogDirectories, groupConfigs);
    }

    public Optional<TopicState> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<TopicState> topic(Uuid id) {
        return topics.values().stream().filter(t -> t.info().id().equals(id)).findFirst();
    }

    public Optional<PartitionState> partition(String topic, int index) {
        TopicState state = topics.get(topic);
        return state == null || index < 0 || index >= state.partitions().size() ? Optional.empty()
                : Optional.of(state.partitions().get(index));
    }

    public List<TopicInfo> topicInfos() {
        return topics.values().stream().map(TopicState::info).toList();
    }

    /** Registered, unfenced brokers, by node id. */
    public List<BrokerRegistration> liveBrokers() {
        return new TreeMap<>(brokers).values().stream().filter(b -> !b.fenced()).toList();
    }

    /** How many partitions each broker leads, for checking that placement is even. */
    public Map<Integer, Long> leaderCounts() {
        return topics.values().stream().flatMap(t -> t.partitions().stream())
                .collect(Collectors.groupingBy(PartitionState::leader, TreeMap::new, Collectors.counting()));
    }
}
