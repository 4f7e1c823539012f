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
 *
 * <p>Disk use comes last, from the partition sizes the brokers reported ({@link DiskUsage}): while the
 * fullest broker's share of its disk is further than allowed from the others', replicas move off it —
 * one at a time where the replica counts allow it, otherwise swapped for a smaller replica of the
 * receiving broker, so that the counts stay as even as they were. Each such step narrows the gap between
 * the two brokers by at least a tenth and never widens it (see {@link DiskLoad}). Among replica moves
 * that even out the counts equally well, the one that evens out disk use best is chosen.
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
     * @param moves     replica moves, each a reassignment that copies a log
     * @param diskMoves how many of the moves, the last ones, are there to even out disk use
     * @param reorders  preferred-leader changes, each a reassignment to the same replicas in another order
     */
    public record Plan(List<Move> moves, int diskMoves, List<Move> reorders, Map<Integer, Integer> replicasBefore,
            Map<Integer, Integer> replicasAfter, Map<Integer, Integer> leadersBefore, Map<Integer, Integer> leadersAfter,
            Map<Integer, Long> diskBytesBefore, Map<Integer, Long> diskBytesAfter) {

        public Plan {
            moves = List.copyOf(moves);
            reorders = List.copyOf(reorders);
            replicasBefore = Map.copyOf(replicasBefore);
            replicasAfter = Map.copyOf(replicasAfter);
            leadersBefore = Map.copyOf(leadersBefore);
            leadersAfter = Map.copyOf(leadersAfter);
            diskBytesBefore = Map.copyOf(diskBytesBefore);
            diskBytesAfter = Map.copyOf(diskBytesAfter);
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

    /**
     * How far a round may go.
     *
     * @param maxMoves          at most this many replica moves in the plan (a swap is two)
     * @param maxReorders       at most this many reorders
     * @param allowedSpread     replicas, and separately preferred leaderships, are left alone once the most and
     *                          the fewest per live broker differ by at most this (at least 1)
     * @param allowedDiskSpread disk use is left alone once the fullest and the emptiest broker's shares of their
     *                          disks differ by at most this fraction of the average share
     * @param minDiskImbalance  ... or by at most this many bytes: smaller differences are not worth copying data
     */
    public record Limits(int maxMoves, int maxReorders, int allowedSpread, double allowedDiskSpread, long minDiskImbalance) {
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

    /** A plan that balances counts only, as when no broker reported its disk. */
    public static Plan plan(MetadataImage image, int maxMoves, int maxReorders, int allowedSpread) {
        return plan(image, DiskUsage.UNKNOWN, new Limits(maxMoves, maxReorders, allowedSpread, 0, Long.MAX_VALUE));
    }

    public static Plan plan(MetadataImage image, DiskUsage usage, Limits limits) {
        int spread = Math.max(1, limits.allowedSpread());
        int maxMoves = limits.maxMoves();
        Map<Integer, String> racks = new HashMap<>();
        image.brokers().values().forEach(b -> racks.put(b.nodeId(), b.rack() == null ? "\u0000" + b.nodeId() : b.rack()));
        List<Candidate> candidates = new ArrayList<>();
        forEachPartition(image, (topic, index, state) -> {
            boolean steady = state.leader() != PartitionState.NO_LEADER && !state.isReassigning()
                    && new HashSet<>(state.isr()).containsAll(state.replicas());
            if (steady) {
                candidates.add(new Candidate(topic, index, state.replicas(), usage.size(topic, index)));
            }
        });

        Map<Integer, Integer> replicas = replicaCounts(image);
        Map<Integer, Integer> replicasBefore = new TreeMap<>(replicas);
        Map<Integer, Integer> leaders = leaderCounts(image);
        Map<Integer, Integer> leadersBefore = new TreeMap<>(leaders);
        DiskLoad disk = new DiskLoad(diskBytes(image, usage), usage.capacities());
        Map<Integer, Long> diskBefore = disk.bytes();

        List<Move> moves = new ArrayList<>();
        while (moves.size() < maxMoves && spread(replicas) > spread) {
            Step step = bestReplicaMove(candidates, replicas, leaders, racks, disk);
            if (step == null) {
                break; // nothing movable evens the counts further: leave the rest as it is
            }
            apply(step, moves, replicas, leaders, disk);
        }
        int countMoves = moves.size();
        while (moves.size() < maxMoves && disk.unbalanced(limits.allowedDiskSpread(), limits.minDiskImbalance())) {
            List<Step> steps = bestDiskSteps(candidates, replicas, leaders, racks, disk, spread, maxMoves - moves.size());
            if (steps == null) {
                break;
            }
            steps.forEach(step -> apply(step, moves, replicas, leaders, disk));
        }

        List<Move> reorders = new ArrayList<>();
        while (reorders.size() < limits.maxReorders() && spread(leaders) > spread) {
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
        return new Plan(moves, moves.size() - countMoves, reorders, replicasBefore, replicas, leadersBefore, leaders, diskBefore, disk.bytes());
    }

    /** Bytes per live broker: the sizes of the partitions it holds or is headed to hold, unknown ones as none. */
    public static Map<Integer, Long> diskBytes(MetadataImage image, DiskUsage usage) {
        Map<Integer, Long> bytes = new TreeMap<>();
        liveZeros(image).keySet().forEach(broker -> bytes.put(broker, 0L));
        forEachPartition(image, (topic, index, state) -> {
            long size = Math.max(0, usage.size(topic, index));
            state.targetReplicas().forEach(replica -> bytes.computeIfPresent(replica, (b, sum) -> sum + size));
        });
        return bytes;
    }

    private static void apply(Step step, List<Move> moves, Map<Integer, Integer> replicas, Map<Integer, Integer> leaders,
            DiskLoad disk) {
        List<Integer> to = new ArrayList<>(step.candidate.replicas);
        to.set(to.indexOf(step.from), step.to);
        moves.add(new Move(step.candidate.topic, step.candidate.partition, step.candidate.replicas, to));
        replicas.merge(step.from, -1, Integer::sum);
        replicas.merge(step.to, 1, Integer::sum);
        if (step.candidate.replicas.get(0) == step.from) {
            leaders.merge(step.from, -1, Integer::sum);
            leaders.merge(step.to, 1, Integer::sum);
        }
        disk.move(step.from, step.to, Math.max(0, step.candidate.size));
        step.candidate.used = true;
    }

    /**
     * The step off the fullest broker that evens out disk use best: a replica move where the replica counts
     * stay within the allowed spread (or no wider than they are), else, with room for two moves, a swap of
     * one of its replicas for a smaller one of the receiving broker. Preferred leaderships may change hands
     * only within the same bound. {@code null} when no step narrows a gap by a tenth.
     */
    private static List<Step> bestDiskSteps(List<Candidate> candidates, Map<Integer, Integer> replicas,
            Map<Integer, Integer> leaders, Map<Integer, String> racks, DiskLoad disk, int spread, int budget) {
        int from = disk.fullest();
        List<Step> best = null;
        double bestChange = 0;
        for (int to : replicas.keySet()) {
            if (to == from || disk.gapBytes(from, to) <= 0) {
                continue;
            }
            double even = disk.evenBytes(from, to);
            long least = (long) Math.ceil(even / 10);
            boolean countsAllowMove = withinBound(replicas, from, to, 1, spread);
            List<Candidate> leaving = new ArrayList<>();
            List<Candidate> coming = new ArrayList<>();
            for (Candidate c : candidates) {
                if (c.used || c.size < 0) {
                    continue;
                }
                if (c.replicas.contains(from) && !c.replicas.contains(to) && keepsRacks(c.replicas, from, to, racks)) {
                    leaving.add(c);
                } else if (c.replicas.contains(to) && !c.replicas.contains(from) && keepsRacks(c.replicas, to, from, racks)) {
                    coming.add(c);
                }
            }
            for (Candidate x : leaving) {
                int leads = x.replicas.get(0) == from ? 1 : 0;
                if (countsAllowMove && x.size >= least && withinBound(leaders, from, to, leads, spread)) {
                    double change = disk.change(from, to, x.size);
                    if (change < bestChange) {
                        best = List.of(new Step(x, from, to));
                        bestChange = change;
                    }
                }
            }
            if (budget < 2) {
                continue;
            }
            coming.sort((a, b) -> Long.compare(a.size, b.size));
            for (Candidate x : leaving) {
                // The swap partner that evens the two brokers out exactly is (x - even) large; look around it.
                int at = insertionPoint(coming, (long) (x.size - even));
                for (int i = Math.max(0, at - 4); i < Math.min(coming.size(), at + 4); i++) {
                    Candidate y = coming.get(i);
                    long net = x.size - y.size;
                    int leads = (x.replicas.get(0) == from ? 1 : 0) - (y.replicas.get(0) == to ? 1 : 0);
                    if (net >= least && net > 0 && withinBound(leaders, from, to, leads, spread)) {
                        double change = disk.change(from, to, net);
                        if (change < bestChange) {
                            best = List.of(new Step(x, from, to), new Step(y, to, from));
                            bestChange = change;
                        }
                    }
                }
            }
        }
        return best;
    }

    /** The index of the first candidate at least {@code size} large, in candidates sorted by size. */
    private static int insertionPoint(List<Candidate> bySize, long size) {
        int low = 0;
        int high = bySize.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (bySize.get(mid).size < size) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * Whether handing {@code count} (possibly negative) from one broker to the other keeps these counts'
     * spread within {@code spread}, or no wider than it is.
     */
    private static boolean withinBound(Map<Integer, Integer> counts, int from, int to, int count, int spread) {
        if (count == 0) {
            return true;
        }
        Map<Integer, Integer> after = new HashMap<>(counts);
        after.merge(from, -count, Integer::sum);
        after.merge(to, count, Integer::sum);
        return spread(after) <= Math.max(spread, spread(counts));
    }

    /**
     * The replica move between the most and the least loaded pair of brokers it can find (a difference of
     * at least two, so the spread cannot widen), the first in partition order on a tie. A first replica
     * moves only to a broker with fewer preferred leaderships, so that the leaders' spread cannot widen either.
     * Among equally good moves, the one that evens out disk use best.
     */
    private static Step bestReplicaMove(List<Candidate> candidates, Map<Integer, Integer> counts,
            Map<Integer, Integer> leaders, Map<Integer, String> racks, DiskLoad disk) {
        Step best = null;
        int bestGap = 1;
        double bestChange = 0;
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
                    if (gap < bestGap || gap < 2 || candidate.replicas.contains(joining.getKey())
                            || (leads && leaders.get(leaving) <= leaders.get(joining.getKey()))
                            || !keepsRacks(candidate.replicas, leaving, joining.getKey(), racks)) {
                        continue;
                    }
                    double change = disk.change(leaving, joining.getKey(), Math.max(0, candidate.size));
                    if (gap > bestGap || change < bestChange) {
                        best = new Step(candidate, leaving, joining.getKey());
                        bestGap = gap;
                        bestChange = change;
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
        /** Bytes, or -1 when no broker reported them. */
        final long size;
        boolean used;

        Candidate(String topic, int partition, List<Integer> replicas, long size) {
            this.topic = topic;
            this.partition = partition;
            this.replicas = List.copyOf(replicas);
            this.size = size;
        }
    }

    /** One replica, or one preferred leadership, going from one broker to another. */
    private record Step(Candidate candidate, int from, int to) {
    }
}
