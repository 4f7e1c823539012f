package io.tributary.broker.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import io.tributary.broker.fault.History.Event;
import io.tributary.broker.fault.History.Type;

/**
 * Judges a {@link History} by Jepsen's queue properties, per partition. The final read (READ events,
 * every record of the healed log) is the truth the rest is held against:
 * <ul>
 * <li>every acknowledged record is in the log, at the offset its acknowledgement gave (LOST,
 * ACK_OFFSET_MISMATCH), and the consumer group consumed it at least once (NOT_CONSUMED);</li>
 * <li>no record is in the log twice, acknowledged or not: a send that failed or timed out may have
 * been written, but only once (DUPLICATE);</li>
 * <li>records of a partition are in the order they were sent (REORDER: the producer is one idempotent
 * producer, sending each partition's records in increasing order);</li>
 * <li>nothing is read or consumed that was not sent to that partition (PHANTOM);</li>
 * <li>what a consumer was given at an offset is what the log holds there (DIVERGENT_READ: a consumer
 * read a record that was later truncated away, i.e. beyond what was committed);</li>
 * <li>a successful offset commit is never below one that succeeded before it was invoked
 * (COMMIT_BACKWARDS);</li>
 * <li>the exactly-once copier's target holds, read committed, each source record once and in order, and
 * nothing of an aborted transaction ({@link CopyChecker}: COPY_LOST, COPY_DUPLICATE, COPY_REORDER,
 * COPY_PHANTOM, ABORTED_READ).</li>
 * </ul>
 * Availability, per fault: the longest time any partition went without an acknowledgement across the
 * fault's window — how long writes were refused.
 */
final class QueueChecker {

    /** Anomalies of one kind and partition beyond this many are counted, not described. */
    private static final int DETAILS = 10;

    enum Kind {
        LOST, ACK_OFFSET_MISMATCH, NOT_CONSUMED, DUPLICATE, REORDER, PHANTOM, DIVERGENT_READ, COMMIT_BACKWARDS,
        COPY_LOST, COPY_DUPLICATE, COPY_REORDER, COPY_PHANTOM, ABORTED_READ
    }

    record Anomaly(Kind kind, int partition, String detail) {
    }

    /** A fault's window and the longest time writes were refused across it. */
    record Outage(String fault, double startMs, double endMs, long longestWithoutAckMs, int failedSends) {
    }

    record Verdict(List<Anomaly> anomalies, Map<String, Integer> counts, List<Outage> outages, String summary) {

        boolean valid() {
            return anomalies.isEmpty();
        }
    }

    private QueueChecker() {
    }

    static Verdict check(History history) {
        List<Event> events = history.events();
        List<Anomaly> anomalies = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        Set<Integer> partitions = new HashSet<>();
        for (Event e : events) {
            if (e.partition() >= 0 && e.type() != Type.FAULT_START && e.type() != Type.FAULT_END && e.type() != Type.INFO) {
                partitions.add(e.partition());
            }
        }
        // A history without a consumer group (the checker's own tests, say) is judged on its final read alone.
        boolean groupRan = events.stream().anyMatch(e -> e.type() == Type.CONSUME);
        long sent = 0;
        long acked = 0;
        long failed = 0;
        long read = 0;
        long consumed = 0;
        for (int p : partitions.stream().sorted().toList()) {
            Map<Long, Event> sends = new HashMap<>();
            Map<Long, Event> acks = new HashMap<>();
            Set<Long> failures = new HashSet<>();
            TreeMap<Long, Long> log = new TreeMap<>(); // offset -> value
            List<Event> reads = new ArrayList<>();
            List<Event> consumes = new ArrayList<>();
            for (Event e : events) {
                if (e.partition() != p) {
                    continue;
                }
                switch (e.type()) {
                    case SEND -> sends.put(e.value(), e);
                    case ACK -> acks.put(e.value(), e);
                    case FAIL -> failures.add(e.value());
                    case READ -> {
                        reads.add(e);
                        log.put(e.offset(), e.value());
                    }
                    case CONSUME -> consumes.add(e);
                    default -> {
                    }
                }
            }
            sent += sends.size();
            acked += acks.size();
            failed += failures.size();
            read += reads.size();
            consumed += consumes.size();
            reads.sort(Comparator.comparingLong(Event::offset));
            Map<Long, Integer> inLog = new HashMap<>();
            long previous = Long.MIN_VALUE;
            for (Event r : reads) {
                int times = inLog.merge(r.value(), 1, Integer::sum);
                if (times == 2) {
                    report(anomalies, Kind.DUPLICATE, p, "value " + r.value() + " again at offset " + r.offset()
                            + (acks.containsKey(r.value()) ? " (acknowledged)" : failures.contains(r.value())
                                    ? " (its send failed)" : ""));
                }
                if (!sends.containsKey(r.value())) {
                    report(anomalies, Kind.PHANTOM, p, "read value " + r.value() + " at offset " + r.offset()
                            + ", never sent to this partition");
                } else if (r.value() < previous) {
                    report(anomalies, Kind.REORDER, p, "value " + r.value() + " at offset " + r.offset()
                            + " after value " + previous);
                }
                previous = Math.max(previous, r.value());
            }
            Set<Long> consumedValues = new HashSet<>();
            for (Event c : consumes) {
                consumedValues.add(c.value());
                if (!sends.containsKey(c.value())) {
                    report(anomalies, Kind.PHANTOM, p, c.process() + " consumed value " + c.value() + " at offset "
                            + c.offset() + ", never sent to this partition");
                }
                Long there = log.get(c.offset());
                if (there == null || there != c.value()) {
                    report(anomalies, Kind.DIVERGENT_READ, p, c.process() + " consumed value " + c.value()
                            + " at offset " + c.offset() + " at " + ms(history, c) + ", the log holds "
                            + (there == null ? "nothing" : "value " + there) + " there");
                }
            }
            acks.values().stream().sorted(Comparator.comparingLong(Event::value)).forEach(a -> {
                if (!inLog.containsKey(a.value())) {
                    report(anomalies, Kind.LOST, p, "value " + a.value() + " acknowledged at offset " + a.offset()
                            + " at " + ms(history, a) + ", not in the log");
                } else if (a.offset() >= 0 && !Long.valueOf(a.value()).equals(log.get(a.offset()))) {
                    report(anomalies, Kind.ACK_OFFSET_MISMATCH, p, "value " + a.value() + " acknowledged at offset "
                            + a.offset() + ", the log holds " + log.get(a.offset()) + " there");
                }
                if (groupRan && !consumedValues.contains(a.value())) {
                    report(anomalies, Kind.NOT_CONSUMED, p, "value " + a.value() + " acknowledged at offset "
                            + a.offset() + ", never consumed by the group");
                }
            });
            checkCommits(history, events, p, anomalies);
        }
        anomalies.addAll(CopyChecker.check(history));
        List<Anomaly> kept = new ArrayList<>();
        Map<String, Integer> perKey = new HashMap<>();
        for (Anomaly a : anomalies) {
            counts.merge(a.kind().name(), 1, Integer::sum);
            if (perKey.merge(a.kind() + "/" + a.partition(), 1, Integer::sum) <= DETAILS) {
                kept.add(a);
            }
        }
        List<Outage> outages = outages(history, events);
        String summary = String.format("%d partitions: %d sent, %d acknowledged, %d failed, %d in the log, %d consumed; "
                + "anomalies %s", partitions.size(), sent, acked, failed, read, consumed, counts.isEmpty() ? "none" : counts);
        return new Verdict(kept, counts, outages, summary);
    }

