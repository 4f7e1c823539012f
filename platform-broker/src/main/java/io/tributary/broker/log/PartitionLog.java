package io.tributary.broker.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
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
 * to swap a cleaned segment in ({@link #replaceSegments}).
 */
public final class PartitionLog implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);

    /** The published end of the log: readers see batches up to {@code position} of {@code segment}. */
    private record EndOffset(long offset, LogSegment segment, int position) {
    }

    private final TopicPartition topicPartition;
    private final Path dir;
    private final Clock clock;
    private final FileChannelFactory channels;
    private final LogBackgroundTasks background;
    private final LogSegments segments;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final LeaderEpochCache epochCache;
    private volatile LogConfig config;
    private volatile EndOffset end;
    private volatile long logStartOffset;
    private volatile long highWatermark;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private volatile LogOfflineException offline;
    /** The cleaner's checkpoint: offsets below it were cleaned at least once. */
    private volatile long firstDirtyOffset;
    /** Written by the partition under its lock, read by the cleaner. */
    private volatile long firstUnstableOffset = Long.MAX_VALUE;
    /** Counts truncations, which invalidate a cleaning under way (written under the append lock). */
    private volatile long truncations;
    private long unflushedMessages;
    private volatile FlushListener flushListener = FlushListener.NONE;
    /** Told once, when the log goes offline; set by the {@link LogManager} that owns the log. */
    private volatile Consumer<LogOfflineException> offlineListener = failure -> { };
    private PartitionCheckpoint lastCheckpoint;

    private PartitionLog(TopicPartition topicPartition, Path dir, LogConfig config, Clock clock,
            FileChannelFactory channels, ScheduledExecutorService scheduler, LeaderEpochCache epochCache,
            LogLoader.LoadedLog loaded) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.channels = channels;
        this.background = new LogBackgroundTasks(topicPartition, scheduler);
        this.epochCache = epochCache;
        this.lastFlushMs = clock.millis();
        this.segments = loaded.segments();
        LogSegment active = segments.last();
        this.end = new EndOffset(loaded.logEndOffset(), active, active.size());
        this.logStartOffset = loaded.logStartOffset();
        this.recoveryPoint = loaded.recoveryPoint();
        this.highWatermark = loaded.highWatermark();
        this.firstDirtyOffset = loaded.firstDirtyOffset();
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
            partitionLog.closeSegmentsQuietly();
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
        ByteBuffer buffer = records.buffer();
        LogConfig config = this.config;
        List<BatchHeader> headers = BatchValidator.validateForAppend(buffer, config.maxMessageBytes());
        if (config.compact()) {
            BatchValidator.requireKeys(buffer, headers, topicPartition);
        }
        appendLock.lock();
        try {
            ensureOnline();
            int admitted = buffer.position();
            for (BatchHeader header : headers) {
                admission.accept(BatchValidator.batchAt(buffer, admitted, header.sizeInBytes()));
                admitted += header.sizeInBytes();
            }
            long now = clock.millis();
            boolean logAppendTime = config.timestampType() == TimestampType.LOG_APPEND_TIME;
            long firstOffset = end.offset();
            long nextOffset = firstOffset;
            long maxTimestamp = RecordBatch.NO_TIMESTAMP;
            long offsetOfMaxTimestamp = firstOffset;
            int position = buffer.position();
            for (BatchHeader header : headers) {
                MutableRecordBatch batch = BatchValidator.batchAt(buffer, position, header.sizeInBytes());
                long lastOffset = nextOffset + header.lastOffsetDelta();
                batch.setLastOffset(lastOffset);
                batch.setPartitionLeaderEpoch(leaderEpoch);
                long batchMaxTimestamp = header.maxTimestamp();
                if (logAppendTime) {
                    batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, now);
                    batchMaxTimestamp = now;
                }
                if (batchMaxTimestamp > maxTimestamp) {
                    maxTimestamp = batchMaxTimestamp;
                    offsetOfMaxTimestamp = logAppendTime ? firstOffset : lastOffset;
                }
                nextOffset = lastOffset + 1;
                position += header.sizeInBytes();
            }
            long lastOffset = nextOffset - 1;
            try {
                LogSegment segment = maybeRoll(buffer.remaining(), firstOffset, lastOffset, maxTimestamp, now);
                segment.append(lastOffset, maxTimestamp, offsetOfMaxTimestamp, buffer);
                epochCache.assign(leaderEpoch, firstOffset);
                end = new EndOffset(nextOffset, segment, segment.size());
            } catch (IOException e) {
                throw goOffline("append at offset " + firstOffset, e);
            } catch (InternalError e) {
                // A write to an index's mapped file that faulted, thrown only after LogSegment.append returned.
                throw goOffline("append at offset " + firstOffset, MappedIndex.writeFault(e));
            }
            int recordCount = (int) (nextOffset - firstOffset);
            unflushedMessages += recordCount;
            if (unflushedMessages >= config.flushMessages()) {
                flushUpTo(nextOffset);
            }
            return new AppendResult(firstOffset, lastOffset, logAppendTime ? now : RecordBatch.NO_TIMESTAMP,
                    maxTimestamp, offsetOfMaxTimestamp, logStartOffset, recordCount);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Appends batches a leader wrote, as a follower: their offsets and leader epochs are the
     * leader's and stay as they are. The first batch must start at or past this log's end, and each
     * next one past the last: a compacted leader's log has gaps where the cleaner removed whole
     * batches, and batches that hold fewer records than their offsets span, or none
     * ({@link BatchValidator#validateReplicated}). Each batch's epoch enters the epoch cache, which
     * lets this replica answer OffsetForLeaderEpoch the same way the leader would after it takes over.
     *
     * @return the batches as appended, or null when {@code records} held none
     * @throws InvalidBatchException when a batch is corrupt or does not continue the log
     * @throws LogOfflineException   when the storage failed
     */
    public AppendResult appendAsFollower(MemoryRecords records) {
        ByteBuffer buffer = records.buffer();
        if (!buffer.hasRemaining()) {
            return null;
        }
        List<BatchHeader> headers = BatchValidator.validateReplicated(buffer);
        appendLock.lock();
        try {
            ensureOnline();
            long logEnd = end.offset();
            long firstOffset = headers.get(0).baseOffset();
            if (firstOffset < logEnd) {
                throw new InvalidBatchException(InvalidBatchException.Reason.INVALID, "A replicated batch starts at "
                        + firstOffset + " but " + topicPartition + " ends at " + logEnd);
            }
            long maxTimestamp = RecordBatch.NO_TIMESTAMP;
            long offsetOfMaxTimestamp = firstOffset;
            int recordCount = 0;
            for (BatchHeader header : headers) {
                if (header.maxTimestamp() > maxTimestamp) {
                    maxTimestamp = header.maxTimestamp();
                    offsetOfMaxTimestamp = header.lastOffset();
                }
                recordCount += header.recordCount();
            }
            long lastOffset = headers.get(headers.size() - 1).lastOffset();
            long now = clock.millis();
            try {
                // A segment rolled here starts at the log end, not after the gap, when its index can
                // span both: segments then tile the offsets as on the leader, which the cleaner's
                // grouping and the completion of a crashed swap rely on.
                long rollBase = lastOffset - logEnd <= Integer.MAX_VALUE ? logEnd : firstOffset;
                LogSegment segment = maybeRoll(buffer.remaining(), rollBase, lastOffset, maxTimestamp, now);
                segment.append(lastOffset, maxTimestamp, offsetOfMaxTimestamp, buffer);
                int position = buffer.position();
                for (BatchHeader header : headers) {
                    epochCache.assign(buffer.getInt(position + BatchHeader.PARTITION_LEADER_EPOCH), header.baseOffset());
                    position += header.sizeInBytes();
                }
                end = new EndOffset(lastOffset + 1, segment, segment.size());
            } catch (IOException e) {
                throw goOffline("append replicated batches at offset " + firstOffset, e);
            } catch (InternalError e) {
                // A write to an index's mapped file that faulted, thrown only after LogSegment.append returned.
                throw goOffline("append replicated batches at offset " + firstOffset, MappedIndex.writeFault(e));
            }
            unflushedMessages += recordCount;
            if (unflushedMessages >= config.flushMessages()) {
                flushUpTo(lastOffset + 1);
            }
            return new AppendResult(firstOffset, lastOffset, RecordBatch.NO_TIMESTAMP, maxTimestamp,
                    offsetOfMaxTimestamp, logStartOffset, recordCount);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Rolls to a new segment, based at {@code baseOffset}, when the active one is full, old, or cannot
     * index the offsets. Holds the append lock.
     */
    private LogSegment maybeRoll(int bytes, long baseOffset, long lastOffset, long maxTimestamp, long now)
            throws IOException {
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
        // Kafka's policy: a rolled segment is flushed in the background, which moves the recovery point.
        background.execute(() -> {
            try {
                flushUpTo(baseOffset);
            } catch (LogOfflineException e) {
                // already reported by goOffline
            }
        });
        return next;
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
        ensureOnline();
        EndOffset end = this.end;
        long start = logStartOffset;
        long highWatermark = this.highWatermark;
        if (startOffset < start || startOffset > end.offset()) {
            throw new OffsetOutOfRangeException(topicPartition.toString(), startOffset, start, end.offset());
        }
        long upper = Math.min(maxOffsetExclusive, end.offset());
        if (startOffset >= upper) {
            return new LogReadResult(LogSlice.EMPTY, start, highWatermark, end.offset());
        }
        try {
            LogSlice slice = segments.read(startOffset, maxBytes, upper, upper == end.offset() ? Long.MAX_VALUE : upper,
                    end.segment(), end.position(), minOneBatch);
            return new LogReadResult(slice, start, highWatermark, end.offset());
        } catch (ClosedChannelException e) {
            // Retention removed the segment while we read it: the offset is gone.
            throw new OffsetOutOfRangeException(topicPartition.toString(), startOffset, logStartOffset, end.offset());
        } catch (IOException e) {
            throw goOffline("read at offset " + startOffset, e);
        }
    }

    /** The first record, at or after the log start, whose timestamp is at least {@code timestamp}. */
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        ensureOnline();
        EndOffset end = this.end;
        long start = logStartOffset;
        try {
            return segments.offsetForTimestamp(timestamp, start, end.segment(), end.position());
        } catch (IOException e) {
            throw goOffline("search by timestamp " + timestamp, e);
        }
    }

    /** The record with the largest timestamp (the first of them when several share it), if any. */
    public Optional<TimestampOffset> maxTimestamp() {
        long newest = segments.maxTimestampFrom(logStartOffset);
        return newest < 0 ? Optional.empty() : offsetForTimestamp(newest);
    }

    /**
     * Calls {@code visitor} with the header of every batch from the one holding {@code fromOffset}
     * to the log end, in order.
     */
    public void scanBatches(long fromOffset, Consumer<StoredBatch> visitor) {
        EndOffset end = this.end;
        try {
            segments.scanBatches(Math.max(fromOffset, logStartOffset), fromOffset, end.segment(), end.position(), visitor);
        } catch (IOException e) {
            throw goOffline("scan batches from offset " + fromOffset, e);
        }
    }

    // ---------------------------------------------------------------- transactions

    /**
     * The first offset of the oldest open transaction, {@link Long#MAX_VALUE} when none is open: the
     * cleaner leaves everything from there alone. The partition's producer state publishes it.
     */
    public long firstUnstableOffset() {
        return firstUnstableOffset;
    }

    public void updateFirstUnstableOffset(long offset) {
        firstUnstableOffset = offset < 0 ? Long.MAX_VALUE : offset;
    }

    /**
     * Records an aborted transaction whose ABORT marker was just appended, in the index of the
     * segment holding the marker (the active one), so that read_committed fetches skip its data.
     */
    public void appendAbortedTxn(AbortedTxn txn) {
        appendLock.lock();
        try {
            ensureOnline();
            LogSegment segment = segments.floor(txn.lastOffset());
            if (segment == null) {
                return; // the marker is already gone (the log was trimmed past it)
            }
            segment.txnIndex().append(txn);
        } catch (IOException e) {
            throw goOffline("index the aborted transaction " + txn, e);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * The aborted transactions with data in {@code startOffset} (inclusive) to {@code upperBoundOffset}
     * (exclusive), oldest marker first: what a read_committed consumer must drop from a fetch.
     */
    public List<AbortedTxn> collectAbortedTransactions(long startOffset, long upperBoundOffset) {
        List<AbortedTxn> aborted = new ArrayList<>();
        // Every later segment too: a transaction with data below the bound may have its marker far beyond it.
        for (LogSegment segment : segments.from(startOffset)) {
            segment.txnIndex().collect(startOffset, upperBoundOffset, aborted);
        }
        return aborted;
    }

    // ---------------------------------------------------------------- offsets

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies changed topic configs; they take effect from the next append, roll or retention pass. */
    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return end.offset();
    }

    public long highWatermark() {
        return highWatermark;
    }

    public long recoveryPoint() {
        return recoveryPoint;
    }

    /** Bytes of all segments. */
    public long sizeInBytes() {
        return segments.sizeInBytes();
    }

    public int segmentCount() {
        return segments.count();
    }

    /** The base offsets of the segments, oldest first. */
    public List<Long> segmentBaseOffsets() {
        return segments.baseOffsets();
    }

    /** Sets the high watermark, kept within [log start offset, log end offset]. */
    public void updateHighWatermark(long offset) {
        appendLock.lock();
        try {
            highWatermark = Math.min(Math.max(offset, logStartOffset), end.offset());
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
            epochCache.assign(epoch, end.offset());
        } catch (IOException e) {
            throw goOffline("record leader epoch " + epoch, e);
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
        return epochCache.endOffsetFor(epoch, end.offset());
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
            ensureOnline();
            if (offset > highWatermark) {
                throw new OffsetOutOfRangeException(topicPartition.toString(), offset, logStartOffset, highWatermark);
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                epochCache.truncateFromStart(offset);
            }
        } catch (IOException e) {
            throw goOffline("move the log start offset to " + offset, e);
        } finally {
            appendLock.unlock();
        }
        deleteSegments(List.of(), "they are before the log start offset " + offset);
    }

    /**
     * Removes every record at or past {@code offset}, as a follower does when its log diverged from
     * the leader's. The containing batch goes whole.
     */
    public void truncateTo(long offset) {
        appendLock.lock();
        try {
            ensureOnline();
            if (offset >= end.offset()) {
                return;
            }
            truncations++;
            firstDirtyOffset = Math.min(firstDirtyOffset, offset);
            List<LogSegment> removed = segments.removeFrom(offset);
            LogSegment active;
            long nextOffset;
            if (segments.isEmpty()) {
                active = LogSegment.create(dir, offset, config, channels, clock.millis());
                segments.add(active);
                logStartOffset = offset;
                nextOffset = offset;
            } else {
                active = segments.last();
                int removedBytes = active.truncateTo(offset);
                active.onBecomeActive();
                nextOffset = Math.max(active.baseOffset(), active.readLastOffset() + 1);
                log.info("{}: truncated to offset {}, removing {} bytes and {} segments", topicPartition, offset,
                        removedBytes, removed.size());
            }
            end = new EndOffset(nextOffset, active, active.size());
            highWatermark = Math.min(highWatermark, nextOffset);
            recoveryPoint = Math.min(recoveryPoint, nextOffset);
            epochCache.truncateFromEnd(nextOffset);
            for (LogSegment segment : removed) {
                background.deleteFilesLater(segment, config.fileDeleteDelayMs());
            }
        } catch (IOException e) {
            throw goOffline("truncate to " + offset, e);
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
            ensureOnline();
            truncations++;
            List<LogSegment> removed = segments.removeFrom(Long.MIN_VALUE);
            LogSegment active = LogSegment.create(dir, offset, config, channels, clock.millis());
            segments.add(active);
            logStartOffset = offset;
            firstDirtyOffset = offset;
            end = new EndOffset(offset, active, 0);
            highWatermark = offset;
            recoveryPoint = offset;
            epochCache.truncateFromEnd(Long.MIN_VALUE);
            log.info("{}: emptied, restarting at offset {}", topicPartition, offset);
            for (LogSegment segment : removed) {
                background.deleteFilesLater(segment, config.fileDeleteDelayMs());
            }
        } catch (IOException e) {
            throw goOffline("restart at offset " + offset, e);
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
        if (offline != null) {
            return 0;
        }
        List<LogSegment> closed = deletionCandidates();
        RetentionPolicy.Selection selection;
        try {
            selection = RetentionPolicy.select(closed, config, clock.millis(), sizeInBytes());
        } catch (IOException e) {
            throw goOffline("check retention", e);
        }
        return deleteSegments(closed.subList(0, selection.count()), selection.reason());
    }

    /** Closed segments whose offsets all lie below the high watermark, oldest first. */
    private List<LogSegment> deletionCandidates() {
        List<LogSegment> candidates = new ArrayList<>();
        LogSegment active = end.segment();
        for (LogSegment segment : segments.all()) {
            Long nextBase = segments.nextBaseOffset(segment);
            if (segment == active || nextBase == null || nextBase > highWatermark) {
                break;
            }
            candidates.add(segment);
        }
        return candidates;
    }

    /** Deletes {@code chosen} plus any segment wholly before the log start offset. */
    private int deleteSegments(List<LogSegment> chosen, String reason) {
        List<LogSegment> deleted = new ArrayList<>();
        appendLock.lock();
        try {
            for (LogSegment segment : deletionCandidates()) {
                Long nextBase = segments.nextBaseOffset(segment);
                boolean beforeStart = nextBase != null && nextBase <= logStartOffset;
                if (!chosen.contains(segment) && !beforeStart) {
                    break;
                }
                segments.remove(segment);
                deleted.add(segment);
            }
            if (deleted.isEmpty()) {
                return 0;
            }
            logStartOffset = Math.max(logStartOffset, segments.firstBaseOffset());
            epochCache.truncateFromStart(logStartOffset);
            for (LogSegment segment : deleted) {
                segment.markForDeletion();
                background.deleteFilesLater(segment, config.fileDeleteDelayMs());
            }
        } catch (IOException e) {
            throw goOffline("delete segments", e);
        } finally {
            appendLock.unlock();
        }
        log.info("{}: deleted {} segment(s) {} because {}; log start offset is now {}", topicPartition, deleted.size(),
                deleted.stream().map(LogSegment::baseOffset).toList(), reason, logStartOffset);
        return deleted.size();
    }

    // ---------------------------------------------------------------- compaction, for the LogCleaner

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
        new CleanerCheckpoint(offset).write(dir);
    }

    /** How many truncations the log went through: a cleaning that saw a truncation happen swaps nothing in. */
    long truncations() {
        return truncations;
    }

    /** The closed segments whose offsets all lie below the high watermark, oldest first: what may be cleaned. */
    List<LogSegment> closedSegmentsBelowHighWatermark() {
        return deletionCandidates();
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
            if (offline != null || truncations != truncationsSeen) {
                return false;
            }
            for (LogSegment old : replaced) {
                if (segments.get(old.baseOffset()) != old || old == end.segment()) {
                    return false;
                }
            }
            segments.swapIn(cleaned, replaced, dir);
        } catch (IOException e) {
            throw goOffline("swap in the cleaned segment " + cleaned.baseOffset(), e);
        } finally {
            appendLock.unlock();
        }
        for (LogSegment old : replaced) {
            background.deleteFilesLater(old, config.fileDeleteDelayMs());
        }
        return true;
    }

    // ---------------------------------------------------------------- flushing and checkpoints

    /** Forces everything appended so far to disk and moves the recovery point to the log end. */
    public void flush() {
        flushUpTo(end.offset());
    }

    /** Who is told how long each flush took; {@link FlushListener#NONE} by default. */
    public void flushListener(FlushListener listener) {
        this.flushListener = listener == null ? FlushListener.NONE : listener;
    }

    /** Flushes when {@code flush.ms} has passed since the last flush and there is something to flush. */
    public void maybeFlushByTime() {
        if (offline == null && end.offset() > recoveryPoint && clock.millis() - lastFlushMs >= config.flushMs()) {
            flush();
        }
    }

    private void flushUpTo(long offset) {
        long from = recoveryPoint;
        if (offset <= from) {
            return;
        }
        long started = System.nanoTime();
        try {
            segments.flush(from, offset);
            flushListener.onFlush(System.nanoTime() - started);
        } catch (ClosedChannelException e) {
            return; // the segment went away: truncated, deleted or closed; nothing left to flush
        } catch (IOException e) {
            throw goOffline("flush up to offset " + offset, e);
        }
        appendLock.lock();
        try {
            if (offset > recoveryPoint) {
                recoveryPoint = Math.min(offset, end.offset());
            }
            if (recoveryPoint >= end.offset()) {
                unflushedMessages = 0;
            }
            lastFlushMs = clock.millis();
        } finally {
            appendLock.unlock();
        }
    }

    /** Writes the partition checkpoint when one of its offsets changed since the last write. */
    public void checkpoint() {
        PartitionCheckpoint current = new PartitionCheckpoint(logStartOffset, highWatermark, recoveryPoint);
        if (current.equals(lastCheckpoint) || offline != null) {
            return;
        }
        try {
            current.write(dir);
            lastCheckpoint = current;
        } catch (IOException e) {
            throw goOffline("write the partition checkpoint", e);
        }
    }

    // ---------------------------------------------------------------- failure and shutdown

    public boolean isOffline() {
        return offline != null;
    }

    private void ensureOnline() {
        LogOfflineException failure = offline;
        if (failure != null) {
            throw new LogOfflineException(failure.getMessage(), failure.getCause());
        }
    }

    /** Tells {@code listener}, once, when this log goes offline (on the failing thread; it must not throw). */
    void offlineListener(Consumer<LogOfflineException> listener) {
        this.offlineListener = listener;
    }

    /**
     * The one place a partition log goes offline: every I/O error of its storage ends here. The first
     * one is kept (later calls fail with it), logged, and told to the {@link #offlineListener}.
     */
    private LogOfflineException goOffline(String action, IOException cause) {
        LogOfflineException failure = new LogOfflineException(
                "Partition " + topicPartition + " is offline: could not " + action + ": " + cause, cause);
        boolean first;
        synchronized (this) {
            first = offline == null;
            if (first) {
                offline = failure;
            }
        }
        if (first) {
            log.error("{}: storage failed, taking the partition offline until restart", topicPartition, cause);
            offlineListener.accept(failure);
        }
        return failure;
    }

    /** Flushes, checkpoints and closes the files: the next start needs no recovery. */
    @Override
    public void close() throws IOException {
        appendLock.lock();
        try {
            if (offline == null) {
                flush();
                checkpoint();
            }
        } finally {
            appendLock.unlock();
            closeSegmentsQuietly();
        }
    }

    /**
     * Lets go of the files as a killed process would: nothing flushed, trimmed or checkpointed.
     * For tests of recovery.
     */
    void abandon() {
        for (LogSegment segment : segments.all()) {
            segment.abandon();
        }
    }

    private void closeSegmentsQuietly() {
        LogLoader.closeQuietly(topicPartition, segments);
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", " + logStartOffset + ".." + end.offset() + ")";
    }
}
