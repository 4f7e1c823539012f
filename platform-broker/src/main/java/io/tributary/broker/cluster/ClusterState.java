package io.tributary.broker.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.tributary.broker.cluster.MetadataCommand.AllocateProducerIds;
import io.tributary.broker.cluster.MetadataCommand.CreatePartitions;
import io.tributary.broker.cluster.MetadataCommand.CreateTopic;
import io.tributary.broker.cluster.MetadataCommand.DeleteTopic;
import io.tributary.broker.cluster.MetadataCommand.FenceBroker;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import io.tributary.broker.cluster.MetadataCommand.ReplaceConfigs;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.metadata.TopicStore;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;

/**
 * The metadata state machine: applies committed commands, in log order, to the current
 * {@link MetadataImage}. Applying is deterministic — the same commands give the same image on
 * every broker — and a refused command changes nothing and returns the error to answer.
 *
 * <p>Phase 1 of replication: ISR membership follows liveness only (a registered broker is in sync,
 * a fenced one is not), because followers do not fetch yet.
 *
 * <p>Not thread-safe: the Raft state machine applies one command at a time.
 */
public final class ClusterState {

    /** Producer ids handed to a broker at a time. */
    static final int PRODUCER_ID_BLOCK = io.tributary.broker.metadata.ProducerIdAllocator.BLOCK_SIZE;

    private MetadataImage image;

    public ClusterState(MetadataImage image) {
        this.image = image;
    }

    public MetadataImage image() {
        return image;
    }

    public CommandResult apply(MetadataCommand command) {
        try {
            if (command instanceof RegisterBroker register) {
                return register(register);
            } else if (command instanceof FenceBroker fence) {
                return fence(fence.nodeId());
            } else if (command instanceof CreateTopic create) {
                return createTopic(create);
            } else if (command instanceof CreatePartitions create) {
                return createPartitions(create);
            } else if (command instanceof ReplaceConfigs replace) {
                return replaceConfigs(replace);
            } else if (command instanceof DeleteTopic delete) {
                return deleteTopic(delete.name());
            } else if (command instanceof AllocateProducerIds) {
                return allocateProducerIds();
            }
            throw new IllegalArgumentException("Unknown command " + command);
        } catch (MetadataException e) {
            return CommandResult.failed(e);
        }
    }

    private CommandResult register(RegisterBroker register) {
        int node = register.nodeId();
        Map<Integer, BrokerRegistration> brokers = new HashMap<>(image.brokers());
        brokers.put(node, new BrokerRegistration(node, register.host(), register.port(), false));
        Map<String, TopicState> topics = mapPartitions(state -> {
            if (!state.replicas().contains(node)) {
                return state;
            }
            List<Integer> isr = state.replicas().stream().filter(r -> r == node || state.isr().contains(r)).toList();
            boolean leaderless = state.leader() == PartitionState.NO_LEADER;
            int leader = state.preferredLeader() == node || leaderless ? node : state.leader();
            return state.with(leader, isr);
        });
        image = new MetadataImage(brokers, topics, image.nextProducerId(), image.placementCursor());
        return CommandResult.OK;
    }

    private CommandResult fence(int node) {
        BrokerRegistration broker = image.brokers().get(node);
        if (broker == null || broker.fenced()) {
            return CommandResult.OK;
        }
        Map<Integer, BrokerRegistration> brokers = new HashMap<>(image.brokers());
        brokers.put(node, broker.fence());
        Map<String, TopicState> topics = mapPartitions(state -> {
            if (!state.isr().contains(node) && state.leader() != node) {
                return state;
            }
            List<Integer> isr = state.isr().stream().filter(r -> r != node).toList();
            if (isr.isEmpty()) {
                // Kafka keeps the last in-sync replica in the ISR: it is the only one that may lead again.
                return state.with(PartitionState.NO_LEADER, state.isr());
            }
            int leader = state.leader() != node && state.leader() != PartitionState.NO_LEADER ? state.leader()
                    : state.replicas().stream().filter(isr::contains).findFirst().orElseThrow();
            return state.with(leader, isr);
        });
        image = new MetadataImage(brokers, topics, image.nextProducerId(), image.placementCursor());
        return CommandResult.OK;
    }

