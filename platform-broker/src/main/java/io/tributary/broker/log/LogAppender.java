package io.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/**
 * Writes batches at the end of a partition's log, as a leader (offsets assigned here) or as a
 * follower (the leader's offsets kept): validates them, rolls a segment when the active one is full,
 * appends, records each batch's leader epoch, publishes the new end and counts what is left to flush.
 *
 * <p>Threading: one append at a time, under the partition's append lock; validation that needs
 * nothing of the log runs before the lock.
 */
final class LogAppender {

    private final TopicPartition topicPartition;
    private final LocalLog local;
    private final ReentrantLock appendLock;
    private final OfflineState offline;
    private final LeaderEpochCache epochCache;
    private final LogFlusher flusher;
    private final Clock clock;
    private final LongSupplier logStartOffset;

    LogAppender(TopicPartition topicPartition, LocalLog local, ReentrantLock appendLock, OfflineState offline,
            LeaderEpochCache epochCache, LogFlusher flusher, Clock clock, LongSupplier logStartOffset) {
        this.topicPartition = topicPartition;
        this.local = local;
        this.appendLock = appendLock;
        this.offline = offline;
        this.epochCache = epochCache;
        this.flusher = flusher;
        this.clock = clock;
        this.logStartOffset = logStartOffset;
    }

    /**
     * Validates a producer's batches, assigns them the next offsets and the leader epoch in place
     * ({@link LogAppendInfo#assignOffsets}), and appends them all, or none. {@code admission} sees each
     * validated batch under the append lock before anything is written; what it throws refuses the append.
     */
    AppendResult appendAsLeader(MemoryRecords records, int leaderEpoch, Consumer<RecordBatch> admission) {
        ByteBuffer buffer = records.buffer();
        LogConfig config = local.config();
        List<BatchHeader> headers = BatchValidator.validateForAppend(buffer, config.maxMessageBytes());
        if (config.compact()) {
            BatchValidator.requireKeys(buffer, headers, topicPartition);
        }
        appendLock.lock();
        try {
            offline.ensureOnline();
            int admitted = buffer.position();
            for (BatchHeader header : headers) {
                admission.accept(BatchValidator.batchAt(buffer, admitted, header.sizeInBytes()));
                admitted += header.sizeInBytes();
            }
            long now = clock.millis();
            boolean logAppendTime = config.timestampType() == TimestampType.LOG_APPEND_TIME;
            LogAppendInfo info = LogAppendInfo.assignOffsets(buffer, headers, local.logEndOffset(), leaderEpoch,
                    logAppendTime, now);
            try {
                LogSegment segment = maybeRoll(buffer.remaining(), info.firstOffset(), info, now);
                segment.append(info.lastOffset(), info.maxTimestamp(), info.offsetOfMaxTimestamp(), buffer);
                epochCache.assign(leaderEpoch, info.firstOffset());
                local.publishEnd(info.nextOffset(), segment);
            } catch (IOException e) {
                throw offline.goOffline("append at offset " + info.firstOffset(), e);
            } catch (InternalError e) {
                // A write to an index's mapped file that faulted, thrown only after LogSegment.append returned.
                throw offline.goOffline("append at offset " + info.firstOffset(), MappedIndex.writeFault(e));
            }
            flusher.appended(info.recordCount(), info.nextOffset(), config.flushMessages());
            return new AppendResult(info.firstOffset(), info.lastOffset(), logAppendTime ? now : RecordBatch.NO_TIMESTAMP,
                    info.maxTimestamp(), info.offsetOfMaxTimestamp(), logStartOffset.getAsLong(), info.recordCount());
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Appends batches a leader wrote, their offsets and leader epochs as they are. The first batch must
     * start at or past this log's end, and each next one past the last: a compacted leader's log has
     * gaps where the cleaner removed whole batches, and batches that hold fewer records than their
     * offsets span, or none ({@link BatchValidator#validateReplicated}). Each batch's epoch enters the
     * epoch cache, which lets this replica answer OffsetForLeaderEpoch the same way the leader would
     * after it takes over.
     *
     * @return the batches as appended, or null when {@code records} held none
     */
    AppendResult appendAsFollower(MemoryRecords records) {
        ByteBuffer buffer = records.buffer();
        if (!buffer.hasRemaining()) {
            return null;
        }
        List<BatchHeader> headers = BatchValidator.validateReplicated(buffer);
        appendLock.lock();
        try {
            offline.ensureOnline();
            long logEnd = local.logEndOffset();
            long firstOffset = headers.get(0).baseOffset();
            if (firstOffset < logEnd) {
                throw new InvalidBatchException(InvalidBatchException.Reason.INVALID, "A replicated batch starts at "
                        + firstOffset + " but " + topicPartition + " ends at " + logEnd);
            }
            LogAppendInfo info = LogAppendInfo.ofReplicated(headers);
            long now = clock.millis();
            try {
                // A segment rolled here starts at the log end, not after the gap, when its index can
                // span both: segments then tile the offsets as on the leader, which the cleaner's
                // grouping and the completion of a crashed swap rely on.
                long rollBase = info.lastOffset() - logEnd <= Integer.MAX_VALUE ? logEnd : firstOffset;
                LogSegment segment = maybeRoll(buffer.remaining(), rollBase, info, now);
                segment.append(info.lastOffset(), info.maxTimestamp(), info.offsetOfMaxTimestamp(), buffer);
                int position = buffer.position();
                for (BatchHeader header : headers) {
                    epochCache.assign(buffer.getInt(position + BatchHeader.PARTITION_LEADER_EPOCH), header.baseOffset());
                    position += header.sizeInBytes();
                }
                local.publishEnd(info.nextOffset(), segment);
            } catch (IOException e) {
                throw offline.goOffline("append replicated batches at offset " + firstOffset, e);
            } catch (InternalError e) {
                // A write to an index's mapped file that faulted, thrown only after LogSegment.append returned.
                throw offline.goOffline("append replicated batches at offset " + firstOffset, MappedIndex.writeFault(e));
            }
            flusher.appended(info.recordCount(), info.nextOffset(), local.config().flushMessages());
            return new AppendResult(firstOffset, info.lastOffset(), RecordBatch.NO_TIMESTAMP, info.maxTimestamp(),
                    info.offsetOfMaxTimestamp(), logStartOffset.getAsLong(), info.recordCount());
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Rolls to a new segment, based at {@code baseOffset}, when the active one is full, old, or cannot
     * index the offsets ({@link LocalLog#maybeRoll}), and then has the old one flushed in the background.
     */
    private LogSegment maybeRoll(int bytes, long baseOffset, LogAppendInfo info, long now) throws IOException {
        LogSegment active = local.activeSegment();
        LogSegment segment = local.maybeRoll(bytes, baseOffset, info.lastOffset(), info.maxTimestamp(), now);
        if (segment != active) {
            // Kafka's policy: a rolled segment is flushed in the background, which moves the recovery point.
            flusher.flushRolledLater(baseOffset);
        }
        return segment;
    }
}
