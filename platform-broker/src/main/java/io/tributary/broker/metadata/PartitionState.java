package io.tributary.broker.metadata;

import java.util.List;

/**
 * Who holds a partition: its replicas (the first one is the preferred leader), the replicas in
 * sync, the leader ({@link #NO_LEADER} when no in-sync replica is alive) and the leader epoch,
 * which grows by one with every change of leader so that a stale leader or client can be fenced.
 *
 * <p>While the partition moves (a reassignment, KIP-455), {@code replicas} is Kafka's union of where
 * it goes and where it was: the target replicas in their order, then those being removed.
 * {@code adding} are the target replicas it did not have (they catch up outside the ISR), and
 * {@code removing} those it leaves once every target replica is in sync. Both are empty otherwise.
 */
public record PartitionState(int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr,
        List<Integer> adding, List<Integer> removing) {

    public static final int NO_LEADER = -1;

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        adding = List.copyOf(adding);
        removing = List.copyOf(removing);
    }

    /** A partition that is not moving. */
    public PartitionState(int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {
        this(leader, leaderEpoch, replicas, isr, List.of(), List.of());
    }

    /** A new partition: the preferred replica leads, every replica is in sync, epoch 0. */
    public static PartitionState initial(List<Integer> replicas) {
        return new PartitionState(replicas.get(0), 0, replicas, replicas);
    }

    public int preferredLeader() {
        return replicas.get(0);
    }

    /** Whether a reassignment is in progress. */
    public boolean isReassigning() {
        return !adding.isEmpty() || !removing.isEmpty();
    }

    /** The replicas the partition is headed for: all of them unless it moves. */
    public List<Integer> targetReplicas() {
        return removing.isEmpty() ? replicas : replicas.stream().filter(r -> !removing.contains(r)).toList();
    }

    /** The replicas it had before the move began (what a cancel returns to): all of them unless it moves. */
    public List<Integer> originalReplicas() {
        return adding.isEmpty() ? replicas : replicas.stream().filter(r -> !adding.contains(r)).toList();
    }

    /**
     * Whether fewer replicas are in sync than the partition is meant to have, as Kafka counts it: a
     * replica being added does not count until the move completes.
     */
    public boolean isUnderReplicated() {
        return isr.size() < originalReplicas().size();
    }

    /** The same replicas under another leader or ISR; a change of leader starts a new epoch. */
    public PartitionState with(int newLeader, List<Integer> newIsr) {
        return new PartitionState(newLeader, newLeader == leader ? leaderEpoch : leaderEpoch + 1, replicas, newIsr,
                adding, removing);
    }
}
