package io.tributary.broker.cluster.balancer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import io.tributary.broker.cluster.BrokerRegistration;
import io.tributary.broker.cluster.MetadataImage;
import io.tributary.broker.cluster.TopicState;
import io.tributary.broker.metadata.PartitionState;

/**
 * The self-balancer's plan: which replicas to move so that every live broker carries about as many
 * replicas as the others, then which partitions to reorder so that every live broker is the preferred
 * leader (first replica) of about as many partitions. Pure and deterministic — the same image gives the
 * same plan — so the controller can compute it again at every round and the tests can check its
 * properties.
 *
 * <p>A move replaces one replica of a partition by a broker that has none of it, keeping its position
 * in the replica list (so a moved first replica makes the receiving broker the preferred leader) and
 * never reducing the number of racks the partition spans. A reorder keeps a partition's replicas and
 * puts one of them first. Each step goes from a broker with at least two more than the receiving one
 * (a moved first replica also from a broker with more preferred leaderships), so a plan never widens
 * a spread.
 *
 * <p>Only partitions whose every replica is in sync, that have a leader and that are not moving are
 * touched, which is why a move never takes a partition below its {@code min.insync.replicas}: a
 * reassignment adds the new replica first, outside the ISR, and drops the old one only once every
 * target replica is in sync (KIP-455), so the ISR of a partition that starts fully in sync never holds
 * fewer replicas than its replication factor because of the move. A reorder changes no replica at all.
 * Partitions already moving count where they are headed (their target replicas).
 */
public final class BalancePlanner {

    /** One partition's new replica list: a move when it changes the replicas, a reorder when only their order. */
    public record Move(String topic, int partition, List<Integer> from, List<Integer> to) {

        public Move {
            from = List.copyOf(from);
            to = List.copyOf(to);
        }

        /** Whether only the order changes (the first replica, the preferred leader): it completes at once. */
        public boolean isReorder() {
            return new HashSet<>(from).equals(new HashSet<>(to));
        }

        /** The replicas the move adds: the followers that copy the log. */
        public List<Integer> added() {
            return to.stream().filter(r -> !from.contains(r)).toList();
        }
    }

    /**
     * A balancing round's plan, with replicas and preferred leaderships per live broker before and after
     * it (partitions already moving counted where they are headed).
     *
     * @param moves    replica moves, each a reassignment that copies a log
     * @param reorders preferred-leader changes, each a reassignment to the same replicas in another order
     */
    public record Plan(List<Move> moves, List<Move> reorders, Map<Integer, Integer> replicasBefore,
            Map<Integer, Integer> replicasAfter, Map<Integer, Integer> leadersBefore, Map<Integer, Integer> leadersAfter) {

        public Plan {
            moves = List.copyOf(moves);
            reorders = List.copyOf(reorders);
            replicasBefore = Map.copyOf(replicasBefore);
            replicasAfter = Map.copyOf(replicasAfter);
            leadersBefore = Map.copyOf(leadersBefore);
            leadersAfter = Map.copyOf(leadersAfter);
        }

        public boolean isEmpty() {
            return moves.isEmpty() && reorders.isEmpty();
        }

        /** Most replicas on a live broker minus fewest, before the plan. */
        public int spreadBefore() {
            return spread(replicasBefore);
        }

        public int spreadAfter() {
            return spread(replicasAfter);
        }

        /** Most preferred leaderships of a live broker minus fewest, before the plan. */
        public int leaderSpreadBefore() {
            return spread(leadersBefore);
        }

        public int leaderSpreadAfter() {
            return spread(leadersAfter);
        }
    }

    private BalancePlanner() {
    }

    /** Most minus fewest of these counts; 0 for none. */
    public static int spread(Map<Integer, Integer> counts) {
        return counts.isEmpty() ? 0 : counts.values().stream().max(Integer::compare).orElseThrow()
                - counts.values().stream().min(Integer::compare).orElseThrow();
    }

    /** Replicas per live broker, partitions that move counted where they are headed. */
    public static Map<Integer, Integer> replicaCounts(MetadataImage image) {
        Map<Integer, Integer> counts = liveZeros(image);
        forEachPartition(image, (topic, index, state) ->
                state.targetReplicas().forEach(replica -> counts.computeIfPresent(replica, (b, c) -> c + 1)));
        return counts;
    }

    /** Preferred leaderships (first target replicas) per live broker. */
    public static Map<Integer, Integer> leaderCounts(MetadataImage image) {
        Map<Integer, Integer> counts = liveZeros(image);
        forEachPartition(image, (topic, index, state) ->
                counts.computeIfPresent(state.targetReplicas().get(0), (b, c) -> c + 1));
        return counts;
    }

