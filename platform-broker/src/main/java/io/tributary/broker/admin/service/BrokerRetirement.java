package io.tributary.broker.admin.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.tributary.broker.metadata.BrokerStatus;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Retiring a broker: draining it — moving every replica it holds to other live brokers with Kafka's
 * partition reassignments, each partition keeping its replication factor — following the drain, and
 * finally unregistering the broker once it is stopped and holds nothing.
 *
 * <p>A replacement is the live broker, among those not already holding the partition, with the fewest
 * replicas (counting the moves planned so far), the lowest id on a tie. It joins at the end of the
 * partition's replicas, so an in-sync replica the partition already has becomes the preferred leader
 * of a partition the retiring broker led. Thread-safe.
 */
public final class BrokerRetirement {

    private static final String CLUSTER = "kafka-cluster";

    /**
     * One partition's move off the broker.
     *
     * @param from  its replicas when the drain began
     * @param to    the replicas it moves to
     * @param error why the move could not start (the topic was deleted meanwhile, …), or {@code null}
     */
    public record Move(String topic, int partition, List<Integer> from, List<Integer> to, String error) {
    }

    /** The moves a drain started; those of partitions already on their way off the broker are not repeated. */
    public record DrainPlan(int nodeId, List<Move> moves) {
    }

    /** A partition that still has a replica on the broker, with its move, if one is in progress. */
    public record Remaining(String topic, int partition, List<Integer> replicas, List<Integer> isr,
            List<Integer> adding, List<Integer> removing) {
    }

    /**
     * How far a drain got.
     *
     * @param fenced whether the broker is stopped (or silent)
     * @param done   whether no partition has a replica on it any more: it can be stopped and unregistered
     */
    public record DrainProgress(int nodeId, boolean fenced, boolean done, List<Remaining> remaining) {
    }

    private final ClusterMetadata metadata;
    private final AdminAuthorization authorization;

    public BrokerRetirement(ClusterMetadata metadata, AdminAuthorization authorization) {
        this.metadata = metadata;
        this.authorization = authorization;
    }

    /**
     * Starts moving every replica off {@code nodeId}; refuses before moving anything when some
     * partition could not keep its replication factor without it.
     */
    public DrainPlan drain(int nodeId) {
        authorization.check(AclOperation.ALTER, ResourceType.CLUSTER, CLUSTER, ApiKeys.ALTER_PARTITION_REASSIGNMENTS);
        BrokerStatus retiring = require(nodeId);
        List<Integer> others = metadata.brokers().stream().filter(b -> !b.fenced() && b.nodeId() != retiring.nodeId())
                .map(BrokerStatus::nodeId).toList();
        Map<Integer, String> racks = new HashMap<>();
        metadata.brokers().stream().filter(b -> b.endpoint().rack() != null)
                .forEach(b -> racks.put(b.nodeId(), b.endpoint().rack()));
        List<Move> planned = plan(nodeId, others, racks, partitions());
        List<Move> started = new ArrayList<>();
        for (Move move : planned) {
            String error = null;
            try {
                metadata.reassign(move.topic(), move.partition(), move.to(), false);
            } catch (MetadataException e) {
                error = e.error().name() + ": " + e.getMessage();
            }
            started.add(new Move(move.topic(), move.partition(), move.from(), move.to(), error));
        }
        return new DrainPlan(nodeId, started);
    }

    /** The partitions that still have a replica on {@code nodeId}. */
    public DrainProgress progress(int nodeId) {
        authorization.check(AclOperation.DESCRIBE, ResourceType.CLUSTER, CLUSTER, ApiKeys.LIST_PARTITION_REASSIGNMENTS);
        BrokerStatus broker = require(nodeId);
        List<Remaining> remaining = new ArrayList<>();
        partitions().forEach((partition, state) -> {
            if (state.replicas().contains(nodeId)) {
                remaining.add(new Remaining(partition.topic(), partition.index(), state.replicas(), state.isr(),
                        state.adding(), state.removing()));
            }
        });
        return new DrainProgress(nodeId, broker.fenced(), remaining.isEmpty(), remaining);
    }

