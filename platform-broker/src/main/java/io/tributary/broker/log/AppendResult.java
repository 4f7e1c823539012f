package io.tributary.broker.log;

/**
 * What an append wrote.
 *
 * @param firstOffset          the offset assigned to the first record
 * @param lastOffset           the offset assigned to the last record
 * @param logAppendTime        the broker's timestamp when the topic uses LogAppendTime, else -1
 * @param maxTimestamp         the largest timestamp of the appended records
 * @param offsetOfMaxTimestamp the offset of the batch carrying it
 * @param logStartOffset       the log's start offset after the append
 * @param recordCount          the number of records written
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTime, long maxTimestamp,
        long offsetOfMaxTimestamp, long logStartOffset, int recordCount) {
}
