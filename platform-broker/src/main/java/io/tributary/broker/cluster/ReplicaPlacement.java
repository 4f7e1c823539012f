package io.tributary.broker.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Round-robin placement: partition {@code p} starts at live broker {@code (cursor + p) mod n} and
 * takes the next {@code replicationFactor} brokers, so leaders (first replicas) and followers are
 * spread evenly. The cursor carries on across topics so that small topics do not all start on the
 * same broker.
 *
 * <p>When brokers are in racks (KIP-36), the round goes through the brokers with the racks
 * alternating (a broker of rack a, one of rack b, one of c, the next of a, ...), and each partition
 * takes a broker of a rack it has no replica in yet for as long as there is one: its replicas are on
 * as many racks as there are, so a rack can be lost without losing a partition. A broker without a
 * rack counts as a rack of its own.
 */
final class ReplicaPlacement {

    private ReplicaPlacement() {
    }

    static List<List<Integer>> place(List<Integer> liveBrokers, long cursor, int partitions, int replicationFactor) {
        return place(liveBrokers, Map.of(), cursor, partitions, replicationFactor);
    }

    /** @param racks the rack of each broker that has one */
    static List<List<Integer>> place(List<Integer> liveBrokers, Map<Integer, String> racks, long cursor, int partitions,
            int replicationFactor) {
        List<Integer> round = rackAlternating(liveBrokers, racks);
        int n = round.size();
        long rackCount = round.stream().map(broker -> rackOf(broker, racks)).distinct().count();
        List<List<Integer>> assignments = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int start = (int) ((cursor + p) % n);
            Set<Integer> replicas = new LinkedHashSet<>();
            Set<String> racksUsed = new HashSet<>();
            for (int step = 0; step < n && replicas.size() < replicationFactor; step++) {
                int broker = round.get((start + step) % n);
                if (racksUsed.size() < rackCount && racksUsed.contains(rackOf(broker, racks))) {
                    continue; // a rack without a replica of this partition is still to come
                }
                replicas.add(broker);
                racksUsed.add(rackOf(broker, racks));
            }
            for (int step = 0; replicas.size() < replicationFactor; step++) {
                replicas.add(round.get((start + step) % n)); // fewer racks than replicas: fill in order
            }
            assignments.add(List.copyOf(replicas));
        }
        return assignments;
    }

    /**
     * The brokers ordered so that racks alternate: the first broker of each rack (racks in name order),
     * then the second of each, and so on. Without racks, the brokers in their given order.
     */
    static List<Integer> rackAlternating(List<Integer> brokers, Map<Integer, String> racks) {
        if (brokers.stream().noneMatch(racks::containsKey)) {
            return List.copyOf(brokers);
        }
        Map<String, List<Integer>> byRack = new TreeMap<>();
        for (int broker : brokers) {
            byRack.computeIfAbsent(rackOf(broker, racks), rack -> new ArrayList<>()).add(broker);
        }
        List<Integer> round = new ArrayList<>(brokers.size());
        for (int index = 0; round.size() < brokers.size(); index++) {
            for (List<Integer> members : byRack.values()) {
                if (index < members.size()) {
                    round.add(members.get(index));
                }
            }
        }
        return round;
    }

    private static String rackOf(int broker, Map<Integer, String> racks) {
        // A broker in no rack is a rack of its own, named so that it cannot clash with a configured rack.
        return racks.getOrDefault(broker, "\u0000" + broker);
    }
}