    /** Forgets a broker that is stopped and holds no replica (Kafka's UnregisterBroker). */
    public void unregister(int nodeId) {
        authorization.check(AclOperation.ALTER, ResourceType.CLUSTER, CLUSTER, ApiKeys.UNREGISTER_BROKER);
        metadata.unregisterBroker(nodeId);
    }

    /** As {@link #plan(int, List, Map, Map)} with brokers in no rack. */
    static List<Move> plan(int nodeId, List<Integer> others, Map<Partition, PartitionState> partitions) {
        return plan(nodeId, others, Map.of(), partitions);
    }

    /**
     * The moves that take {@code nodeId} out of every partition headed for it, replacing it with the
     * least-loaded of {@code others} not already a replica — first among those in a rack none of the
     * partition's other replicas is in, so that a drain keeps each partition spread over racks (KIP-36).
     * A broker in no rack counts as a rack of its own.
     *
     * @param racks the rack of each broker that has one
     * @throws MetadataException INVALID_REPLICATION_FACTOR when a partition has no such broker left
     */
    static List<Move> plan(int nodeId, List<Integer> others, Map<Integer, String> racks,
            Map<Partition, PartitionState> partitions) {
        Map<Integer, Integer> load = new HashMap<>();
        others.forEach(broker -> load.put(broker, 0));
        partitions.values().forEach(state -> state.targetReplicas().forEach(r -> load.computeIfPresent(r, (b, n) -> n + 1)));
        List<Move> moves = new ArrayList<>();
        partitions.forEach((partition, state) -> {
            List<Integer> target = new ArrayList<>(state.targetReplicas());
            if (!target.remove(Integer.valueOf(nodeId))) {
                return;
            }
            java.util.Set<String> racksHeld = new java.util.HashSet<>();
            target.forEach(replica -> racksHeld.add(rackOf(replica, racks)));
            int replacement = others.stream().filter(broker -> !target.contains(broker))
                    .min(Comparator.<Integer, Boolean>comparing(broker -> racksHeld.contains(rackOf(broker, racks)))
                            .thenComparingInt(load::get).thenComparing(Comparator.naturalOrder()))
                    .orElseThrow(() -> new MetadataException(Errors.INVALID_REPLICATION_FACTOR, partition
                            + " cannot keep its " + state.targetReplicas().size() + " replicas without broker " + nodeId
                            + ": only " + others.size() + " other broker(s) are live."));
            target.add(replacement);
            load.merge(replacement, 1, Integer::sum);
            moves.add(new Move(partition.topic(), partition.index(), state.replicas(), List.copyOf(target), null));
        });
        return moves;
    }

    private static String rackOf(int broker, Map<Integer, String> racks) {
        return racks.getOrDefault(broker, "\u0000" + broker);
    }

    /** A partition of a topic, in the order drains go through them. */
    record Partition(String topic, int index) implements Comparable<Partition> {

        @Override
        public int compareTo(Partition other) {
            int byTopic = topic.compareTo(other.topic);
            return byTopic != 0 ? byTopic : Integer.compare(index, other.index);
        }

        @Override
        public String toString() {
            return topic + "-" + index;
        }
    }

    private Map<Partition, PartitionState> partitions() {
        Map<Partition, PartitionState> partitions = new TreeMap<>();
        for (TopicInfo topic : metadata.topics()) {
            for (int index = 0; index < topic.partitionCount(); index++) {
                int i = index;
                metadata.partition(topic.name(), index).ifPresent(state -> partitions.put(new Partition(topic.name(), i), state));
            }
        }
        return partitions;
    }

    private BrokerStatus require(int nodeId) {
        return metadata.brokers().stream().filter(b -> b.nodeId() == nodeId).findFirst()
                .orElseThrow(() -> new MetadataException(Errors.BROKER_ID_NOT_REGISTERED, "Broker ID " + nodeId
                        + " is not currently registered"));
    }
}