    /**
     * @param maxMoves      at most this many replica moves in the plan
     * @param maxReorders   at most this many reorders
     * @param allowedSpread replicas, and separately preferred leaderships, are left alone once the most and
     *                      the fewest per live broker differ by at most this (at least 1)
     */
    public static Plan plan(MetadataImage image, int maxMoves, int maxReorders, int allowedSpread) {
        int spread = Math.max(1, allowedSpread);
        Map<Integer, String> racks = new HashMap<>();
        image.brokers().values().forEach(b -> racks.put(b.nodeId(), b.rack() == null ? "\u0000" + b.nodeId() : b.rack()));
        List<Candidate> candidates = new ArrayList<>();
        forEachPartition(image, (topic, index, state) -> {
            boolean steady = state.leader() != PartitionState.NO_LEADER && !state.isReassigning()
                    && new HashSet<>(state.isr()).containsAll(state.replicas());
            if (steady) {
                candidates.add(new Candidate(topic, index, state.replicas()));
            }
        });

        Map<Integer, Integer> replicas = replicaCounts(image);
        Map<Integer, Integer> replicasBefore = new TreeMap<>(replicas);
        Map<Integer, Integer> leaders = leaderCounts(image);
        Map<Integer, Integer> leadersBefore = new TreeMap<>(leaders);

        List<Move> moves = new ArrayList<>();
        while (moves.size() < maxMoves && spread(replicas) > spread) {
            Step step = bestReplicaMove(candidates, replicas, leaders, racks);
            if (step == null) {
                break; // nothing movable evens the counts further: leave the rest as it is
            }
            List<Integer> to = new ArrayList<>(step.candidate.replicas);
            to.set(to.indexOf(step.from), step.to);
            moves.add(new Move(step.candidate.topic, step.candidate.partition, step.candidate.replicas, to));
            replicas.merge(step.from, -1, Integer::sum);
            replicas.merge(step.to, 1, Integer::sum);
            if (step.candidate.replicas.get(0) == step.from) {
                leaders.merge(step.from, -1, Integer::sum);
                leaders.merge(step.to, 1, Integer::sum);
            }
            step.candidate.used = true;
        }

        List<Move> reorders = new ArrayList<>();
        while (reorders.size() < maxReorders && spread(leaders) > spread) {
            Step step = bestReorder(candidates, leaders);
            if (step == null) {
                break;
            }
            List<Integer> to = new ArrayList<>(step.candidate.replicas);
            to.remove(Integer.valueOf(step.to));
            to.add(0, step.to);
            reorders.add(new Move(step.candidate.topic, step.candidate.partition, step.candidate.replicas, to));
            leaders.merge(step.from, -1, Integer::sum);
            leaders.merge(step.to, 1, Integer::sum);
            step.candidate.used = true;
        }
        return new Plan(moves, reorders, replicasBefore, replicas, leadersBefore, leaders);
    }

    /**
     * The replica move between the most and the least loaded pair of brokers it can find (a difference of
     * at least two, so the spread cannot widen), the first in partition order on a tie. A first replica
     * moves only to a broker with fewer preferred leaderships, so that the leaders' spread cannot widen either.
     */
    private static Step bestReplicaMove(List<Candidate> candidates, Map<Integer, Integer> counts,
            Map<Integer, Integer> leaders, Map<Integer, String> racks) {
        Step best = null;
        int bestGap = 1;
        for (Candidate candidate : candidates) {
            if (candidate.used) {
                continue;
            }
            for (int leaving : candidate.replicas) {
                Integer from = counts.get(leaving);
                if (from == null) {
                    continue;
                }
                for (Map.Entry<Integer, Integer> joining : counts.entrySet()) {
                    int gap = from - joining.getValue();
                    boolean leads = candidate.replicas.get(0) == leaving;
                    if (gap > bestGap && !candidate.replicas.contains(joining.getKey())
                            && (!leads || leaders.get(leaving) > leaders.get(joining.getKey()))
                            && keepsRacks(candidate.replicas, leaving, joining.getKey(), racks)) {
                        best = new Step(candidate, leaving, joining.getKey());
                        bestGap = gap;
                    }
                }
            }
        }
        return best;
    }

    /** The reorder that hands a preferred leadership across the widest gap of at least two. */
    private static Step bestReorder(List<Candidate> candidates, Map<Integer, Integer> counts) {
        Step best = null;
        int bestGap = 1;
        for (Candidate candidate : candidates) {
            Integer from = counts.get(candidate.replicas.get(0));
            if (candidate.used || from == null) {
                continue;
            }
            for (int replica : candidate.replicas.subList(1, candidate.replicas.size())) {
                Integer to = counts.get(replica);
                if (to != null && from - to > bestGap) {
                    best = new Step(candidate, candidate.replicas.get(0), replica);
                    bestGap = from - to;
                }
            }
        }
        return best;
    }

    private static boolean keepsRacks(List<Integer> replicas, int leaving, int joining, Map<Integer, String> racks) {
        long racksBefore = replicas.stream().map(racks::get).distinct().count();
        long racksAfter = replicas.stream().map(r -> r == leaving ? joining : r).map(racks::get).distinct().count();
        return racksAfter >= racksBefore;
    }

    private static Map<Integer, Integer> liveZeros(MetadataImage image) {
        Map<Integer, Integer> counts = new TreeMap<>();
        image.liveBrokers().stream().map(BrokerRegistration::nodeId).forEach(broker -> counts.put(broker, 0));
        return counts;
    }

    private interface PartitionVisitor {
        void visit(String topic, int index, PartitionState state);
    }

    /** Every partition, topics in name order. */
    private static void forEachPartition(MetadataImage image, PartitionVisitor visitor) {
        for (TopicState topic : new TreeMap<>(image.topics()).values()) {
            for (int index = 0; index < topic.partitions().size(); index++) {
                visitor.visit(topic.info().name(), index, topic.partitions().get(index));
            }
        }
    }

    /** A partition that may be moved or reordered, once per plan. */
    private static final class Candidate {
        final String topic;
        final int partition;
        final List<Integer> replicas;
        boolean used;

        Candidate(String topic, int partition, List<Integer> replicas) {
            this.topic = topic;
            this.partition = partition;
            this.replicas = List.copyOf(replicas);
        }
    }

    /** One replica, or one preferred leadership, going from one broker to another. */
    private record Step(Candidate candidate, int from, int to) {
    }
}
