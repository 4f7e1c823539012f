package io.tributary.broker.metadata;

import java.util.List;

/**
 * Who holds a partition: its replicas (the first one is the preferred leader), the replicas in
 * sync, the leader ({@link #NO_LEADER} when no in-sync replica is alive) and the leader epoch,
 * which grows by one with every change of leader so that a stale leader or client can be fenced.
 */
public record PartitionState(int leader, int leaderEpoch, List<Integer> replicas, List<Integer> isr) {

    public static final int NO_LEADER = -1;

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    /** A new partition: the preferred replica leads, every replica is in sync, epoch 0. */
    public static PartitionState initial(List<Integer> replicas) {
        return new PartitionState(replicas.get(0), 0, replicas, replicas);
    }

    public int preferredLeader() {
        return replicas.get(0);
    }

    /** The same replicas under another leader or ISR; a change of leader starts a new epoch. */
    public PartitionState with(int newLeader, List<Integer> newIsr) {
        return new PartitionState(newLeader, newLeader == leader ? leaderEpoch : leaderEpoch + 1, replicas, newIsr);
    }
}
