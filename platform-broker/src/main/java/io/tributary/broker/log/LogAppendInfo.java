package io.tributary.broker.log;

import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;

/**
 * The validated batches of one append as the log is about to write them, after Kafka's
 * {@code LogAppendInfo}.
 *
 * @param firstOffset          the first batch's base offset
 * @param lastOffset           the last batch's last offset
 * @param maxTimestamp         the largest batch timestamp, or {@link RecordBatch#NO_TIMESTAMP}
 * @param offsetOfMaxTimestamp the offset that carries it
 * @param recordCount          the records appended
 */
record LogAppendInfo(long firstOffset, long lastOffset, long maxTimestamp, long offsetOfMaxTimestamp, int recordCount) {

    /**
     * Assigns a leader's offsets in place, as Kafka's {@code LogValidator} does for batches it need not
     * rebuild: consecutive offsets from {@code firstOffset}, the leader epoch, and with LogAppendTime the
     * broker's time {@code now} as each batch's timestamp. Holds the append lock.
     */
    static LogAppendInfo assignOffsets(ByteBuffer buffer, List<BatchHeader> headers, long firstOffset, int leaderEpoch,
            boolean logAppendTime, long now) {
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
        return new LogAppendInfo(firstOffset, nextOffset - 1, maxTimestamp, offsetOfMaxTimestamp,
                (int) (nextOffset - firstOffset));
    }

    /** The batches a follower replicates, with the leader's offsets and timestamps as they are. */
    static LogAppendInfo ofReplicated(List<BatchHeader> headers) {
        long firstOffset = headers.get(0).baseOffset();
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
        return new LogAppendInfo(firstOffset, headers.get(headers.size() - 1).lastOffset(), maxTimestamp,
                offsetOfMaxTimestamp, recordCount);
    }

    /** The offset after the last batch. */
    long nextOffset() {
        return lastOffset + 1;
    }
}
