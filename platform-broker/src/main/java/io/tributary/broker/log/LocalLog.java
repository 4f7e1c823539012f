package io.tributary.broker.log;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition's segments on disk and the end of the log readers may see, as Kafka's {@code LocalLog}:
 * rolls, truncation, the removal of segments and the deferred deletion of their files, the swap of a
 * cleaned segment. It keeps neither the log start offset nor the high watermark nor the leader
 * epochs ({@link PartitionLog} and {@link LogRetention} do); callers pass them where they matter.
 *
 * <p>Threading: whatever changes the segments or the end runs under the partition's append lock,
 * which the caller holds. Readers take no lock: they read the end ({@link #end()}) once and then
 * the segments up to it.
 */
final class LocalLog {

    private static final Logger log = LoggerFactory.getLogger(LocalLog.class);

    /** The published end of the log: readers see batches up to {@code position} of {@code segment}. */
    record EndOffset(long offset, LogSegment segment, int position) {
    }

    /**
     * What a truncation left: the new active segment and the offset after its last batch, whether
     * the log was emptied, and the removed segments, whose files are already renamed for deletion.
     */
    record Truncation(LogSegment active, long nextOffset, boolean emptied, List<LogSegment> removed) {
    }

    private final TopicPartition topicPartition;
    private final Path dir;
    private final Clock clock;
    private final FileChannelFactory channels;
    private final LogBackgroundTasks background;
    private final LogSegments segments;
    private volatile LogConfig config;
    private volatile EndOffset end;

    LocalLog(TopicPartition topicPartition, Path dir, LogConfig config, Clock clock, FileChannelFactory channels,
            LogBackgroundTasks background, LogSegments segments, long logEndOffset) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.channels = channels;
        this.background = background;
        this.segments = segments;
        LogSegment active = segments.last();
        this.end = new EndOffset(logEndOffset, active, active.size());
    }

    Path dir() {
        return dir;
    }

    LogConfig config() {
        return config;
    }

    void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    LogSegments segments() {
        return segments;
    }

    /** The published end, read once by a reader that must not look past it. */
    EndOffset end() {
        return end;
    }

    long logEndOffset() {
        return end.offset();
    }

    /** The segment appends go to. */
    LogSegment activeSegment() {
        return end.segment();
    }

    /** Makes the batches up to the end of {@code segment}, which end before {@code nextOffset}, visible to readers. */
    void publishEnd(long nextOffset, LogSegment segment) {
        end = new EndOffset(nextOffset, segment, segment.size());
    }

    /**
     * Rolls to a new segment, based at {@code baseOffset}, when the active one is full, old, or cannot
     * index the offsets. Returns the segment to append to.
     */
    LogSegment maybeRoll(int bytes, long baseOffset, long lastOffset, long maxTimestamp, long now) throws IOException {
        LogSegment active = end.segment();
        LogConfig config = this.config;
        boolean roll = active.size() > 0 && ((long) active.size() + bytes > config.segmentBytes()
                || active.timeWaitedForRoll(now, maxTimestamp) > config.segmentMs()
                || active.indexesFull()
                || !active.canHoldOffset(lastOffset));
        if (!roll) {
            return active;
        }
        active.onBecomeInactive();
        LogSegment next = LogSegment.create(dir, baseOffset, config, channels, now);
        segments.add(next);
        end = new EndOffset(end.offset(), next, 0);
        return next;
    }

    /**
     * Removes every batch at or past {@code offset}; the containing batch goes whole. The end is not
     * published yet: the caller does it once its own offsets agree ({@link #publishEnd}).
     */
    Truncation truncateTo(long offset) throws IOException {
        List<LogSegment> removed = segments.removeFrom(offset);
        if (segments.isEmpty()) {
            LogSegment active = LogSegment.create(dir, offset, config, channels, clock.millis());
            segments.add(active);
            return new Truncation(active, offset, true, removed);
        }
        LogSegment active = segments.last();
        int removedBytes = active.truncateTo(offset);
        active.onBecomeActive();
        long nextOffset = Math.max(active.baseOffset(), active.readLastOffset() + 1);
        log.info("{}: truncated to offset {}, removing {} bytes and {} segments", topicPartition, offset,
                removedBytes, removed.size());
        return new Truncation(active, nextOffset, false, removed);
    }

    /** Removes every segment and starts an empty one at {@code offset}; the end is not published yet. */
    Truncation removeAllAndStartAt(long offset) throws IOException {
        List<LogSegment> removed = segments.removeFrom(Long.MIN_VALUE);
        LogSegment active = LogSegment.create(dir, offset, config, channels, clock.millis());
        segments.add(active);
        return new Truncation(active, offset, true, removed);
    }

    /** Closed segments whose offsets all lie below {@code highWatermark}, oldest first. */
    List<LogSegment> closedSegmentsBelow(long highWatermark) {
        List<LogSegment> closed = new ArrayList<>();
        LogSegment active = end.segment();
        for (LogSegment segment : segments.all()) {
            Long nextBase = segments.nextBaseOffset(segment);
            if (segment == active || nextBase == null || nextBase > highWatermark) {
                break;
            }
            closed.add(segment);
        }
        return closed;
    }

    /**
     * Takes out of the list, oldest first, the closed segments below {@code highWatermark} that are
     * {@code chosen} or wholly before {@code logStartOffset}, up to the first that is neither.
     */
    List<LogSegment> removeForDeletion(List<LogSegment> chosen, long logStartOffset, long highWatermark) {
        List<LogSegment> removed = new ArrayList<>();
        for (LogSegment segment : closedSegmentsBelow(highWatermark)) {
            Long nextBase = segments.nextBaseOffset(segment);
            boolean beforeStart = nextBase != null && nextBase <= logStartOffset;
            if (!chosen.contains(segment) && !beforeStart) {
                break;
            }
            segments.remove(segment);
            removed.add(segment);
        }
        return removed;
    }

    /** Renames the files of segments taken out of the list and deletes them after {@code file.delete.delay.ms}. */
    void deleteSegmentFiles(List<LogSegment> removed) throws IOException {
        for (LogSegment segment : removed) {
            segment.markForDeletion();
            background.deleteFilesLater(segment, config.fileDeleteDelayMs());
        }
    }

    /** Deletes, after {@code file.delete.delay.ms}, the files of segments already renamed for deletion. */
    void deleteFilesLater(List<LogSegment> removed) {
        for (LogSegment segment : removed) {
            background.deleteFilesLater(segment, config.fileDeleteDelayMs());
        }
    }

    /** The base offset of the segment after {@code segment}, or the log end offset when there is none. */
    long nextBaseOffset(LogSegment segment) {
        Long next = segments.nextBaseOffset(segment);
        return next == null ? end.offset() : next;
    }

    /** Creates the files of an empty segment for the cleaner to write (see {@link LogSegment#createCleaned}). */
    LogSegment createCleanedSegment(long baseOffset, int maxIndexSize) throws IOException {
        return LogSegment.createCleaned(dir, baseOffset, config, channels, clock.millis(), maxIndexSize);
    }

    /**
     * Swaps {@code cleaned} in for {@code replaced} ({@link LogSegments#swapIn}) unless one of them
     * was deleted or is the active segment; the old files stay until {@link #deleteFilesLater}.
     *
     * @return false, changing nothing, when one of the replaced segments is no longer closed and listed
     */
    boolean swapIn(LogSegment cleaned, List<LogSegment> replaced) throws IOException {
        for (LogSegment old : replaced) {
            if (segments.get(old.baseOffset()) != old || old == end.segment()) {
                return false;
            }
        }
        segments.swapIn(cleaned, replaced, dir);
        return true;
    }

    void closeSegmentsQuietly() {
        LogLoader.closeQuietly(topicPartition, segments);
    }

    /** Lets go of the files as a killed process would: nothing flushed or trimmed. */
    void abandon() {
        for (LogSegment segment : segments.all()) {
            segment.abandon();
        }
    }
}
