package io.tributary.broker.log;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a partition's log starts, and what goes before it: the log start offset, which DeleteRecords
 * and retention move forward, and the deletion of the closed segments that retention no longer keeps
 * ({@link RetentionPolicy} chooses them) or that lie wholly before the start, as Kafka's
 * {@code UnifiedLog.deleteOldSegments}. The leader epoch cache forgets the epochs before the start.
 *
 * <p>Threading: the log start offset is written under the append lock and read without it. Retention
 * chooses without the lock and takes it to delete; the deleted files go after {@code file.delete.delay.ms}.
 */
final class LogRetention {

    private static final Logger log = LoggerFactory.getLogger(LogRetention.class);

    private final TopicPartition topicPartition;
    private final LocalLog local;
    private final ReentrantLock appendLock;
    private final OfflineState offline;
    private final LeaderEpochCache epochCache;
    private final Clock clock;
    private final LongSupplier highWatermark;
    private volatile long logStartOffset;

    LogRetention(TopicPartition topicPartition, LocalLog local, ReentrantLock appendLock, OfflineState offline,
            LeaderEpochCache epochCache, Clock clock, LongSupplier highWatermark, long logStartOffset) {
        this.topicPartition = topicPartition;
        this.local = local;
        this.appendLock = appendLock;
        this.offline = offline;
        this.epochCache = epochCache;
        this.clock = clock;
        this.highWatermark = highWatermark;
        this.logStartOffset = logStartOffset;
    }

    long logStartOffset() {
        return logStartOffset;
    }

    /** Starts the log at {@code offset}, where a truncation left it; the caller holds the append lock. */
    void restartAt(long offset) {
        logStartOffset = offset;
    }

    /**
     * Moves the log start offset forward to {@code offset} (DeleteRecords), if it is ahead; the caller
     * holds the append lock and has checked it against the high watermark. Segments go later
     * ({@link #deleteSegmentsBeforeStart}).
     */
    void advanceTo(long offset) throws IOException {
        if (offset > logStartOffset) {
            logStartOffset = offset;
            epochCache.truncateFromStart(offset);
        }
    }

    /** Deletes the segments wholly before the log start offset, which DeleteRecords moved to {@code offset}. */
    void deleteSegmentsBeforeStart(long offset) {
        deleteSegments(List.of(), "they are before the log start offset " + offset);
    }

    /**
     * Deletes closed segments that retention no longer keeps: older than {@code retention.ms}, beyond
     * {@code retention.bytes} (both only when {@code cleanup.policy} holds delete), or wholly before
     * the log start offset. Only segments below the high watermark are candidates, and never the
     * active segment.
     *
     * @return the number of segments deleted
     */
    int apply() {
        if (offline.isOffline()) {
            return 0;
        }
        List<LogSegment> closed = local.closedSegmentsBelow(highWatermark.getAsLong());
        RetentionPolicy.Selection selection;
        try {
            selection = RetentionPolicy.select(closed, local.config(), clock.millis(), local.segments().sizeInBytes());
        } catch (IOException e) {
            throw offline.goOffline("check retention", e);
        }
        return deleteSegments(closed.subList(0, selection.count()), selection.reason());
    }

    /** Deletes {@code chosen} plus any segment wholly before the log start offset. */
    private int deleteSegments(List<LogSegment> chosen, String reason) {
        List<LogSegment> deleted;
        appendLock.lock();
        try {
            deleted = local.removeForDeletion(chosen, logStartOffset, highWatermark.getAsLong());
            if (deleted.isEmpty()) {
                return 0;
            }
            logStartOffset = Math.max(logStartOffset, local.segments().firstBaseOffset());
            epochCache.truncateFromStart(logStartOffset);
            local.deleteSegmentFiles(deleted);
        } catch (IOException e) {
            throw offline.goOffline("delete segments", e);
        } finally {
            appendLock.unlock();
        }
        log.info("{}: deleted {} segment(s) {} because {}; log start offset is now {}", topicPartition, deleted.size(),
                deleted.stream().map(LogSegment::baseOffset).toList(), reason, logStartOffset);
        return deleted.size();
    }
}
