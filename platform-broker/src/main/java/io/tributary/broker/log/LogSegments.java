package io.tributary.broker.log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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

    /**
     * Removes the segments whose base offset is at least {@code offset} and moves their files aside at once
     * ({@link LogSegment#markForDeletion}): a new segment may take the same base offset. Returns them oldest first.
     */
    List<LogSegment> removeFrom(long offset) throws IOException {
        List<LogSegment> removed = new ArrayList<>(segments.tailMap(offset, true).values());
        for (LogSegment segment : removed) {
            remove(segment);
            segment.markForDeletion();
        }
        return removed;
    }

    /**
     * Swaps a cleaned segment, complete and flushed under its {@code .cleaned} names, in for the consecutive
     * segments it was cleaned from, as Kafka's {@code LocalLog.replaceSegments}. The order makes every crash
     * recoverable (see {@link CleanedSegmentRecovery}) and never shows a reader a hole in the offsets: the
     * cleaned segment becomes {@code .swap}; it takes the first old segment's place before the others leave
     * the list; the old files become {@code .deleted}; the swap files take the segment names.
     */
    void swapIn(LogSegment cleaned, List<LogSegment> replaced, Path dir) throws IOException {
        cleaned.changeFileSuffix(LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
        AtomicFiles.fsyncDirectory(dir);
        add(cleaned);
        for (LogSegment old : replaced) {
            if (old.baseOffset() != cleaned.baseOffset()) {
                remove(old);
            }
        }
        for (LogSegment old : replaced) {
            old.markForDeletion();
        }
        cleaned.changeFileSuffix(LogSegment.SWAP_SUFFIX, "");
        AtomicFiles.fsyncDirectory(dir);
    }

    /** Forces to disk the segments holding offsets {@code from} (inclusive) to {@code to} (exclusive). */
    void flush(long from, long to) throws IOException {
        for (LogSegment segment : from(from)) {
            if (segment.baseOffset() >= to) {
                break;
            }
            segment.flush();
        }
    }

    /**
     * Whole batches from the one holding {@code startOffset}, as {@link LogSegment#read} gives them, from the
     * first segment below {@code upper} that has any; the active segment {@code last} is read only up to
     * {@code lastPosition}, the published end.
     */
    LogSlice read(long startOffset, int maxBytes, long upper, long offsetBound, LogSegment last, int lastPosition,
            boolean minOneBatch) throws IOException {
        for (LogSegment segment = floor(startOffset); segment != null && segment.baseOffset() < upper; segment = next(segment)) {
            int maxPosition = segment == last ? lastPosition : segment.size();
            Optional<LogSlice> slice = segment.read(startOffset, maxBytes, maxPosition, offsetBound, minOneBatch);
            if (slice.isPresent()) {
                return slice.get();
            }
        }
        return LogSlice.EMPTY;
    }

    /** Every batch header from the one holding {@code fromOffset}, segments from the one holding {@code from}, to {@code last}. */
    void scanBatches(long from, long fromOffset, LogSegment last, int lastPosition, Consumer<StoredBatch> visitor)
            throws IOException {
        for (LogSegment segment : from(from)) {
            segment.scanBatches(fromOffset, segment == last ? lastPosition : segment.size(), visitor);
            if (segment == last) {
                break;
            }
        }
    }

    /**
     * The first record at or after {@code start} whose timestamp is at least {@code timestamp}, reading the
     * active segment {@code last} only up to {@code lastPosition}, the published end.
     */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp, long start, LogSegment last, int lastPosition)
            throws IOException {
        for (LogSegment segment : from(start)) {
            if (segment.maxTimestampSoFar() >= timestamp) {
                int maxPosition = segment == last ? lastPosition : segment.size();
                Optional<TimestampOffset> found = segment.findOffsetByTimestamp(timestamp, start, maxPosition);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** The largest timestamp of the segments from the one holding {@code offset} on, or -1. */
    long maxTimestampFrom(long offset) {
        long newest = -1;
        for (LogSegment segment : from(offset)) {
            newest = Math.max(newest, segment.maxTimestampSoFar());
        }
        return newest;
    }
}
