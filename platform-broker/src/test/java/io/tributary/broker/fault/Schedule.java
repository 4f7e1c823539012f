package io.tributary.broker.fault;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * A random but reproducible fault schedule: the same seed gives the same faults, in the same order, on
 * the same nodes, for the same times. Rounds of every kind of fault in a shuffled order follow each
 * other until the faults' total time reaches the duration asked for; the first round is always whole,
 * so that even a short run meets every kind of fault. Which broker "the leader" or "the controller"
 * is, is only known when the fault starts.
 *
 * <p>Kinds {@linkplain Kind#addedLater() added later} than the first eight join each round at a place drawn
 * from a random sequence of their own, so that a seed's faults of the first eight kinds stay exactly those
 * that seed always had.
 */
record Schedule(long seed, List<Step> steps) {

    /** The kinds of fault. */
    enum Kind {
        /** The node's link goes down: nobody reaches it, it reaches nobody. */
        LINK_DOWN,
        /** The leader of partition 0 is cut from the other brokers; clients still reach it. */
        ISOLATE_LEADER,
        /** The controller (the metadata quorum's leader) is cut from the other brokers; clients still reach it. */
        ISOLATE_CONTROLLER,
        /** The node sees both others, which do not see each other. */
        BRIDGE,
        /** The node's link loses 5 % of packets (and is 200 ms slow where netem exists). */
        SLOW_LINK,
        /** The node's link goes down and up again, for 0.3 to 1.5 s each time, until the fault's time is over. */
        FLAPPING_LINK,
        /** SIGSTOP, then SIGCONT. */
        PAUSE,
        /** kill -9, then a restart on the same data. */
        KILL,
        /**
         * The node's data directory, a small file system of its own, fills up; freeing it again restarts the
         * broker if it stopped (a broker in a cluster stops when its data directory fails).
         */
        DISK_FULL,
        /**
         * The node's data directory fails every write and flush with EIO until the fault is healed, which
         * restarts the broker if it stopped; through the log engine's file-channel seam
         * ({@link FailingDiskBroker}).
         */
        DISK_ERROR;

        /** Whether the kind came after the first eight, whose schedules every seed keeps. */
        boolean addedLater() {
            return ordinal() > KILL.ordinal();
        }
    }

    /** A fault on {@code node} (unused by the kinds that pick their node by role) held for {@code holdMs}. */
    record Step(Kind kind, int node, long holdMs) {

        @Override
        public String toString() {
            return kind + (kind == Kind.ISOLATE_LEADER || kind == Kind.ISOLATE_CONTROLLER ? "" : " node " + node)
                    + " for " + holdMs + " ms";
        }
    }

    static Schedule of(long seed, long durationMs, List<Kind> kinds, int nodes) {
        List<Kind> first = kinds.stream().filter(kind -> !kind.addedLater()).toList();
        List<Kind> later = kinds.stream().filter(Kind::addedLater).toList();
        if (first.isEmpty()) {
            return new Schedule(seed, flatten(rounds(new Random(seed), later, durationMs, nodes)));
        }
        List<List<Step>> rounds = rounds(new Random(seed), first, durationMs, nodes);
        for (Kind kind : later) {
            Random added = addedRandom(seed, kind);
            for (List<Step> round : rounds) {
                int at = added.nextInt(round.size() + 1);
                long hold = 3_000 + added.nextInt(4_000);
                round.add(at, new Step(kind, added.nextInt(nodes), hold));
            }
        }
        return new Schedule(seed, flatten(rounds));
    }

    /** Each kind added later draws from a sequence of its own, so that a kind added after it changes nothing of it. */
    private static Random addedRandom(long seed, Kind kind) {
        return new Random(kind == Kind.DISK_FULL ? ~seed : ~seed * 31 + kind.ordinal());
    }

    /** Shuffled rounds of {@code kinds} until their time reaches {@code durationMs}; the first one whole. */
    private static List<List<Step>> rounds(Random random, List<Kind> kinds, long durationMs, int nodes) {
        List<List<Step>> rounds = new ArrayList<>();
        int steps = 0;
        long total = 0;
        do {
            List<Kind> order = new ArrayList<>(kinds);
            Collections.shuffle(order, random);
            List<Step> round = new ArrayList<>();
            for (Kind kind : order) {
                if (steps > 0 && steps >= kinds.size() && total >= durationMs) {
                    break;
                }
                long hold = 3_000 + random.nextInt(4_000);
                round.add(new Step(kind, random.nextInt(nodes), hold));
                steps++;
                total += hold;
            }
            if (!round.isEmpty()) {
                rounds.add(round);
            }
        } while (total < durationMs);
        return rounds;
    }

    private static List<Step> flatten(List<List<Step>> rounds) {
        return rounds.stream().flatMap(List::stream).toList();
    }

    /** Steps with these kinds left out (those a machine cannot inject), the others as they were. */
    Schedule without(List<Kind> kinds) {
        return new Schedule(seed, steps.stream().filter(step -> !kinds.contains(step.kind())).toList());
    }

    /** The nodes some step of {@code kind} falls on. */
    List<Integer> nodesOf(Kind kind) {
        return steps.stream().filter(step -> step.kind() == kind).map(Step::node).distinct().sorted().toList();
    }

    /** Kinds from a comma-separated list of names, or all of them for {@code all} or a blank one. */
    static List<Kind> kinds(String names) {
        if (names == null || names.isBlank() || names.strip().equals("all")) {
            return List.of(Kind.values());
        }
        return Arrays.stream(names.split(",")).map(String::strip).map(Kind::valueOf).toList();
    }

    @Override
    public String toString() {
        return "seed " + seed + ": " + steps.stream().map(Step::toString).collect(Collectors.joining(", "));
    }
}
