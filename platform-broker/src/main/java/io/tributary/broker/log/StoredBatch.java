package io.tributary.broker.log;

import org.apache.kafka.common.record.EndTransactionMarker;

/**
 * The header fields of a stored batch that the layers above the log rebuild state from (the
 * idempotent producers' sequences, the transactions), read without decoding data records.
 *
 * @param transactional whether the batch belongs to a transaction (data or marker)
 * @param control       whether it is a control batch rather than data
 * @param marker        the end-of-transaction marker a control batch holds; null for a data batch
 *                      (and for a control batch compaction emptied)
 */
public record StoredBatch(long baseOffset, long lastOffset, long producerId, short producerEpoch, int baseSequence,
        long maxTimestamp, boolean transactional, boolean control, EndTransactionMarker marker) {

    /** A data batch outside any transaction. */
    public StoredBatch(long baseOffset, long lastOffset, long producerId, short producerEpoch, int baseSequence,
            long maxTimestamp) {
        this(baseOffset, lastOffset, producerId, producerEpoch, baseSequence, maxTimestamp, false, false, null);
    }

    /** The sequence number of the batch's last record, wrapping as Kafka's sequences do. */
    public int lastSequence() {
        long last = (long) baseSequence + (lastOffset - baseOffset);
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }
}
