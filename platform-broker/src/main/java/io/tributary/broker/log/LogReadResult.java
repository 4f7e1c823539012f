package io.tributary.broker.log;

/**
 * The batches a read found, with the log's bounds at the time of the read.
 *
 * @param slice          whole batches, possibly none
 * @param logStartOffset the first readable offset
 * @param highWatermark  the last committed offset plus one
 * @param logEndOffset   the next offset to be assigned
 */
public record LogReadResult(LogSlice slice, long logStartOffset, long highWatermark, long logEndOffset) {
}
