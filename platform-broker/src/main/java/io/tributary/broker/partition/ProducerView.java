package io.tributary.broker.partition;

/**
 * One producer of a partition as DescribeProducers shows it.
 *
 * @param lastSequence          the sequence of its last batch, -1 when none is kept
 * @param coordinatorEpoch      the coordinator epoch of its last transaction marker, -1 when none
 * @param currentTxnStartOffset the first offset of its ongoing transaction, -1 without one
 */
public record ProducerView(long producerId, short epoch, int lastSequence, long lastTimestamp, int coordinatorEpoch,
        long currentTxnStartOffset) {
}
