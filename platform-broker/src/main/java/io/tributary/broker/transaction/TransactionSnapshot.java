package io.tributary.broker.transaction;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.Comparator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.RecordBatch;

/**
 * What {@code __transaction_state} holds for one transactional id (Kafka's {@code TxnTransitMetadata}):
 * immutable, written as one record, and taking effect only when that record is replayed. The
 * {@code prepare…} methods compute the next snapshot of each step of the protocol, after checking the
 * step against {@link TransactionState}.
 *
 * @param lastProducerId    the producer id before the last rotation (so that a retried InitProducerId
 *                          after an exhausted epoch is recognised), or -1
 * @param lastProducerEpoch the epoch before the last bump (so that a retried bump is recognised), or -1
 * @param startTimestamp    when the ongoing transaction began, or -1
 */
public record TransactionSnapshot(long producerId, long lastProducerId, short producerEpoch, short lastProducerEpoch,
        int timeoutMs, TransactionState state, Set<TopicPartition> partitions, long startTimestamp,
        long lastUpdateTimestamp) {

    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    public TransactionSnapshot {
        TreeSet<TopicPartition> sorted = new TreeSet<>(ORDER);
        sorted.addAll(partitions);
        partitions = Collections.unmodifiableSet(sorted);
    }

    /** A new transactional id: its producer id, no epoch yet (the first InitProducerId makes it 0). */
    static TransactionSnapshot fresh(long producerId, int timeoutMs, long now) {
        return new TransactionSnapshot(producerId, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_PRODUCER_EPOCH, timeoutMs, TransactionState.EMPTY, Set.of(), -1, now);
    }

    /** An epoch this close to the end cannot be bumped twice more (fence, then the retry): Kafka's rule. */
    static boolean isEpochExhausted(short epoch) {
        return epoch >= Short.MAX_VALUE - 1;
    }

    boolean isProducerEpochExhausted() {
        return isEpochExhausted(producerEpoch);
    }

    private TransactionSnapshot to(TransactionState next, long producerId, long lastProducerId, short epoch,
            short lastEpoch, int timeoutMs, Collection<TopicPartition> partitions, long start, long now) {
        state.checkTransitionTo(next);
        return new TransactionSnapshot(producerId, lastProducerId, epoch, lastEpoch, timeoutMs, next, Set.copyOf(partitions),
                start, now);
    }

    /**
     * InitProducerId of an idle transactional id: the epoch bumped (or, for a retry of the bump whose
     * answer was lost, kept), as Kafka's {@code prepareIncrementProducerEpoch}.
     *
     * @param expectedEpoch the epoch the producer says it has (InitProducerId v3+), or null
     * @return null when the producer's epoch is neither the current nor the previous one: it is fenced
     */
    TransactionSnapshot prepareIncrementEpoch(int newTimeoutMs, Short expectedEpoch, long now) {
        short bumped = (short) (producerEpoch + 1);
        short epoch;
        short lastEpoch;
        if (expectedEpoch == null) {
            epoch = bumped;
            lastEpoch = RecordBatch.NO_PRODUCER_EPOCH;
        } else if (producerEpoch == RecordBatch.NO_PRODUCER_EPOCH || expectedEpoch == producerEpoch) {
            epoch = bumped;
            lastEpoch = producerEpoch;
        } else if (expectedEpoch == lastProducerEpoch) {
            epoch = producerEpoch;
            lastEpoch = lastProducerEpoch;
        } else {
            return null;
        }
        return to(TransactionState.EMPTY, producerId, lastProducerId, epoch, lastEpoch, newTimeoutMs, Set.of(), -1, now);
    }

    /** InitProducerId when the epoch is exhausted: a new producer id at epoch 0 (Kafka's {@code prepareProducerIdRotation}). */
    TransactionSnapshot prepareProducerIdRotation(long newProducerId, int newTimeoutMs, boolean recordLastEpoch, long now) {
        return to(TransactionState.EMPTY, newProducerId, producerId, (short) 0,
                recordLastEpoch ? producerEpoch : RecordBatch.NO_PRODUCER_EPOCH, newTimeoutMs, Set.of(), -1, now);
    }

    /**
     * Aborting an ongoing transaction that its producer did not end (a new producer with the same id,
     * or the timeout): the epoch is bumped, so that the markers fence the old producer, and the
     * transaction goes through {@link TransactionState#PREPARE_EPOCH_FENCE} to
     * {@link TransactionState#PREPARE_ABORT}.
     */
    TransactionSnapshot prepareFencingAbort(long now) {
        state.checkTransitionTo(TransactionState.PREPARE_EPOCH_FENCE);
        short bumped = producerEpoch == Short.MAX_VALUE ? producerEpoch : (short) (producerEpoch + 1);
        TransactionSnapshot fenced = new TransactionSnapshot(producerId, lastProducerId, bumped,
                RecordBatch.NO_PRODUCER_EPOCH, timeoutMs, TransactionState.PREPARE_EPOCH_FENCE, partitions,
                startTimestamp, now);
        return fenced.prepareEnd(false, now);
    }

    /** AddPartitionsToTxn: the transaction is ongoing with these partitions too; it starts now if it was idle. */
    TransactionSnapshot prepareAddPartitions(Collection<TopicPartition> added, long now) {
        TreeSet<TopicPartition> all = new TreeSet<>(ORDER);
        all.addAll(partitions);
        all.addAll(added);
        long start = state == TransactionState.ONGOING ? startTimestamp : now;
        return to(TransactionState.ONGOING, producerId, lastProducerId, producerEpoch, lastProducerEpoch, timeoutMs, all,
                start, now);
    }

    /** EndTxn: PrepareCommit or PrepareAbort, with the partitions that get markers. */
    TransactionSnapshot prepareEnd(boolean commit, long now) {
        return to(commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT, producerId, lastProducerId,
                producerEpoch, lastProducerEpoch, timeoutMs, partitions, startTimestamp, now);
    }

    /** Every partition holds the marker: CompleteCommit or CompleteAbort, no partitions left. */
    TransactionSnapshot prepareComplete(long now) {
        TransactionState next = state == TransactionState.PREPARE_COMMIT ? TransactionState.COMPLETE_COMMIT
                : TransactionState.COMPLETE_ABORT;
        return to(next, producerId, lastProducerId, producerEpoch, lastProducerEpoch, timeoutMs, Set.of(), startTimestamp,
                now);
    }

    /** The transactional id expired: its tombstone is about to be written. */
    TransactionSnapshot prepareDead(long now) {
        return to(TransactionState.DEAD, producerId, lastProducerId, producerEpoch, lastProducerEpoch, timeoutMs, Set.of(),
                startTimestamp, now);
    }
}
