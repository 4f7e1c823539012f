package io.tributary.broker.fault;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything the clients and the nemesis did in a run, with the time it happened: the input of the
 * {@link QueueChecker} and, written out, the run's report. Thread-safe: producer, consumers and the
 * fault schedule record at once.
 */
final class History {

    /** What happened. */
    enum Type {
        /** A record handed to the producer: {@code value} to {@code partition}. */
        SEND,
        /** Its acknowledgement (acks=all) at {@code offset}. */
        ACK,
        /** Its send ended in an error or a timeout: it may or may not be in the log. */
        FAIL,
        /** A group member polled {@code value} at {@code offset} of {@code partition}. */
        CONSUME,
        /** A group member began committing {@code offset} for {@code partition}. */
        COMMIT_INVOKE,
        /** That commit succeeded. */
        COMMIT_OK,
        /** That commit failed (its fate unknown). */
        COMMIT_FAIL,
        /** The final read of a partition, after healing: {@code value} at {@code offset}. */
        READ,
        /**
         * The exactly-once copier wrote source {@code value} to the target's {@code partition} at {@code offset}
         * (-1 when the write failed) in the transaction numbered {@code detail}.
         */
        COPY,
        /** The copier aborted transaction {@code value} on purpose: its records must never be read committed. */
        TXN_ABORT,
        /** The copier began committing transaction {@code value}. */
        TXN_COMMIT_INVOKE,
        /** That commit succeeded (a commit that failed has an unknown fate: no event). */
        TXN_COMMIT_OK,
        /** The final read_committed read of the copier's target: {@code value} at {@code offset} of {@code partition}. */
        COPY_READ,
        /** A fault began: {@code detail} says which, {@code partition} is its number in the schedule. */
        FAULT_START,
        /** That fault was healed. */
        FAULT_END,
        /** Anything else worth having in the report (a client error, a phase of the run). */
        INFO
    }

    /**
     * One event; {@code nanos} from {@link System#nanoTime()}; -1 where a field does not apply. A commit's
     * {@code value} is the id joining its invoke to its outcome; {@code process} is who did it (producer,
     * consumer-N, nemesis).
     */
    record Event(long nanos, Type type, String process, int partition, long value, long offset, String detail) {
    }

    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    /** Events so far by type, for progress checks that must not copy the whole history. */
    private final Map<Type, LongAdder> counts = new EnumMap<>(Type.class);
    private final long origin;

    History() {
        this(System.nanoTime());
    }

    History(long origin) {
        this.origin = origin;
        for (Type type : Type.values()) {
            counts.put(type, new LongAdder());
        }
    }

    void add(Type type, String process, int partition, long value, long offset, String detail) {
        add(new Event(System.nanoTime(), type, process, partition, value, offset, detail));
    }

    /** For hand-made histories: an event at a given time. */
    void add(Event event) {
        events.add(event);
        counts.get(event.type()).increment();
    }

    long count(Type type) {
        return counts.get(type).sum();
    }

    /** The events so far, in the order of their times. */
    List<Event> events() {
        List<Event> list = new ArrayList<>(events);
        list.sort(Comparator.comparingLong(Event::nanos));
        return list;
    }

    long origin() {
        return origin;
    }

    /** Milliseconds since the run began, for reports. */
    double millis(long nanos) {
        return (nanos - origin) / 1e6;
    }

    /** The whole history, one event a line, after {@code header}. */
    void write(Path file, String header) throws IOException {
        Files.createDirectories(file.getParent());
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(header);
            out.write("\n# time-ms type process partition value offset detail\n");
            for (Event e : events()) {
                out.write(String.format("%.3f %s %s %d %d %d %s%n", millis(e.nanos()), e.type(), e.process(),
                        e.partition(), e.value(), e.offset(), e.detail() == null ? "" : e.detail()));
            }
        }
    }
}
