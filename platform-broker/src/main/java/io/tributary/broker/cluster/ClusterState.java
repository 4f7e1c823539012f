package io.tributary.broker.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.tributary.broker.cluster.MetadataCommand.AllocateProducerIds;
import io.tributary.broker.cluster.MetadataCommand.AlterPartition;
import io.tributary.broker.cluster.MetadataCommand.CreateAcls;
import io.tributary.broker.cluster.MetadataCommand.CreatePartitions;
import io.tributary.broker.cluster.MetadataCommand.CreateTopic;
import io.tributary.broker.cluster.MetadataCommand.DeleteAcls;
import io.tributary.broker.cluster.MetadataCommand.DeleteScramCredential;
import io.tributary.broker.cluster.MetadataCommand.DeleteTopic;
import io.tributary.broker.cluster.MetadataCommand.FenceBroker;
import io.tributary.broker.cluster.MetadataCommand.PutScramCredential;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import io.tributary.broker.cluster.MetadataCommand.RegisterMetadataLogDirectory;
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
 * <p>Leaders are elected from the ISR only (no unclean election): a fenced broker leaves every ISR
 * and its leaderships move to a live in-sync replica, except that a partition's last in-sync replica
 * stays in its ISR as the only one that may lead it again. Replicas rejoin the ISR through their
 * leader's {@link AlterPartition}, once they caught up.
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
            } else if (command instanceof AlterPartition alter) {
                return alterPartition(alter);
            } else if (command instanceof CreateAcls create) {
                image = image.withSecurity(image.security().withAcls(create.acls()));
                return CommandResult.OK;
            } else if (command instanceof DeleteAcls delete) {
                image = image.withSecurity(image.security().withoutAcls(delete.acls()));
                return CommandResult.OK;
            } else if (command instanceof PutScramCredential put) {
                return putScramCredential(put);
            } else if (command instanceof DeleteScramCredential delete) {
                image = image.withSecurity(image.security().withoutCredential(delete.key()));
                return CommandResult.OK;
            } else if (command instanceof RegisterMetadataLogDirectory register) {
                image = image.withMetadataLogDirectory(register.nodeId(), register.directoryId());
                return CommandResult.OK;
            }
            throw new IllegalArgumentException("Unknown command " + command);
        } catch (MetadataException e) {
            return CommandResult.failed(e);
        }
    }

    private CommandResult register(RegisterBroker register) {
        int node = register.nodeId();
        Map<Integer, BrokerRegistration> brokers = new HashMap<>(image.brokers());
        brokers.put(node, new BrokerRegistration(node, register.host(), register.port(), register.httpPort(), false,
                register.listeners()));
        image = image.withBrokers(brokers);
        // A new incarnation may have lost unflushed records: it is no longer known to be in sync.
        image = image.withTopics(mapPartitions(state -> {
            PartitionState left = withoutReplica(state, node);
            boolean lastInSync = left.leader() == PartitionState.NO_LEADER && left.isr().equals(List.of(node));
            return lastInSync ? left.with(node, left.isr()) : left;
        }));
        return CommandResult.OK;
    }

    private CommandResult fence(int node) {
        BrokerRegistration broker = image.brokers().get(node);
        if (broker == null || broker.fenced()) {
            return CommandResult.OK;
        }
        Map<Integer, BrokerRegistration> brokers = new HashMap<>(image.brokers());
        brokers.put(node, broker.fence());
        image = image.withBrokers(brokers);
        image = image.withTopics(mapPartitions(state -> withoutReplica(state, node)));
        return CommandResult.OK;
    }

    /**
     * {@code state} with {@code node} out of its ISR and its leadership moved to a live in-sync
     * replica; the last in-sync replica stays, leaderless, as Kafka keeps it.
     */
    private PartitionState withoutReplica(PartitionState state, int node) {
        if (!state.isr().contains(node) && state.leader() != node) {
            return state;
        }
        List<Integer> isr = state.isr().stream().filter(r -> r != node).toList();
        if (isr.isEmpty()) {
            return state.with(PartitionState.NO_LEADER, state.isr());
        }
        if (state.leader() != node && state.leader() != PartitionState.NO_LEADER) {
            return state.with(state.leader(), isr);
        }
        return state.with(electLeader(state.replicas(), isr), isr);
    }

    /** The first replica, in preference order, that is in sync and live; else the first in sync. */
    private int electLeader(List<Integer> replicas, List<Integer> isr) {
        return replicas.stream().filter(r -> isr.contains(r) && isLive(r)).findFirst()
                .orElseGet(() -> replicas.stream().filter(isr::contains).findFirst().orElseThrow());
    }

    private boolean isLive(int node) {
        BrokerRegistration broker = image.brokers().get(node);
        return broker != null && !broker.fenced();
    }

    private CommandResult alterPartition(AlterPartition alter) {
        TopicState topic = require(alter.topic());
        if (alter.partition() < 0 || alter.partition() >= topic.partitions().size()) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "No partition " + alter.partition()
                    + " in topic '" + alter.topic() + "'.");
        }
        PartitionState state = topic.partitions().get(alter.partition());
        if (state.leader() != alter.leaderId() || state.leaderEpoch() != alter.leaderEpoch()) {
            throw new MetadataException(Errors.FENCED_LEADER_EPOCH, "Broker " + alter.leaderId() + " in leader epoch "
                    + alter.leaderEpoch() + " does not lead " + alter.topic() + "-" + alter.partition()
                    + " (leader " + state.leader() + ", epoch " + state.leaderEpoch() + ")");
        }
        List<Integer> isr = alter.isr();
        if (!isr.contains(state.leader()) || !state.replicas().containsAll(isr)) {
            throw new MetadataException(Errors.INVALID_REQUEST, "ISR " + isr + " is not a set of the replicas "
                    + state.replicas() + " holding the leader " + state.leader());
        }
        for (int replica : isr) {
            if (!state.isr().contains(replica) && !isLive(replica)) {
                throw new MetadataException(Errors.INELIGIBLE_REPLICA, "Replica " + replica + " is fenced");
            }
        }
        int preferred = state.preferredLeader();
        int leader = isr.contains(preferred) && isLive(preferred) ? preferred : state.leader();
        List<PartitionState> partitions = new ArrayList<>(topic.partitions());
        partitions.set(alter.partition(), state.with(leader, isr));
        Map<String, TopicState> topics = new HashMap<>(image.topics());
        topics.put(alter.topic(), new TopicState(topic.info(), partitions));
        image = image.withTopics(topics);
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
        image = image.withTopics(topics).withPlacementCursor(image.placementCursor() + create.partitions());
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
        image = image.withTopics(topics).withPlacementCursor(image.placementCursor() + added);
        return CommandResult.OK;
    }

    private CommandResult replaceConfigs(ReplaceConfigs replace) {
        TopicState topic = require(replace.name());
        TopicInfo old = topic.info();
        Map<String, TopicState> topics = new HashMap<>(image.topics());
        topics.put(old.name(), new TopicState(new TopicInfo(old.name(), old.id(), old.partitionCount(), replace.configs()),
                topic.partitions()));
        image = image.withTopics(topics);
        return CommandResult.OK;
    }

    private CommandResult deleteTopic(String name) {
        require(name);
        Map<String, TopicState> topics = new HashMap<>(image.topics());
        topics.remove(name);
        image = image.withTopics(topics);
        return CommandResult.OK;
    }

    private CommandResult putScramCredential(PutScramCredential put) {
        image = image.withSecurity(image.security().withCredential(put.key(), put.credential(), put.onlyIfAbsent()));
        return CommandResult.value(put.credential().equals(image.security().credentials().get(put.key())) ? 1 : 0);
    }

    private CommandResult allocateProducerIds() {
        long first = image.nextProducerId();
        image = image.withNextProducerId(first + PRODUCER_ID_BLOCK);
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
