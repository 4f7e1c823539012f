package io.tributary.broker.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only log of one partition: a directory {@code <topic>-<partition>/} of segments named
 * by base offset, a {@code partition.checkpoint} of its start offset, high watermark and recovery
 * point, and a {@code leader-epoch-checkpoint}.
 *
 * <p>Invariants: offsets are contiguous from the log start offset to the log end offset except
 * where compaction left gaps; every batch is stored whole; nothing past the published end is ever
 * visible to a reader.
 *
 * <p>Threading: appends, rolls, truncation and retention take the partition's append lock, so
 * there is one writer at a time. Reads take no lock: they see the end offset published by the last
 * complete append. The {@link LogCleaner} reads closed segments without the lock and takes it only
 * to swap a cleaned segment in ({@link CleanerView#replaceSegments}).
 *
 * <p>As Kafka's {@code UnifiedLog}, this class keeps the high watermark and the leader epochs, reads
 * within the log's bounds, truncates, and hands the rest to its parts, which share its append lock:
 * the segments and the published end are {@link LocalLog}'s; appends {@link LogAppender}'s; the log
 * start offset and the deletion of what lies before it or past retention {@link LogRetention}'s;
 * flushes, the recovery point and the checkpoint {@link LogFlusher}'s; what the cleaner reads and
 * swaps {@link CleanerView}'s; the first unstable offset and the aborted transactions
 * {@link LogTransactions}'; the offline state {@link OfflineState}'s.
 */
public final class PartitionLog implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);

    private final TopicPartition topicPartition;
    private final Clock clock;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final LeaderEpochCache epochCache;
    private final OfflineState offline;
    private final LocalLog local;
    private final LogFlusher flusher;
    private final CleanerView cleanerView;
    private final LogTransactions transactions;
    private final LogRetention retention;
    private final LogAppender appender;
    private volatile long highWatermark;

    private PartitionLog(TopicPartition topicPartition, Path dir, LogConfig config, Clock clock,
            FileChannelFactory channels, ScheduledExecutorService scheduler, LeaderEpochCache epochCache,
            LogLoader.LoadedLog loaded) {
        this.topicPartition = topicPartition;
        this.clock = clock;
        this.epochCache = epochCache;
        this.offline = new OfflineState(topicPartition);
        LogBackgroundTasks background = new LogBackgroundTasks(topicPartition, scheduler);
        this.local = new LocalLog(topicPartition, dir, config, clock, channels, background, loaded.segments(),
                loaded.logEndOffset());
        this.flusher = new LogFlusher(local, appendLock, offline, background, clock, loaded.recoveryPoint());
        this.cleanerView = new CleanerView(local, appendLock, offline, this::highWatermark, loaded.firstDirtyOffset());
        this.transactions = new LogTransactions(local.segments(), appendLock, offline);
        this.retention = new LogRetention(topicPartition, local, appendLock, offline, epochCache, clock,
                this::highWatermark, loaded.logStartOffset());
        this.appender = new LogAppender(topicPartition, local, appendLock, offline, epochCache, flusher, clock,
                retention::logStartOffset);
        this.highWatermark = loaded.highWatermark();
    }

    /**
     * Opens the partition's log, creating it when the directory is new, and recovers whatever an
     * unclean shutdown left past the recovery point (see {@link LogLoader}).
     *
     * @param scheduler runs deferred file deletion and flushes of rolled segments; null runs them inline
     */
    public static PartitionLog open(Path dir, TopicPartition topicPartition, LogConfig config, Clock clock,
            FileChannelFactory channels, ScheduledExecutorService scheduler) throws IOException {
        Files.createDirectories(dir);
        LeaderEpochCache epochCache = LeaderEpochCache.load(dir);
        LogLoader.LoadedLog loaded = LogLoader.load(dir, topicPartition, config, channels, clock, epochCache);
        PartitionLog partitionLog = new PartitionLog(topicPartition, dir, config, clock, channels, scheduler, epochCache, loaded);
        try {
            partitionLog.checkpoint();
        } catch (RuntimeException e) {
            partitionLog.local.closeSegmentsQuietly();
            throw e;
        }
        return partitionLog;
    }

    // ---------------------------------------------------------------- appends

    /**
     * Validates the batches a producer sent, assigns them the next offsets and the leader epoch in
     * place, and appends them. All batches are written, or none.
     *
     * @throws InvalidBatchException when a batch is corrupt, invalid or too large; the log is unchanged
     * @throws LogOfflineException   when the storage failed; the log is offline from then on
     */
    public AppendResult append(MemoryRecords records, int leaderEpoch) {
        return append(records, leaderEpoch, batch -> { });
    }

    /**
     * As {@link #append(MemoryRecords, int)}, with a last check of each validated batch, made under
     * the append lock before anything is written: an exception thrown by {@code admission} refuses
     * the whole append and leaves the log unchanged.
     */
    public AppendResult append(MemoryRecords records, int leaderEpoch, Consumer<RecordBatch> admission) {
        return appender.appendAsLeader(records, leaderEpoch, admission);
    }

    /**
     * Appends batches a leader wrote, as a follower: their offsets and leader epochs are the
     * leader's and stay as they are, gaps between them included ({@link LogAppender#appendAsFollower}).
     *
     * @return the batches as appended, or null when {@code records} held none
     * @throws InvalidBatchException when a batch is corrupt or does not continue the log
     * @throws LogOfflineException   when the storage failed
     */
    public AppendResult appendAsFollower(MemoryRecords records) {
        return appender.appendAsFollower(records);
    }

    // ---------------------------------------------------------------- reads

    /**
     * Reads whole batches from the one holding {@code startOffset}.
     *
     * @param maxBytes           at most this many bytes, unless {@code minOneBatch} and the first batch is larger
     * @param maxOffsetExclusive no batch starting at or past this offset (the high watermark for consumers,
     *                           {@link Long#MAX_VALUE} for the whole log)
     * @throws OffsetOutOfRangeException when {@code startOffset} is before the log start or past the log end
     */
    public LogReadResult read(long startOffset, int maxBytes, long maxOffsetExclusive, boolean minOneBatch) {
        offline.ensureOnline();
        LocalLog.EndOffset end = local.end();
        long start = logStartOffset();
        long highWatermark = this.highWatermark;
        if (startOffset < start || startOffset > end.offset()) {
            throw new OffsetOutOfRangeException(topicPartition.toString(), startOffset, start, end.offset());
        }
        long upper = Math.min(maxOffsetExclusive, end.offset());
        if (startOffset >= upper) {
            return new LogReadResult(LogSlice.EMPTY, start, highWatermark, end.offset());
        }
        try {
            LogSlice slice = local.segments().read(startOffset, maxBytes, upper,
                    upper == end.offset() ? Long.MAX_VALUE : upper, end.segment(), end.position(), minOneBatch);
            return new LogReadResult(slice, start, highWatermark, end.offset());
        } catch (ClosedChannelException e) {
            // Retention removed the segment while we read it: the offset is gone.
            throw new OffsetOutOfRangeException(topicPartition.toString(), startOffset, logStartOffset(), end.offset());
        } catch (IOException e) {
            throw offline.goOffline("read at offset " + startOffset, e);
        }
    }

    /** The first record, at or after the log start, whose timestamp is at least {@code timestamp}. */
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        offline.ensureOnline();
        LocalLog.EndOffset end = local.end();
        long start = logStartOffset();
        try {
            return local.segments().offsetForTimestamp(timestamp, start, end.segment(), end.position());
        } catch (IOException e) {
            throw offline.goOffline("search by timestamp " + timestamp, e);
        }
    }

    /** The record with the largest timestamp (the first of them when several share it), if any. */
    public Optional<TimestampOffset> maxTimestamp() {
        long newest = local.segments().maxTimestampFrom(logStartOffset());
        return newest < 0 ? Optional.empty() : offsetForTimestamp(newest);
    }

    /**
     * Calls {@code visitor} with the header of every batch from the one holding {@code fromOffset}
     * to the log end, in order.
     */
    public void scanBatches(long fromOffset, Consumer<StoredBatch> visitor) {
        LocalLog.EndOffset end = local.end();
        try {
            local.segments().scanBatches(Math.max(fromOffset, logStartOffset()), fromOffset, end.segment(),
                    end.position(), visitor);
        } catch (IOException e) {
            throw offline.goOffline("scan batches from offset " + fromOffset, e);
        }
    }

    // ---------------------------------------------------------------- transactions

    /**
     * The first offset of the oldest open transaction, {@link Long#MAX_VALUE} when none is open: the
     * cleaner leaves everything from there alone. The partition's producer state publishes it.
     */
    public long firstUnstableOffset() {
        return transactions.firstUnstableOffset();
    }

    public void updateFirstUnstableOffset(long offset) {
        transactions.updateFirstUnstableOffset(offset);
    }

    /**
     * Records an aborted transaction whose ABORT marker was just appended, in the index of the
     * segment holding the marker (the active one), so that read_committed fetches skip its data.
     */
    public void appendAbortedTxn(AbortedTxn txn) {
        transactions.appendAbortedTxn(txn);
    }

    /**
     * The aborted transactions with data in {@code startOffset} (inclusive) to {@code upperBoundOffset}
     * (exclusive), oldest marker first: what a read_committed consumer must drop from a fetch.
     */
    public List<AbortedTxn> collectAbortedTransactions(long startOffset, long upperBoundOffset) {
        return transactions.collectAbortedTransactions(startOffset, upperBoundOffset);
    }

    // ---------------------------------------------------------------- offsets

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return local.dir();
    }

    public LogConfig config() {
        return local.config();
    }

    /** Applies changed topic configs; they take effect from the next append, roll or retention pass. */
    public void updateConfig(LogConfig newConfig) {
        local.updateConfig(newConfig);
    }

    public long logStartOffset() {
        return retention.logStartOffset();
    }

    public long logEndOffset() {
        return local.logEndOffset();
    }

    public long highWatermark() {
        return highWatermark;
    }

    public long recoveryPoint() {
        return flusher.recoveryPoint();
    }

    /** Bytes of all segments. */
    public long sizeInBytes() {
        return local.segments().sizeInBytes();
    }

    public int segmentCount() {
        return local.segments().count();
    }

    /** The base offsets of the segments, oldest first. */
    public List<Long> segmentBaseOffsets() {
        return local.segments().baseOffsets();
    }

    /** Sets the high watermark, kept within [log start offset, log end offset]. */
    public void updateHighWatermark(long offset) {
        appendLock.lock();
        try {
            highWatermark = Math.min(Math.max(offset, logStartOffset()), local.logEndOffset());
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Records that {@code epoch} starts at the log end, as a new leader does when it takes over, so
     * that OffsetForLeaderEpoch knows the epoch before its first append.
     */
    public void assignEpochStartOffset(int epoch) {
        appendLock.lock();
        try {
            epochCache.assign(epoch, local.logEndOffset());
        } catch (IOException e) {
            throw offline.goOffline("record leader epoch " + epoch, e);
        } finally {
            appendLock.unlock();
        }
    }

    /** The latest leader epoch that wrote to this log, or -1. */
    public int latestEpoch() {
        return epochCache.latest().map(LeaderEpochCache.EpochEntry::epoch).orElse(-1);
    }

    /** The largest epoch at most {@code epoch} and the offset where it ended, for OffsetForLeaderEpoch. */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        return epochCache.endOffsetFor(epoch, local.logEndOffset());
    }

    /**
     * Moves the log start offset forward (DeleteRecords): records before it are no longer readable,
     * and segments wholly before it are deleted.
     *
     * @throws OffsetOutOfRangeException when {@code offset} is past the high watermark
     */
    public void advanceLogStartOffset(long offset) {
        appendLock.lock();
        try {
            offline.ensureOnline();
            if (offset > highWatermark) {
                throw new OffsetOutOfRangeException(topicPartition.toString(), offset, logStartOffset(), highWatermark);
            }
            retention.advanceTo(offset);
        } catch (IOException e) {
            throw offline.goOffline("move the log start offset to " + offset, e);
        } finally {
            appendLock.unlock();
        }
        retention.deleteSegmentsBeforeStart(offset);
    }

    /**
     * Removes every record at or past {@code offset}, as a follower does when its log diverged from
     * the leader's. The containing batch goes whole.
     */
    public void truncateTo(long offset) {
        appendLock.lock();
        try {
            offline.ensureOnline();
            if (offset >= local.logEndOffset()) {
                return;
            }
            cleanerView.truncationStarted();
            cleanerView.truncatedTo(offset);
            LocalLog.Truncation truncation = local.truncateTo(offset);
            if (truncation.emptied()) {
                retention.restartAt(offset);
            }
            long nextOffset = truncation.nextOffset();
            local.publishEnd(nextOffset, truncation.active());
            highWatermark = Math.min(highWatermark, nextOffset);
            flusher.truncatedTo(nextOffset);
            epochCache.truncateFromEnd(nextOffset);
            local.deleteFilesLater(truncation.removed());
        } catch (IOException e) {
            throw offline.goOffline("truncate to " + offset, e);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Empties the log and starts it again at {@code offset}, as a follower does whose log ends
     * before the leader's starts (retention or DeleteRecords removed what it would fetch next).
     */
    public void truncateFullyAndStartAt(long offset) {
        appendLock.lock();
        try {
            offline.ensureOnline();
            cleanerView.truncationStarted();
            LocalLog.Truncation truncation = local.removeAllAndStartAt(offset);
            retention.restartAt(offset);
            cleanerView.restartedAt(offset);
            local.publishEnd(offset, truncation.active());
            highWatermark = offset;
            flusher.restartedAt(offset);
            epochCache.truncateFromEnd(Long.MIN_VALUE);
            log.info("{}: emptied, restarting at offset {}", topicPartition, offset);
            local.deleteFilesLater(truncation.removed());
        } catch (IOException e) {
            throw offline.goOffline("restart at offset " + offset, e);
        } finally {
            appendLock.unlock();
        }
    }

    // ---------------------------------------------------------------- retention

    /**
     * Deletes closed segments that retention no longer keeps: older than {@code retention.ms}, beyond
     * {@code retention.bytes} (both only when {@code cleanup.policy} holds delete), or wholly before
     * the log start offset. Only segments below the high watermark are candidates, and never the
     * active segment.
     *
     * @return the number of segments deleted
     */
    public int applyRetention() {
        return retention.apply();
    }

    // ---------------------------------------------------------------- compaction, flushing and shutdown

    /** The log as the {@link LogCleaner} reads and changes it. */
    CleanerView cleanerView() {
        return cleanerView;
    }

    /** Forces everything appended so far to disk and moves the recovery point to the log end. */
    public void flush() {
        flusher.flush();
    }

    /** Who is told how long each flush took; {@link FlushListener#NONE} by default. */
    public void flushListener(FlushListener listener) {
        flusher.flushListener(listener);
    }

    /** Flushes when {@code flush.ms} has passed since the last flush and there is something to flush. */
    public void maybeFlushByTime() {
        flusher.maybeFlushByTime();
    }

    /** Writes the partition checkpoint when one of its offsets changed since the last write. */
    public void checkpoint() {
        flusher.checkpoint(logStartOffset(), highWatermark);
    }

    public boolean isOffline() {
        return offline.isOffline();
    }

    /** Tells {@code listener}, once, when this log goes offline (on the failing thread; it must not throw). */
    void offlineListener(Consumer<LogOfflineException> listener) {
        offline.listener(listener);
    }

    /** Flushes, checkpoints and closes the files: the next start needs no recovery. */
    @Override
    public void close() throws IOException {
        appendLock.lock();
        try {
            if (!offline.isOffline()) {
                flush();
                checkpoint();
            }
        } finally {
            appendLock.unlock();
            local.closeSegmentsQuietly();
        }
    }

    /**
     * Lets go of the files as a killed process would: nothing flushed, trimmed or checkpointed.
     * For tests of recovery.
     */
    void abandon() {
        local.abandon();
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", " + logStartOffset() + ".." + local.logEndOffset() + ")";
    }
}
