package io.tributary.broker.transaction;

/**
 * One transactional id as a coordinator shard holds it: the latest replayed {@link TransactionSnapshot}
 * plus what is in memory only — the step being written ({@link #pendingState}, which makes concurrent
 * requests wait with CONCURRENT_TRANSACTIONS as Kafka does) and whether markers are being written.
 *
 * <p>Guarded by its own monitor: every read-decide-write of the coordinator holds it while deciding,
 * and the replay of a record takes it to apply the snapshot.
 */
final class TransactionMetadata {

    final String transactionalId;
    private TransactionSnapshot current;
    /** The offset of the record replayed last, so that an older one replayed late is ignored; -1 before any. */
    private long offset = -1;
    private TransactionState pendingState;
    private boolean completing;

    TransactionMetadata(String transactionalId, TransactionSnapshot current) {
        this.transactionalId = transactionalId;
        this.current = current;
    }

    synchronized TransactionSnapshot current() {
        return current;
    }

    synchronized TransactionState pendingState() {
        return pendingState;
    }

    synchronized boolean hasPendingTransition() {
        return pendingState != null;
    }

    /** Marks the step being written; the replay of its record (or the failure of the write) ends it. */
    synchronized void beginTransition(TransactionSnapshot next) {
        if (pendingState != null) {
            throw new IllegalStateException(transactionalId + " is already moving to " + pendingState);
        }
        pendingState = next.state();
    }

    /** The write of the pending step failed: nothing changed. */
    synchronized void abandonTransition() {
        pendingState = null;
    }

    /** Applies a replayed record; returns false for one older than what is applied. */
    synchronized boolean replay(TransactionSnapshot snapshot, long recordOffset) {
        if (recordOffset < offset) {
            return false;
        }
        offset = recordOffset;
        current = snapshot;
        pendingState = null;
        return true;
    }

    synchronized long offset() {
        return offset;
    }

    /** Claims the writing of markers and the completion record; false if someone already does. */
    synchronized boolean claimCompletion() {
        if (completing || !current.state().isPrepare()) {
            return false;
        }
        completing = true;
        return true;
    }

    synchronized void releaseCompletion() {
        completing = false;
    }

    @Override
    public synchronized String toString() {
        return transactionalId + " " + current.state().kafkaName() + " (producer " + current.producerId() + ", epoch "
                + current.producerEpoch() + ")";
    }
}
