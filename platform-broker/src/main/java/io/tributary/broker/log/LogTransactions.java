package io.tributary.broker.log;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The log's part in transactions: the first unstable offset, which the partition's producer state
 * publishes and the cleaner stops at, and the aborted transactions, indexed in the segment holding
 * each one's ABORT marker ({@link TransactionIndex}), which read_committed fetches skip.
 *
 * <p>Threading: indexing takes the append lock; the rest takes none.
 */
final class LogTransactions {

    private final LogSegments segments;
    private final ReentrantLock appendLock;
    private final OfflineState offline;
    /** Written by the partition under its lock, read by the cleaner. */
    private volatile long firstUnstableOffset = Long.MAX_VALUE;

    LogTransactions(LogSegments segments, ReentrantLock appendLock, OfflineState offline) {
        this.segments = segments;
        this.appendLock = appendLock;
        this.offline = offline;
    }

    long firstUnstableOffset() {
        return firstUnstableOffset;
    }

    /** A negative offset means no transaction is open. */
    void updateFirstUnstableOffset(long offset) {
        firstUnstableOffset = offset < 0 ? Long.MAX_VALUE : offset;
    }

    /** Indexes {@code txn} in the segment holding its marker, unless the log was trimmed past it. */
    void appendAbortedTxn(AbortedTxn txn) {
        appendLock.lock();
        try {
            offline.ensureOnline();
            LogSegment segment = segments.floor(txn.lastOffset());
            if (segment == null) {
                return; // the marker is already gone (the log was trimmed past it)
            }
            segment.txnIndex().append(txn);
        } catch (IOException e) {
            throw offline.goOffline("index the aborted transaction " + txn, e);
        } finally {
            appendLock.unlock();
        }
    }

    /** The aborted transactions with data in {@code startOffset} to {@code upperBoundOffset} (exclusive). */
    List<AbortedTxn> collectAbortedTransactions(long startOffset, long upperBoundOffset) {
        List<AbortedTxn> aborted = new ArrayList<>();
        // Every later segment too: a transaction with data below the bound may have its marker far beyond it.
        for (LogSegment segment : segments.from(startOffset)) {
            segment.txnIndex().collect(startOffset, upperBoundOffset, aborted);
        }
        return aborted;
    }
}
