package io.tributary.broker.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cleaner could do for one log at one moment: the closed segments it may rewrite and how
 * dirty they are. The log's {@code firstDirtyOffset} (its cleaner checkpoint) splits them: below
 * it every record was cleaned at least once; from it on the records are dirty, their keys not yet
 * deduplicated against the older ones.
 *
 * <p>A segment may be rewritten when it is closed, all its offsets are below the high watermark
 * (a follower may still truncate uncommitted records, which must not have erased older values), it
 * is not wholly before the log start offset, and, from the first dirty segment on, its newest record
 * is at least {@code min.compaction.lag.ms} old, and no transaction still open has data in it or before it. The first segment failing the last test ends the
 * list, so the segments always form one run from the oldest.
 *
 * @param segments               the segments the cleaner may rewrite, oldest first
 * @param firstDirtyOffset       the first offset not yet cleaned
 * @param firstUncleanableOffset the end of the last segment listed: no record from here on is removed
 * @param cleanBytes             the bytes of the segments wholly below {@code firstDirtyOffset}
 * @param dirtyBytes             the bytes of the others
 * @param truncationsSeen        the log's truncation count before the segments were listed
 */
record LogToClean(PartitionLog log, List<CleanableSegment> segments, long firstDirtyOffset,
        long firstUncleanableOffset, long cleanBytes, long dirtyBytes, long truncationsSeen) {

    /** A segment the cleaner may rewrite, with the base offset of the segment after it. */
    record CleanableSegment(LogSegment segment, long nextBaseOffset, boolean dirty) {
    }

    /** The dirty share of the cleanable bytes, which {@code min.cleanable.dirty.ratio} is compared with. */
    double dirtyRatio() {
        long total = cleanBytes + dirtyBytes;
        return total == 0 ? 0 : (double) dirtyBytes / total;
    }

    /** Whether the log is dirty enough for a cleaning, by its {@code min.cleanable.dirty.ratio}. */
    boolean dirtyEnough() {
        return dirtyBytes > 0 && dirtyRatio() >= log.config().minCleanableDirtyRatio();
    }

    static LogToClean of(PartitionLog log, long nowMs) throws IOException {
        CleanerView view = log.cleanerView();
        long truncations = view.truncations();
        long logStart = log.logStartOffset();
        long firstDirty = view.firstDirtyOffset();
        if (firstDirty < logStart || firstDirty > log.logEndOffset()) {
            firstDirty = logStart; // truncated or trimmed past the checkpoint: clean everything again
        }
        long lagMs = log.config().minCompactionLagMs();
        long firstUnstable = log.firstUnstableOffset();
        List<CleanableSegment> cleanable = new ArrayList<>();
        long cleanBytes = 0;
        long dirtyBytes = 0;
        long upTo = firstDirty;
        for (LogSegment segment : view.closedSegmentsBelowHighWatermark()) {
            long next = view.nextBaseOffset(segment);
            if (next <= logStart) {
                continue; // wholly before the log start: retention deletes it
            }
            if (next > firstUnstable) {
                break; // an open transaction's data is not cleaned: it may still be aborted
            }
            boolean dirty = next > firstDirty;
            if (dirty && lagMs > 0 && segment.largestTimestamp() > nowMs - lagMs) {
                break;
            }
            cleanable.add(new CleanableSegment(segment, next, dirty));
            if (dirty) {
                dirtyBytes += segment.size();
            } else {
                cleanBytes += segment.size();
            }
            upTo = next;
        }
        return new LogToClean(log, List.copyOf(cleanable), firstDirty, Math.max(upTo, firstDirty), cleanBytes,
                dirtyBytes, truncations);
    }
}
