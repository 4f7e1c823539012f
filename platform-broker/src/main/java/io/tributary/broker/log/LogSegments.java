package io.tributary.broker.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of one partition's log by base offset, as Kafka's {@code LogSegments}: the one place
 * that knows how they are kept and looked up. Readers walk it without a lock; the log changes it
 * under its append lock only.
 */
final class LogSegments {

    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    void add(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    void remove(LogSegment segment) {
        segments.remove(segment.baseOffset(), segment);
    }

    /** The segment with this base offset, or null. */
    LogSegment get(long baseOffset) {
        return segments.get(baseOffset);
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    int count() {
        return segments.size();
    }

    long firstBaseOffset() {
        return segments.firstKey();
    }

    /** The newest segment, where appends go. */
    LogSegment last() {
        return segments.lastEntry().getValue();
    }

    /** The segment that holds {@code offset} if any does: the one with the largest base offset at most it. */
    LogSegment floor(long offset) {
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        return entry == null ? null : entry.getValue();
    }

    /** The segment after {@code segment}, or null for the last. */
    LogSegment next(LogSegment segment) {
        Map.Entry<Long, LogSegment> entry = segments.higherEntry(segment.baseOffset());
        return entry == null ? null : entry.getValue();
    }

    /** The base offset of the segment after {@code segment}, or null for the last. */
    Long nextBaseOffset(LogSegment segment) {
        return segments.higherKey(segment.baseOffset());
    }

    /** Every segment, oldest first (a live view). */
    Collection<LogSegment> all() {
        return segments.values();
    }

    /** The segments from the one holding {@code offset} on, oldest first (a live view). */
    Collection<LogSegment> from(long offset) {
        Long first = segments.floorKey(offset);
        return (first == null ? segments : segments.tailMap(first, true)).values();
    }

    /** The segments whose base offset is at least {@code baseOffset}, oldest first (a live view). */
    Collection<LogSegment> startingAtOrAfter(long baseOffset) {
        return segments.tailMap(baseOffset, true).values();
    }

    /** The segments whose base offset is below {@code baseOffset}, oldest first (a live view). */
    Collection<LogSegment> startingBefore(long baseOffset) {
        return segments.headMap(baseOffset, false).values();
    }

    List<Long> baseOffsets() {
        return List.copyOf(segments.keySet());
    }

    long sizeInBytes() {
        long bytes = 0;
        for (LogSegment segment : segments.values()) {
            bytes += segment.size();
        }
        return bytes;
    }

    /** Removes every segment, returning them oldest first. */
    List<LogSegment> removeAll() {
        List<LogSegment> removed = new ArrayList<>(segments.values());
        removed.forEach(this::remove);
        return removed;
    }
}
