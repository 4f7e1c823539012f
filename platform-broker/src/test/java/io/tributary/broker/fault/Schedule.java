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
        KILL
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
        Random random = new Random(seed);
        List<Step> steps = new ArrayList<>();
        long total = 0;
        do {
            List<Kind> round = new ArrayList<>(kinds);
            Collections.shuffle(round, random);
            for (Kind kind : round) {
                if (!steps.isEmpty() && steps.size() >= kinds.size() && total >= durationMs) {
                    break;
                }
                long hold = 3_000 + random.nextInt(4_000);
                steps.add(new Step(kind, random.nextInt(nodes), hold));
                total += hold;
            }
        } while (total < durationMs);
        return new Schedule(seed, List.copyOf(steps));
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
