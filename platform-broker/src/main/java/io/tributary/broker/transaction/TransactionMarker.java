package io.tributary.broker.transaction;

import org.apache.kafka.common.requests.TransactionResult;

/**
 * A commit or abort marker of one transaction, as WriteTxnMarkers carries it.
 *
 * @param coordinatorEpoch the leader epoch of the coordinator's {@code __transaction_state} partition,
 *                         so that a partition refuses markers of a coordinator that has been replaced
 */
public record TransactionMarker(long producerId, short producerEpoch, int coordinatorEpoch, TransactionResult result) {
}
