package io.tributary.broker.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import io.tributary.broker.cluster.MetadataCommand.AllocateProducerIds;
import io.tributary.broker.cluster.MetadataCommand.AlterPartition;
import io.tributary.broker.cluster.MetadataCommand.CreateAcls;
import io.tributary.broker.cluster.MetadataCommand.CreatePartitions;
import io.tributary.broker.cluster.MetadataCommand.CreateTopic;
import io.tributary.broker.cluster.MetadataCommand.DeleteAcls;
import io.tributary.broker.cluster.MetadataCommand.DeleteScramCredential;
import io.tributary.broker.cluster.MetadataCommand.DeleteTopic;
import io.tributary.broker.cluster.MetadataCommand.ElectLeader;
import io.tributary.broker.cluster.MetadataCommand.FenceBroker;
import io.tributary.broker.cluster.MetadataCommand.PutScramCredential;
import io.tributary.broker.cluster.MetadataCommand.ReassignPartition;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import io.tributary.broker.cluster.MetadataCommand.ReplaceBrokerConfigs;
import io.tributary.broker.cluster.MetadataCommand.ReplaceGroupConfigs;
import io.tributary.broker.cluster.MetadataCommand.RegisterMetadataLogDirectory;
import io.tributary.broker.cluster.MetadataCommand.ReplaceConfigs;
import io.tributary.broker.cluster.MetadataCommand.UnregisterBroker;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.ReplicaAssignment;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.metadata.TopicStore;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.protocol.Errors;

/**
 * The metadata state machine: applies committed commands, in log order, to the current
 * {@link MetadataImage}. Applying is deterministic — the same commands give the same image on
 * every broker — and a refused command changes nothing and returns the error to answer.
 *
 * <p>Leaders are elected from the ISR: a fenced broker leaves every ISR and its leaderships move to a
 * live in-sync replica, except that a partition's last in-sync replica stays in its ISR as the only one
 * that may lead it again. Replicas rejoin the ISR through their leader's {@link AlterPartition}, once
 * they caught up; leadership goes back to the preferred replica only through an {@link ElectLeader},
 * which the controller submits for preferred leaders as Kafka's auto leader rebalance does, and for an
 * unclean election — a live out-of-sync replica leading a partition left without in-sync replica —
 * where {@code unclean.leader.election.enable} allows it, or an operator asks for one.
 *
 * <p>Partitions move between brokers as {@link PartitionReassignment} describes; a move completes in
 * the AlterPartition that brings its last target replica into the ISR.
 *
 * <p>Not thread-safe: the Raft state machine applies one command at a time.
 */
public final class ClusterState {

    /** Producer ids handed to a broker at a time. */
    static final int PRODUCER_ID_BLOCK = io.tributary.broker.metadata.ProducerIdAllocator.BLOCK_SIZE;

    private MetadataImage image;
    /**
     * The metadata log index of the command applied last, which a registration takes as its broker
     * epoch; {@link #apply(MetadataCommand)} counts on from it.
     */
    private long index;

    public ClusterState(MetadataImage image) {
        this.image = image;
        this.index = image.brokers().values().stream().mapToLong(BrokerRegistration::epoch).max().orElse(0);
    }

    public MetadataImage image() {
        return image;
    }

    /** Applies {@code command} as if it were the entry after the last one applied (for tests and tools). */
    public CommandResult apply(MetadataCommand command) {
        return apply(index + 1, command);
    }

