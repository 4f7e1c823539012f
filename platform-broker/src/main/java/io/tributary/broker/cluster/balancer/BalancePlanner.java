package io.tributary.broker.cluster.balancer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import io.tributary.broker.cluster.BrokerRegistration;
import io.tributary.broker.cluster.MetadataImage;
import io.tributary.broker.cluster.TopicState;
import io.tributary.broker.metadata.PartitionState;

/**
 * The self-balancer's plan: which replicas to move so that every live broker carries about as many
 * replicas as the others. Pure and deterministic — the same image gives the same plan — so the
 * controller can compute it again at every round and the tests can check its properties.
 *
 * <p>A move replaces one replica of a partition by a broker that has none of it, keeping its position
 * in the replica list (so a moved first replica makes the receiving broker the preferred leader) and
 * never reducing the number of racks the partition spans. Only partitions whose every replica is in
 * sync, that have a leader and that are not moving already are moved, so a move never takes a
 * partition below its in-sync replicas while the new replica catches up: it joins before the old one
 * leaves.
 */
public final class BalancePlanner {

    /** One partition's new replica list. */
    public record Move(String topic, int partition, List<Integer> from, List<Integer> to) {
    }

    /** A balancing round's plan, with the spread of replicas before and after it. */
    public record Plan(List<Move> moves, Map<Integer, Integer> replicasBefore, Map<Integer, Integer> replicasAfter) {

        public boolean isEmpty() {
            return moves.isEmpty();
        }

        /** Most replicas on a broker minus fewest, before the plan. */
        public int spreadBefore() {
            return spread(replicasBefore);
        }

        public int spreadAfter() {
            return spread(replicasAfter);
        }

        private static int spread(Map<Integer, Integer> counts) {
            return counts.isEmpty() ? 0 : counts.values().stream().max(Integer::compare).orElseThrow()
                    - counts.values().stream().min(Integer::compare).orElseThrow();
        }
    }

    private BalancePlanner() {
    }

    /**
     * @param moving        partitions ({@code topic-partition}) already being moved, left alone
     * @param maxMoves      at most this many moves in the plan
     * @param allowedSpread the plan stops once the most and the fewest replicas per live broker differ by
     *                      at most this (at least 1)
     */
    public static Plan plan(MetadataImage image, Set<String> moving, int maxMoves, int allowedSpread) {
        List<Integer> live = image.liveBrokers().stream().map(BrokerRegistration::nodeId).toList();
        Map<Integer, String> racks = new HashMap<>();
        image.brokers().values().forEach(b -> racks.put(b.nodeId(), b.rack() == null ? "\u0000" + b.nodeId() : b.rack()));
        Map<Integer, Integer> counts = new TreeMap<>();
        live.forEach(broker -> counts.put(broker, 0));
        List<Candidate> candidates = new ArrayList<>();
        for (TopicState topic : new TreeMap<>(image.topics()).values()) {
            for (int index = 0; index < topic.partitions().size(); index++) {
                PartitionState state = topic.partitions().get(index);
                state.replicas().forEach(replica -> counts.computeIfPresent(replica, (b, c) -> c + 1));
                boolean steady = state.leader() != PartitionState.NO_LEADER
                        && new HashSet<>(state.isr()).containsAll(state.replicas())
                        && !moving.contains(topic.info().name() + "-" + index);
                if (steady) {
                    candidates.add(new Candidate(topic.info().name(), index, new ArrayList<>(state.replicas())));
                }
            }
        }
        Map<Integer, Integer> before = new TreeMap<>(counts);
        List<Move> moves = new ArrayList<>();
        Set<Candidate> moved = new HashSet<>();
        int spread = Math.max(1, allowedSpread);
        while (moves.size() < maxMoves && counts.size() > 1) {
            int most = counts.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
            int fewest = counts.entrySet().stream().min(Map.Entry.<Integer, Integer>comparingByValue()
                    .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
            if (counts.get(most) - counts.get(fewest) <= spread) {
                break;
            }
            Move move = null;
            for (Candidate candidate : candidates) {
                if (!moved.contains(candidate) && candidate.replicas.contains(most) && !candidate.replicas.contains(fewest)
                        && keepsRacks(candidate.replicas, most, fewest, racks)) {
                    List<Integer> to = new ArrayList<>(candidate.replicas);
                    to.set(to.indexOf(most), fewest);
                    move = new Move(candidate.topic, candidate.partition, List.copyOf(candidate.replicas), List.copyOf(to));
                    moved.add(candidate);
                    break;
                }
            }
            if (move == null) {
                break; // nothing movable from the fullest broker to the emptiest: leave the rest as it is
            }
            moves.add(move);
            counts.merge(most, -1, Integer::sum);
            counts.merge(fewest, 1, Integer::sum);
        }
        return new Plan(List.copyOf(moves), before, counts);
    }

    private static boolean keepsRacks(List<Integer> replicas, int leaving, int joining, Map<Integer, String> racks) {
        long racksBefore = replicas.stream().map(racks::get).distinct().count();
        long racksAfter = replicas.stream().map(r -> r == leaving ? joining : r).map(racks::get).distinct().count();
        return racksAfter >= racksBefore;
    }

    /** A partition that may be moved: one instance per partition. */
    private static final class Candidate {
        final String topic;
        final int partition;
        final List<Integer> replicas;

        Candidate(String topic, int partition, List<Integer> replicas) {
            this.topic = topic;
            this.partition = partition;
            this.replicas = replicas;
        }
    }
}
