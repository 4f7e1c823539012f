package io.tributary.broker.partition;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.replica.ClientMetadata;
import org.apache.kafka.common.replica.PartitionView;
import org.apache.kafka.common.replica.ReplicaSelector;
import org.apache.kafka.common.replica.ReplicaView;

/**
 * Fetching from the closest replica (KIP-392), on the leader: which replica a consumer should read a
 * partition from, chosen by a Kafka {@link ReplicaSelector} (Kafka's {@code replica.selector.class};
 * the rack-aware one picks an in-sync replica in the consumer's {@code client.rack}). Only in-sync
 * followers that hold the consumer's offset are offered, as Kafka does, so a consumer never moves to
 * a replica that cannot serve it at once.
 */
public final class ReadReplicaSelection {

    /** Every consumer reads from the leader. */
    public static final ReadReplicaSelection LEADER_ONLY = new ReadReplicaSelection(null);

    private final ReplicaSelector selector;
    /** Kafka's rack-aware selector sends a consumer that names no rack to the leader: nothing to choose. */
    private final boolean onlyByRack;

    private ReadReplicaSelection(ReplicaSelector selector) {
        this.selector = selector;
        this.onlyByRack = selector instanceof org.apache.kafka.common.replica.RackAwareReplicaSelector;
    }

    /**
     * The selector named by a class name (a {@link ReplicaSelector}); blank means leader only.
     *
     * @throws IllegalArgumentException when the class is not a {@link ReplicaSelector} that can be made
     */
    public static ReadReplicaSelection of(String className) {
        if (className == null || className.isBlank()) {
            return LEADER_ONLY;
        }
        try {
            Object selector = Class.forName(className.trim()).getDeclaredConstructor().newInstance();
            if (!(selector instanceof ReplicaSelector replicaSelector)) {
                throw new IllegalArgumentException(className + " is not a " + ReplicaSelector.class.getName());
            }
            replicaSelector.configure(Map.of());
            return new ReadReplicaSelection(replicaSelector);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("Cannot create the replica selector " + className + ": " + e, e);
        }
    }

    /**
     * Whether a consumer in {@code clientRack} (empty when it set none) may be sent elsewhere than the
     * leader; false lets a fetch skip the choice altogether — the common case, kept off the fetch path.
     */
    public boolean mayChooseFor(String clientRack) {
        return selector != null && !(onlyByRack && (clientRack == null || clientRack.isEmpty()));
    }

    /**
     * The replica, other than this leader, that {@code client} should read {@code partition} from at
     * {@code fetchOffset}; empty when it should read here.
     *
     * @param endpoints the live brokers on the client's listener, with their racks, by node id
     */
    public OptionalInt choose(Partition partition, long fetchOffset, ClientMetadata client, Map<Integer, Node> endpoints,
            int localId) {
        if (selector == null || !partition.isLeader()) {
            return OptionalInt.empty();
        }
        Node leaderNode = endpoints.get(localId);
        if (leaderNode == null) {
            return OptionalInt.empty();
        }
        ReplicaView leader = new ReplicaView.DefaultReplicaView(leaderNode, partition.log().logEndOffset(), 0);
        Set<ReplicaView> replicas = new HashSet<>();
        replicas.add(leader);
        for (Partition.FollowerView follower : partition.followersHolding(fetchOffset)) {
            Node node = endpoints.get(follower.replicaId());
            if (node != null) {
                replicas.add(new ReplicaView.DefaultReplicaView(node, follower.logEndOffset(),
                        follower.timeSinceLastCaughtUpMs()));
            }
        }
        Optional<ReplicaView> chosen = selector.select(partition.topicPartition(), client,
                new PartitionView.DefaultPartitionView(replicas, leader));
        return chosen.filter(view -> !view.endpoint().isEmpty() && view.endpoint().id() != localId)
                .map(view -> OptionalInt.of(view.endpoint().id())).orElse(OptionalInt.empty());
    }
}