    private CommandResult createTopic(CreateTopic create) {
        checkCreatable(image, create.name(), create.partitions());
        if (image.topic(create.id()).isPresent()) {
            throw new MetadataException(Errors.TOPIC_ALREADY_EXISTS, "Topic id " + create.id() + " is taken.");
        }
        List<Integer> live = checkReplicationFactor(create.replicationFactor());
        List<PartitionState> partitions = new ArrayList<>();
        for (List<Integer> replicas : ReplicaPlacement.place(live, image.placementCursor(), create.partitions(),
                create.replicationFactor())) {
            partitions.add(PartitionState.initial(replicas));
        }
        TopicInfo info = new TopicInfo(create.name(), create.id(), create.partitions(), create.configs());
        Map<String, TopicState> topics = new HashMap<>(image.topics());
        topics.put(create.name(), new TopicState(info, partitions));
        image = new MetadataImage(image.brokers(), topics, image.nextProducerId(),
                image.placementCursor() + create.partitions());
        return CommandResult.OK;
    }

    private CommandResult createPartitions(CreatePartitions create) {
        TopicState topic = require(create.name());
        int current = topic.partitions().size();
        if (create.partitionCount() <= current) {
            throw new MetadataException(Errors.INVALID_PARTITIONS, "Topic currently has " + current
                    + " partitions, which is higher than the requested " + create.partitionCount() + ".");
        }
        List<Integer> live = checkReplicationFactor(topic.partitions().get(0).replicas().size());
        List<PartitionState> partitions = new ArrayList<>(topic.partitions());
        int added = create.partitionCount() - current;
        for (List<Integer> replicas : ReplicaPlacement.place(live, image.placementCursor(), added,
                topic.partitions().get(0).replicas().size())) {
            partitions.add(PartitionState.initial(replicas));
        }
        TopicInfo old = topic.info();
        TopicInfo info = new TopicInfo(old.name(), old.id(), create.partitionCount(), old.configs());
        Map<String, TopicState> topics = new HashMap<>(image.topics());
        topics.put(info.name(), new TopicState(info, partitions));
        image = new MetadataImage(image.brokers(), topics, image.nextProducerId(), image.placementCursor() + added);
        return CommandResult.OK;
    }

    private CommandResult replaceConfigs(ReplaceConfigs replace) {
        TopicState topic = require(replace.name());
        TopicInfo old = topic.info();
        Map<String, TopicState> topics = new HashMap<>(image.topics());
        topics.put(old.name(), new TopicState(new TopicInfo(old.name(), old.id(), old.partitionCount(), replace.configs()),
                topic.partitions()));
        image = new MetadataImage(image.brokers(), topics, image.nextProducerId(), image.placementCursor());
        return CommandResult.OK;
    }

    private CommandResult deleteTopic(String name) {
        require(name);
        Map<String, TopicState> topics = new HashMap<>(image.topics());
        topics.remove(name);
        image = new MetadataImage(image.brokers(), topics, image.nextProducerId(), image.placementCursor());
        return CommandResult.OK;
    }

    private CommandResult allocateProducerIds() {
        long first = image.nextProducerId();
        image = new MetadataImage(image.brokers(), image.topics(), first + PRODUCER_ID_BLOCK, image.placementCursor());
        return CommandResult.value(first);
    }

    /** Throws {@link MetadataException} with the Kafka error to answer unless such a topic could be created. */
    static void checkCreatable(MetadataImage image, String name, int partitionCount) {
        TopicStore.validateName(name);
        if (image.topics().containsKey(name)) {
            throw new MetadataException(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists.");
        }
        if (partitionCount < 1) {
            throw new MetadataException(Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0.");
        }
        for (String existing : image.topics().keySet()) {
            if (Topic.hasCollision(existing, name)) {
                throw new MetadataException(Errors.INVALID_TOPIC_EXCEPTION, "Topic '" + name
                        + "' collides with existing topic: " + existing);
            }
        }
    }

    private List<Integer> checkReplicationFactor(int replicationFactor) {
        List<Integer> live = image.liveBrokers().stream().map(BrokerRegistration::nodeId).toList();
        if (replicationFactor < 1 || replicationFactor > live.size()) {
            throw new MetadataException(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
                    + replicationFactor + " time(s): The target replication factor of " + replicationFactor
                    + " cannot be reached because only " + live.size() + " broker(s) are registered.");
        }
        return live;
    }

    private TopicState require(String name) {
        TopicState topic = image.topics().get(name);
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Topic '" + name + "' does not exist.");
        }
        return topic;
    }

    private Map<String, TopicState> mapPartitions(java.util.function.UnaryOperator<PartitionState> change) {
        Map<String, TopicState> topics = new HashMap<>();
        for (TopicState topic : image.topics().values()) {
            topics.put(topic.info().name(), new TopicState(topic.info(),
                    topic.partitions().stream().map(change).toList()));
        }
        return topics;
    }
}