    /**
     * Successful commits of a partition in real time: one invoked after another completed must not be
     * below it.
     */
    private static void checkCommits(History history, List<Event> events, int p, List<Anomaly> anomalies) {
        Map<Long, Event> invokes = new HashMap<>();
        record Commit(Event invoke, Event done) {
        }
        List<Commit> commits = new ArrayList<>();
        for (Event e : events) {
            if (e.partition() != p) {
                continue;
            }
            if (e.type() == Type.COMMIT_INVOKE) {
                invokes.put(e.value(), e);
            } else if (e.type() == Type.COMMIT_OK && invokes.containsKey(e.value())) {
                commits.add(new Commit(invokes.get(e.value()), e));
            }
        }
        List<Commit> byDone = new ArrayList<>(commits);
        byDone.sort(Comparator.comparingLong(c -> c.done().nanos()));
        List<Commit> byInvoke = new ArrayList<>(commits);
        byInvoke.sort(Comparator.comparingLong(c -> c.invoke().nanos()));
        int done = 0;
        Commit highest = null;
        for (Commit c : byInvoke) {
            while (done < byDone.size() && byDone.get(done).done().nanos() < c.invoke().nanos()) {
                Commit d = byDone.get(done++);
                if (highest == null || d.invoke().offset() > highest.invoke().offset()) {
                    highest = d;
                }
            }
            if (highest != null && c.invoke().offset() < highest.invoke().offset()) {
                report(anomalies, Kind.COMMIT_BACKWARDS, p, c.invoke().process() + " committed offset "
                        + c.invoke().offset() + " at " + ms(history, c.invoke()) + " after " + highest.invoke().process()
                        + " had committed " + highest.invoke().offset() + " (done at " + ms(history, highest.done()) + ")");
            }
        }
    }

    private static List<Outage> outages(History history, List<Event> events) {
        Map<Integer, List<Long>> ackTimes = new TreeMap<>();
        long last = events.isEmpty() ? 0 : events.get(events.size() - 1).nanos();
        for (Event e : events) {
            if (e.type() == Type.ACK) {
                ackTimes.computeIfAbsent(e.partition(), k -> new ArrayList<>()).add(e.nanos());
            }
        }
        Map<Integer, Event> starts = new HashMap<>();
        List<Outage> outages = new ArrayList<>();
        for (Event e : events) {
            if (e.type() == Type.FAULT_START) {
                starts.put(e.partition(), e);
            } else if (e.type() == Type.FAULT_END && starts.containsKey(e.partition())) {
                Event start = starts.remove(e.partition());
                long longest = 0;
                for (List<Long> times : ackTimes.values()) {
                    longest = Math.max(longest, longestGap(times, start.nanos(), e.nanos(), last));
                }
                int failures = (int) events.stream().filter(f -> f.type() == Type.FAIL && f.nanos() >= start.nanos()
                        && f.nanos() <= e.nanos()).count();
                outages.add(new Outage(start.detail(), history.millis(start.nanos()), history.millis(e.nanos()),
                        longest / 1_000_000, failures));
            }
        }
        return outages;
    }

    /** The longest interval between consecutive acknowledgements that overlaps [from, to]. */
    static long longestGap(List<Long> times, long from, long to, long end) {
        long longest = 0;
        long previous = Long.MIN_VALUE;
        for (long t : times) {
            if (previous != Long.MIN_VALUE && t >= from && previous <= to) {
                longest = Math.max(longest, t - previous);
            }
            previous = t;
        }
        if (previous != Long.MIN_VALUE && previous <= to) {
            longest = Math.max(longest, Math.max(end, to) - previous); // never acknowledged again
        }
        return longest;
    }

    private static String ms(History history, Event e) {
        return String.format("%.0f ms", history.millis(e.nanos()));
    }

    private static void report(List<Anomaly> anomalies, Kind kind, int partition, String detail) {
        anomalies.add(new Anomaly(kind, partition, detail));
    }
}
