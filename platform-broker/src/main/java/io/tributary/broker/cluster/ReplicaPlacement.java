package io.tributary.broker.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Round-robin placement: partition {@code p} starts at live broker {@code (cursor + p) mod n} and
 * takes the next {@code replicationFactor} brokers, so leaders (first replicas) and followers are
 * spread evenly. The cursor carries on across topics so that small topics do not all start on the
 * same broker.
 */
final class ReplicaPlacement {

    private ReplicaPlacement() {
    }

    static List<List<Integer>> place(List<Integer> liveBrokers, long cursor, int partitions, int replicationFactor) {
        int n = liveBrokers.size();
        List<List<Integer>> assignments = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int start = (int) ((cursor + p) % n);
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            for (int r = 0; r < replicationFactor; r++) {
                replicas.add(liveBrokers.get((start + r) % n));
            }
            assignments.add(replicas);
        }
        return assignments;
    }
}
