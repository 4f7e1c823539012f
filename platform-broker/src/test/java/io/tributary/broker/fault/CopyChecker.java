package io.tributary.broker.fault;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.tributary.broker.fault.History.Event;
import io.tributary.broker.fault.History.Type;
import io.tributary.broker.fault.QueueChecker.Anomaly;
import io.tributary.broker.fault.QueueChecker.Kind;

/**
 * Judges the {@link ExactlyOnceCopier}'s part of a {@link History}, per partition, against the source's
 * healed log (READ events): what a read_committed reader finds in the target (COPY_READ events) is the
 * source's records, each exactly once, in the source's order (COPY_LOST, COPY_DUPLICATE, COPY_REORDER,
 * COPY_PHANTOM), and nothing written in a transaction the copier aborted is ever among it (ABORTED_READ).
 * A history in which the copier did not run is not judged.
 */
final class CopyChecker {

    private CopyChecker() {
    }

    static List<Anomaly> check(History history) {
        List<Event> events = history.events();
        List<Anomaly> anomalies = new ArrayList<>();
        if (events.stream().noneMatch(e -> e.type() == Type.COPY || e.type() == Type.COPY_READ)) {
            return anomalies;
        }
        Set<String> aborted = new HashSet<>();
        events.stream().filter(e -> e.type() == Type.TXN_ABORT).forEach(e -> aborted.add(Long.toString(e.value())));
        Map<Integer, List<Event>> sourceLogs = byPartition(events, Type.READ);
        Map<Integer, List<Event>> copies = byPartition(events, Type.COPY_READ);
        Map<Integer, Map<Long, String>> abortedWrites = new HashMap<>();
        for (Event e : events) {
            if (e.type() == Type.COPY && e.offset() >= 0 && aborted.contains(e.detail())) {
                abortedWrites.computeIfAbsent(e.partition(), p -> new HashMap<>()).put(e.offset(), e.detail());
            }
        }
        Set<Integer> partitions = new HashSet<>(sourceLogs.keySet());
        partitions.addAll(copies.keySet());
        for (int p : partitions.stream().sorted().toList()) {
            List<Long> sourceValues = sourceLogs.getOrDefault(p, List.of()).stream().map(Event::value).toList();
            Map<Long, Integer> position = new HashMap<>();
            for (int i = 0; i < sourceValues.size(); i++) {
                position.putIfAbsent(sourceValues.get(i), i);
            }
            Set<Long> seen = new HashSet<>();
            int previous = -1;
            for (Event copy : copies.getOrDefault(p, List.of())) {
                String txn = abortedWrites.getOrDefault(p, Map.of()).get(copy.offset());
                if (txn != null) {
                    anomalies.add(new Anomaly(Kind.ABORTED_READ, p, "read_committed returned value " + copy.value()
                            + " at offset " + copy.offset() + ", written by transaction " + txn + ", which was aborted"));
                }
                if (!seen.add(copy.value())) {
                    anomalies.add(new Anomaly(Kind.COPY_DUPLICATE, p, "value " + copy.value() + " again at offset "
                            + copy.offset()));
                    continue;
                }
                Integer at = position.get(copy.value());
                if (at == null) {
                    anomalies.add(new Anomaly(Kind.COPY_PHANTOM, p, "value " + copy.value() + " at offset "
                            + copy.offset() + " is not in the source's partition"));
                    continue;
                }
                if (at < previous) {
                    anomalies.add(new Anomaly(Kind.COPY_REORDER, p, "value " + copy.value() + " at offset "
                            + copy.offset() + " comes before value " + sourceValues.get(previous) + " in the source"));
                }
                previous = Math.max(previous, at);
            }
            for (long value : sourceValues) {
                if (!seen.contains(value)) {
                    anomalies.add(new Anomaly(Kind.COPY_LOST, p, "source value " + value + " was never copied with a "
                            + "committed transaction"));
                }
            }
        }
        return anomalies;
    }

    private static Map<Integer, List<Event>> byPartition(List<Event> events, Type type) {
        Map<Integer, List<Event>> map = new HashMap<>();
        events.stream().filter(e -> e.type() == type).forEach(e -> map.computeIfAbsent(e.partition(), p -> new ArrayList<>()).add(e));
        map.values().forEach(list -> list.sort(Comparator.comparingLong(Event::offset)));
        return map;
    }
}
