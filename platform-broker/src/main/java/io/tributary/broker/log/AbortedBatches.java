package io.tributary.broker.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The aborted transactions of a log as the cleaner needs them: which data batches belong to one, so
 * that their records neither enter the offset map (an aborted value must never win over a committed
 * one) nor survive a cleaning. Markers are not data: {@link CleanedTransactions} decides on them.
 */
final class AbortedBatches {

    private final Map<Long, List<AbortedTxn>> byProducer = new HashMap<>();

    AbortedBatches(List<AbortedTxn> aborted) {
        for (AbortedTxn txn : aborted) {
            byProducer.computeIfAbsent(txn.producerId(), id -> new ArrayList<>()).add(txn);
        }
    }

    boolean contains(RecordBatch batch) {
        if (!batch.isTransactional() || batch.isControlBatch()) {
            return false;
        }
        List<AbortedTxn> txns = byProducer.get(batch.producerId());
        if (txns == null) {
            return false;
        }
        for (AbortedTxn txn : txns) {
            if (batch.baseOffset() >= txn.firstOffset() && batch.lastOffset() <= txn.lastOffset()) {
                return true;
            }
        }
        return false;
    }
}
