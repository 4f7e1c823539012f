package io.tributary.broker.log;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A partition's log as the {@link LogCleaner} sees and changes it: what may be cleaned, how far the
 * cleaning got (the cleaner checkpoint, Kafka's {@code cleaner-offset-checkpoint}), and the swap of
 * a cleaned segment in.
 *
 * <p>Threading: the cleaner reads closed segments without the append lock and takes it only to
 * swap a cleaned segment in and to move the checkpoint. The log counts its truncations here, under
 * the append lock: a cleaning that saw one happen swaps nothing in and moves no checkpoint.
 */
final class CleanerView {

    private final LocalLog local;
    private final ReentrantLock appendLock;
    private final OfflineState offline;
    private final LongSupplier highWatermark;
    /** The cleaner's checkpoint: offsets below it were cleaned at least once. */
    private volatile long firstDirtyOffset;
    /** Counts truncations, which invalidate a cleaning under way (written under the append lock). */
    private volatile long truncations;

    CleanerView(LocalLog local, ReentrantLock appendLock, OfflineState offline, LongSupplier highWatermark,
            long firstDirtyOffset) {
        this.local = local;
        this.appendLock = appendLock;
        this.offline = offline;
        this.highWatermark = highWatermark;
        this.firstDirtyOffset = firstDirtyOffset;
    }

    /** The cleaner's checkpoint: every offset below it was cleaned at least once. */
    long firstDirtyOffset() {
        return firstDirtyOffset;
    }

    /**
     * Records that the cleaner cleaned everything below {@code offset} and persists it, unless a
     * truncation since the cleaning started (seen as a change of {@link #truncations()}) made the
     * claim stale.
     */
    void updateFirstDirtyOffset(long offset, long truncationsSeen) throws IOException {
        appendLock.lock();
        try {
            if (truncations != truncationsSeen) {
                return;
            }
            firstDirtyOffset = offset;
        } finally {
            appendLock.unlock();
        }
        new CleanerCheckpoint(offset).write(local.dir());
    }

    /** How many truncations the log went through: a cleaning that saw a truncation happen swaps nothing in. */
    long truncations() {
        return truncations;
    }

    /** Counts a truncation that is about to change the segments; the caller holds the append lock. */
    void truncationStarted() {
        truncations++;
    }

    /** Moves the checkpoint back to {@code offset}, where the log was cut; the caller holds the append lock. */
    void truncatedTo(long offset) {
        firstDirtyOffset = Math.min(firstDirtyOffset, offset);
    }

    /** Moves the checkpoint to {@code offset}, where an emptied log starts again; the caller holds the append lock. */
    void restartedAt(long offset) {
        firstDirtyOffset = offset;
    }

    /** The closed segments whose offsets all lie below the high watermark, oldest first: what may be cleaned. */
    List<LogSegment> closedSegmentsBelowHighWatermark() {
        return local.closedSegmentsBelow(highWatermark.getAsLong());
    }

    /** The base offset of the segment after {@code segment}, or the log end offset when there is none. */
    long nextBaseOffset(LogSegment segment) {
        return local.nextBaseOffset(segment);
    }

    /** Creates the files of an empty segment for the cleaner to write (see {@link LogSegment#createCleaned}). */
    LogSegment createCleanedSegment(long baseOffset, int maxIndexSize) throws IOException {
        return local.createCleanedSegment(baseOffset, maxIndexSize);
    }

    /**
     * Swaps a cleaned segment in for the consecutive closed segments it was cleaned from, the first of
     * which has its base offset ({@link LogSegments#swapIn}), holding the append lock for the swap only;
     * the old files are deleted after {@code file.delete.delay.ms}, readers holding slices of them meanwhile.
     *
     * @return false, changing nothing, when the log changed under the cleaner: an old segment was
     *         deleted or became active again, or the log was truncated since {@code truncationsSeen}
     */
    boolean replaceSegments(LogSegment cleaned, List<LogSegment> replaced, long truncationsSeen) {
        if (replaced.isEmpty() || replaced.get(0).baseOffset() != cleaned.baseOffset()) {
            throw new IllegalArgumentException("A cleaned segment replaces segments starting at its own base offset");
        }
        appendLock.lock();
        try {
            if (offline.isOffline() || truncations != truncationsSeen || !local.swapIn(cleaned, replaced)) {
                return false;
            }
        } catch (IOException e) {
            throw offline.goOffline("swap in the cleaned segment " + cleaned.baseOffset(), e);
        } finally {
            appendLock.unlock();
        }
        local.deleteFilesLater(replaced);
        return true;
    }
}
