package io.tributary.broker.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntPredicate;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.ReplicaAssignment;
import org.apache.kafka.common.protocol.Errors;

/**
 * A partition's move to other replicas (KIP-455) as Kafka's controller models it, in pure functions of
 * a {@link PartitionState} that {@link ClusterState} applies:
 * <ol>
 * <li>a move starts: the replicas become the target ones followed by those being removed, the new ones
 *     ({@code adding}) open empty logs and catch up as followers outside the ISR;</li>
 * <li>the leader adds each to the ISR once it caught up (AlterPartition);</li>
 * <li>once every target replica is in sync the move completes: the replicas are the target ones in
 *     their order, the ISR loses the removed ones, and a leader being removed hands over to an in-sync
 *     target replica. Their brokers then delete the removed replicas' logs.</li>
 * </ol>
 * A move that only reorders or drops replicas completes at once. A cancelled move returns to the
 * replicas it started from, dropping the added ones even if they were in sync.
 *
 * <p>Whenever a change leaves out a replica the partition had, the leader epoch grows even if the
 * leader stays, as in Kafka, so that a removed replica's fetches are fenced.
 */
final class PartitionReassignment {

    private PartitionReassignment() {
    }

    /**
     * Starts moving {@code state} to {@code target}, or replaces the move in progress: as in Kafka,
     * the new move starts from all the replicas the partition has now, so a later cancel returns to those.
     */
    static PartitionState start(PartitionState state, List<Integer> target, IntPredicate live) {
        List<Integer> current = state.replicas();
        if (target.equals(current) && !state.isReassigning()) {
            return state;
        }
        List<Integer> removing = current.stream().filter(r -> !target.contains(r)).sorted().toList();
        List<Integer> adding = target.stream().filter(r -> !current.contains(r)).sorted().toList();
        List<Integer> replicas = new ArrayList<>(target);
        replicas.addAll(removing);
        if (adding.isEmpty() && removing.isEmpty()) {
            return settled(state, replicas, state.isr(), true, live);
        }
        PartitionState moving = change(state, state.leader(), replicas, state.isr(), adding, removing);
        return maybeComplete(moving, live).orElse(moving);
    }

    /**
     * Cancels the move in progress: the replicas it was adding leave, those it was removing stay, in the
     * order the move gave them (Kafka's revert; the target's replicas come first), and the leader stays
     * if it still may lead.
     *
     * @throws MetadataException NO_REASSIGNMENT_IN_PROGRESS when the partition is not moving;
     *     INVALID_REPLICA_ASSIGNMENT when only added replicas are in sync (reverting would take an
     *     unclean election, which Tributary does not do)
     */
    static PartitionState cancel(PartitionState state, String topic, int partition, IntPredicate live) {
        if (!state.isReassigning()) {
            throw new MetadataException(Errors.NO_REASSIGNMENT_IN_PROGRESS, Errors.NO_REASSIGNMENT_IN_PROGRESS.message());
        }
        List<Integer> isr = state.isr().stream().filter(r -> !state.adding().contains(r)).toList();
        if (isr.isEmpty()) {
            throw ReplicaAssignment.invalid("Unable to revert partition assignment for " + topic + ":" + partition
                    + " because it would require an unclean leader election.");
        }
        return settled(state, state.originalReplicas(), isr, false, live);
    }

    /** The move of {@code state} completed, if every target replica is in sync; empty otherwise. */
    static Optional<PartitionState> maybeComplete(PartitionState state, IntPredicate live) {
        if (!state.isReassigning()) {
            return Optional.empty();
        }
        List<Integer> isr = state.isr().stream().filter(r -> !state.removing().contains(r)).toList();
        List<Integer> replicas = state.targetReplicas();
        if (isr.isEmpty() || replicas.isEmpty() || !isr.containsAll(replicas)) {
            return Optional.empty();
        }
        // As in Kafka the leader stays when the move keeps it; the controller's preferred election moves the
        // leadership later, once every broker has seen the new replicas in sync.
        return Optional.of(settled(state, replicas, isr, false, live));
    }

    /**
     * The partition on {@code replicas}, no longer moving. With {@code preferred}, its preferred replica
     * leads if it is live and in sync (as a preferred replica rejoining the ISR takes its leadership
     * back); otherwise the current leader if it still can, else the first live in-sync replica; none
     * when there is none.
     */
    private static PartitionState settled(PartitionState old, List<Integer> replicas, List<Integer> isr,
            boolean preferred, IntPredicate live) {
        IntPredicate eligible = r -> isr.contains(r) && live.test(r);
        int leader;
        if (preferred && eligible.test(replicas.get(0))) {
            leader = replicas.get(0);
        } else if (old.leader() != PartitionState.NO_LEADER && eligible.test(old.leader())) {
            leader = old.leader();
        } else {
            leader = replicas.stream().filter(eligible::test).findFirst().orElse(PartitionState.NO_LEADER);
        }
        return change(old, leader, replicas, isr, List.of(), List.of());
    }

    /** {@code old} changed, in a new leader epoch if the leader changes or a replica leaves. */
    private static PartitionState change(PartitionState old, int leader, List<Integer> replicas, List<Integer> isr,
            List<Integer> adding, List<Integer> removing) {
        boolean newEpoch = leader != old.leader() || !replicas.containsAll(old.replicas());
        return new PartitionState(leader, newEpoch ? old.leaderEpoch() + 1 : old.leaderEpoch(), replicas, isr, adding,
                removing);
    }
}
