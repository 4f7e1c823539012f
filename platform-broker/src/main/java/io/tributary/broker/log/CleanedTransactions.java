package io.tributary.broker.log;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.record.RecordBatch;

/**
 * Which transaction markers a cleaning may remove, after Kafka's {@code CleanedTransactionMetadata}:
 * a marker may go once no batch of its transaction is left before it in the log. The cleaner shows
 * it every batch it rewrites, in offset order from the log start; a marker is removable when no
 * transactional data batch of its producer came since that producer's previous marker.
 *
 * <p>The test is on the batches read, not on those written: a transaction whose last records are
 * removed by this cleaning keeps its marker until the next one, which no longer finds them. So a
 * marker never goes before its data is gone from the disk, whatever a crash leaves half swapped,
 * and a rebuild of the producers' state from the log never finds data without the marker that
 * ends its transaction (which would leave the transaction open and the last stable offset stuck).
 *
 * <p>One instance per cleaning: every cleaning reads the log from its start.
 */
final class CleanedTransactions {

    /** Producers with data batches read since their last marker: their next marker stays. */
    private final Set<Long> producersWithData = new HashSet<>();

    /** Notes a data batch read. */
    void onDataBatch(RecordBatch batch) {
        if (batch.isTransactional()) {
            producersWithData.add(batch.producerId());
        }
    }

    /**
     * Notes a control batch read; true when no batch of its transaction was read before it, so it
     * ends a transaction with nothing left in the log.
     */
    boolean onMarker(RecordBatch marker) {
        Integer count = marker.countOrNull();
        if (count != null && count == 0) {
            return true; // emptied by an earlier cleaning: it ends nothing any more
        }
        return !producersWithData.remove(marker.producerId());
    }
}
