package io.tributary.broker.share.persister;

/**
 * A range of offsets of a share-partition in one delivery state with one delivery count, as stored.
 *
 * @param deliveryState Kafka's stored record states: {@link #AVAILABLE}, {@link #ACKNOWLEDGED} or {@link #ARCHIVED}
 *                      (records acquired when the state is written are stored as available: a new leader
 *                      hands them out again)
 */
public record ShareStateBatch(long firstOffset, long lastOffset, byte deliveryState, short deliveryCount) {

    public static final byte AVAILABLE = 0;
    public static final byte ACKNOWLEDGED = 2;
    public static final byte ARCHIVED = 4;

    public ShareStateBatch {
        if (lastOffset < firstOffset) {
            throw new IllegalArgumentException("Batch " + firstOffset + ".." + lastOffset + " is empty");
        }
    }
}
