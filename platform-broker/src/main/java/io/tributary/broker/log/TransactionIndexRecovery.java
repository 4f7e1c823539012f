package io.tributary.broker.log;

import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.record.ControlRecordType;

/**
 * Rebuilds the transaction indexes of segments whose tail recovery rescanned: which transactions
 * were open at an ABORT marker depends on everything before it, so the batches are replayed from
 * the first segment on (headers only, and the markers), tracking each producer's open transaction,
 * and the aborted ones are written to the index of the segment holding their marker. This runs
 * only after an unclean shutdown or with index files missing.
 */
final class TransactionIndexRecovery {

    private final Map<Long, Long> openByProducer = new HashMap<>();
    private final TreeMap<Long, Long> openByFirstOffset = new TreeMap<>();

    private TransactionIndexRecovery() {
    }

    static void rebuild(Collection<LogSegment> segments, Set<LogSegment> toRebuild) throws IOException {
        if (toRebuild.isEmpty()) {
            return;
        }
        TransactionIndexRecovery recovery = new TransactionIndexRecovery();
        for (LogSegment segment : segments) {
            boolean rebuilding = toRebuild.contains(segment);
            if (rebuilding) {
                segment.txnIndex().reset();
            }
            IOException[] failure = new IOException[1];
            segment.scanBatches(segment.baseOffset(), segment.size(), batch -> {
                if (failure[0] == null) {
                    try {
                        recovery.apply(segment, batch, rebuilding);
                    } catch (IOException e) {
                        failure[0] = e;
                    }
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        }
    }

    private void apply(LogSegment segment, StoredBatch batch, boolean rebuilding) throws IOException {
        if (!batch.transactional()) {
            return;
        }
        if (!batch.control()) {
            if (!openByProducer.containsKey(batch.producerId())) {
                openByProducer.put(batch.producerId(), batch.baseOffset());
                openByFirstOffset.put(batch.baseOffset(), batch.producerId());
            }
            return;
        }
        if (batch.marker() == null) {
            return;
        }
        Long firstOffset = openByProducer.remove(batch.producerId());
        if (firstOffset == null) {
            return;
        }
        openByFirstOffset.remove(firstOffset);
        if (rebuilding && batch.marker().controlType() == ControlRecordType.ABORT) {
            long lastStable = openByFirstOffset.isEmpty() ? batch.baseOffset() + 1 : openByFirstOffset.firstKey();
            segment.txnIndex().append(new AbortedTxn(batch.producerId(), firstOffset, batch.baseOffset(), lastStable));
        }
    }
}