    /**
     * Applies {@code command}, the entry at {@code logIndex} of the metadata log: a registration's
     * broker epoch is its index, as in Kafka, so that every replica gives the same epoch and an epoch
     * is never given twice.
     */
    public CommandResult apply(long logIndex, MetadataCommand command) {
        index = logIndex;
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
            } else if (command instanceof ElectLeader elect) {
                return electLeader(elect);
            } else if (command instanceof ReplaceBrokerConfigs replace) {
                image = image.withBrokerConfigs(image.brokerConfigs().with(replace.resource(), replace.configs()));
                return CommandResult.OK;
            } else if (command instanceof ReplaceGroupConfigs replace) {
                image = image.withGroupConfigs(image.groupConfigs().with(replace.groupId(), replace.configs()));
                return CommandResult.OK;
            } else if (command instanceof ReassignPartition reassign) {
                return reassign(reassign);
            } else if (command instanceof UnregisterBroker unregister) {
                return unregister(unregister.nodeId());
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
                register.listeners(), register.rack(), index));
        image = image.withBrokers(brokers);
        // A new incarnation may have lost unflushed records: it is no longer known to be in sync.
        image = image.withTopics(mapPartitions(state -> {
            PartitionState left = withoutReplica(state, node);
            boolean lastInSync = left.leader() == PartitionState.NO_LEADER && left.isr().equals(List.of(node));
            return lastInSync ? left.with(node, left.isr()) : left;
        }));
        // The broker's new epoch, which its replica fetchers send with each fetch (BrokerRegistrationResponse's).
        return CommandResult.value(index);
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
        for (int i = 0; i < isr.size(); i++) {
            int replica = isr.get(i);
            if (!state.isr().contains(replica)) {
                checkEligible(replica, alter.brokerEpochs().get(i));
            }
        }
        PartitionState altered = state.with(state.leader(), isr);
        // A move whose last target replica this brings in sync completes, electing its leader. Otherwise, as in
        // Kafka, an ISR change never moves the leadership, even to a preferred replica back in sync: the
        // controller gives preferred leaderships back (ControllerElections).
        replacePartition(topic, alter.partition(), PartitionReassignment.maybeComplete(altered, this::isLive).orElse(altered));
        return CommandResult.OK;
    }

    /** Kafka's check of a replica an ISR change adds (KIP-903): see {@link BrokerRegistration#whyIneligibleForIsr}. */
    private void checkEligible(int replica, long brokerEpoch) {
        String why = BrokerRegistration.whyIneligibleForIsr(image.brokers().get(replica), brokerEpoch);
        if (why != null) {
            throw new MetadataException(Errors.INELIGIBLE_REPLICA, "Replica " + replica + " " + why);
        }
    }

    private void replacePartition(TopicState topic, int index, PartitionState state) {
        List<PartitionState> partitions = new ArrayList<>(topic.partitions());
        partitions.set(index, state);
        Map<String, TopicState> topics = new HashMap<>(image.topics());
        topics.put(topic.info().name(), new TopicState(topic.info(), partitions));
        image = image.withTopics(topics);
    }

    /** Kafka's controller's answers to ElectLeaders, one partition at a time. */
    private CommandResult electLeader(ElectLeader elect) {
        TopicState topic = image.topics().get(elect.topic());
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "No such topic as " + elect.topic());
        }
        if (elect.partition() < 0 || elect.partition() >= topic.partitions().size()) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "No such partition as " + elect.topic()
                    + "-" + elect.partition());
        }
        PartitionState state = topic.partitions().get(elect.partition());
        PartitionState elected = elect.type() == ElectionType.UNCLEAN ? electUnclean(state) : electPreferred(state);
        replacePartition(topic, elect.partition(), elected);
        return CommandResult.OK;
    }

    private PartitionState electPreferred(PartitionState state) {
        int preferred = state.preferredLeader();
        if (state.leader() == preferred) {
            throw new MetadataException(Errors.ELECTION_NOT_NEEDED, Errors.ELECTION_NOT_NEEDED.message());
        }
        if (!state.isr().contains(preferred) || !isLive(preferred)) {
            throw new MetadataException(Errors.PREFERRED_LEADER_NOT_AVAILABLE,
                    Errors.PREFERRED_LEADER_NOT_AVAILABLE.message());
        }
        return state.with(preferred, state.isr());
    }

    /**
     * A partition without a leader gets a live in-sync replica if it has one; else the first live
     * replica in preference order leads with an ISR of itself alone, in a new epoch: the records it
     * lacks are lost, and the other replicas truncate to its log when they return.
     */
    private PartitionState electUnclean(PartitionState state) {
        if (state.leader() != PartitionState.NO_LEADER) {
            throw new MetadataException(Errors.ELECTION_NOT_NEEDED, Errors.ELECTION_NOT_NEEDED.message());
        }
        for (int replica : state.replicas()) {
            if (state.isr().contains(replica) && isLive(replica)) {
                return state.with(replica, state.isr());
            }
        }
        for (int replica : state.replicas()) {
            if (isLive(replica)) {
                return state.with(replica, List.of(replica));
            }
        }
        throw new MetadataException(Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE, Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE.message());
    }

    private CommandResult createTopic(CreateTopic create) {
        checkCreatable(image, create.name(), create.partitions());
        if (image.topic(create.id()).isPresent()) {
            throw new MetadataException(Errors.TOPIC_ALREADY_EXISTS, "Topic id " + create.id() + " is taken.");
        }
        List<PartitionState> partitions = new ArrayList<>();
        long cursor = image.placementCursor();
        if (create.assignments().isEmpty()) {
            List<Integer> live = checkReplicationFactor(create.replicationFactor());
            for (List<Integer> replicas : ReplicaPlacement.place(live, racks(), cursor, create.partitions(),
                    create.replicationFactor())) {
                partitions.add(PartitionState.initial(replicas));
            }
            cursor += create.partitions();
        } else {
            ReplicaAssignment.validateAll(create.assignments(), image.brokers()::containsKey);
            for (int index = 0; index < create.assignments().size(); index++) {
                partitions.add(assigned(create.assignments().get(index), index));
            }
        }
        TopicInfo info = new TopicInfo(create.name(), create.id(), partitions.size(), create.configs());
        Map<String, TopicState> topics = new HashMap<>(image.topics());
        topics.put(create.name(), new TopicState(info, partitions));
        image = image.withTopics(topics, cursor);
        return CommandResult.OK;
    }

    /**
     * A new partition on replicas the client chose: as in Kafka, those fenced start out of the ISR and
     * the first live one leads.
     */
    private PartitionState assigned(List<Integer> replicas, int index) {
        List<Integer> isr = replicas.stream().filter(this::isLive).toList();
        if (isr.isEmpty()) {
            throw ReplicaAssignment.invalid("All brokers specified in the manual partition assignment for partition "
                    + index + " are fenced or in controlled shutdown.");
        }
        return new PartitionState(isr.get(0), 0, replicas, isr);
    }

    private CommandResult createPartitions(CreatePartitions create) {
        TopicState topic = require(create.name());
        int current = topic.partitions().size();
        if (create.partitionCount() <= current) {
            throw new MetadataException(Errors.INVALID_PARTITIONS, "Topic currently has " + current
                    + " partitions, which is higher than the requested " + create.partitionCount() + ".");
        }
        // Partition 0 may be moving: its target replicas say the replication factor.
        int replicationFactor = topic.partitions().get(0).targetReplicas().size();
        List<PartitionState> partitions = new ArrayList<>(topic.partitions());
        int added = create.partitionCount() - current;
        long cursor = image.placementCursor();
        if (create.assignments().isEmpty()) {
            List<Integer> live = checkReplicationFactor(replicationFactor);
            for (List<Integer> replicas : ReplicaPlacement.place(live, racks(), cursor, added, replicationFactor)) {
                partitions.add(PartitionState.initial(replicas));
            }
            cursor += added;
        } else {
            ReplicaAssignment.validateAdded(create.assignments(), added, replicationFactor, image.brokers()::containsKey);
            for (List<Integer> replicas : create.assignments()) {
                partitions.add(assigned(replicas, partitions.size()));
            }
        }
        TopicInfo old = topic.info();
        TopicInfo info = new TopicInfo(old.name(), old.id(), create.partitionCount(), old.configs());
        Map<String, TopicState> topics = new HashMap<>(image.topics());
        topics.put(info.name(), new TopicState(info, partitions));
        image = image.withTopics(topics, cursor);
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

    // Moving partitions and retiring brokers.

    private CommandResult reassign(ReassignPartition reassign) {
        TopicState topic = image.topics().get(reassign.topic());
        if (topic == null) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unable to find a topic named "
                    + reassign.topic() + ".");
        }
        if (reassign.partition() < 0 || reassign.partition() >= topic.partitions().size()) {
            throw new MetadataException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unable to find partition "
                    + reassign.topic() + ":" + reassign.partition() + ".");
        }
        PartitionState state = topic.partitions().get(reassign.partition());
        PartitionState changed;
        if (reassign.isCancel()) {
            changed = PartitionReassignment.cancel(state, reassign.topic(), reassign.partition(), this::isLive);
        } else {
            checkReassignment(state, reassign);
            changed = PartitionReassignment.start(state, reassign.target(), this::isLive);
        }
        if (!changed.equals(state)) {
            replacePartition(topic, reassign.partition(), changed);
        }
        return CommandResult.OK;
    }

    private void checkReassignment(PartitionState state, ReassignPartition reassign) {
        ReplicaAssignment.validate(reassign.target(), image.brokers()::containsKey, OptionalInt.empty());
        int current = state.targetReplicas().size();
        if (!reassign.allowReplicationFactorChange() && reassign.target().size() != current) {
            throw new MetadataException(Errors.INVALID_REPLICATION_FACTOR, "The replication factor is changed from "
                    + current + " to " + reassign.target().size());
        }
    }

    /**
     * Forgets a broker that is stopped (fenced) and holds no replica. Kafka forgets any registered
     * broker; refusing a live one or one still holding replicas keeps an operator from making
     * partitions under-replicated by a slip of the id.
     */
    private CommandResult unregister(int node) {
        BrokerRegistration broker = image.brokers().get(node);
        if (broker == null) {
            throw new MetadataException(Errors.BROKER_ID_NOT_REGISTERED, "Broker ID " + node
                    + " is not currently registered");
        }
        if (!broker.fenced()) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Broker " + node
                    + " is running: stop it before unregistering it.");
        }
        List<String> held = new ArrayList<>();
        for (TopicState topic : image.topics().values()) {
            for (int index = 0; index < topic.partitions().size(); index++) {
                if (topic.partitions().get(index).replicas().contains(node)) {
                    held.add(topic.info().name() + "-" + index);
                }
            }
        }
        if (!held.isEmpty()) {
            Collections.sort(held);
            throw new MetadataException(Errors.INVALID_REQUEST, "Broker " + node + " still holds " + held.size()
                    + " replica(s) (" + String.join(", ", held.subList(0, Math.min(5, held.size())))
                    + (held.size() > 5 ? ", ..." : "") + "): move them off it first.");
        }
        Map<Integer, BrokerRegistration> brokers = new HashMap<>(image.brokers());
        brokers.remove(node);
        image = image.withBrokers(brokers);
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

    /** The rack of each registered broker that has one. */
    private Map<Integer, String> racks() {
        Map<Integer, String> racks = new HashMap<>();
        image.brokers().values().stream().filter(b -> b.rack() != null).forEach(b -> racks.put(b.nodeId(), b.rack()));
        return racks;
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
