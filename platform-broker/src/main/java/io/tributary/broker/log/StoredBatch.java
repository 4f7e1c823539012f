package io.tributary.broker.log;

/**
 * The header fields of a stored batch that the layers above the log rebuild state from (the
 * idempotent producers' sequences), read without decoding records.
 */
public record StoredBatch(long baseOffset, long lastOffset, long producerId, short producerEpoch, int baseSequence,
        long maxTimestamp) {

    /** The sequence number of the batch's last record, wrapping as Kafka's sequences do. */
    public int lastSequence() {
        long last = (long) baseSequence + (lastOffset - baseOffset);
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }
}
