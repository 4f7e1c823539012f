package io.tributary.broker.transaction;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The states of a transactional id, as Kafka's {@code TransactionState}, and the one place that says
 * which state may follow which. A transaction starts {@link #EMPTY}, becomes {@link #ONGOING} when its
 * first partition is added, {@link #PREPARE_COMMIT} or {@link #PREPARE_ABORT} when the producer ends it
 * (or the coordinator aborts it), and {@link #COMPLETE_COMMIT} or {@link #COMPLETE_ABORT} once every
 * partition holds the marker. {@link #PREPARE_EPOCH_FENCE} is never written: it is the pending step
 * of an ongoing transaction that a new producer (or the timeout) aborts with a bumped epoch.
 * {@link #DEAD} is an expired transactional id, about to become a tombstone.
 */
public enum TransactionState {

    EMPTY((byte) 0, "Empty"),
    ONGOING((byte) 1, "Ongoing"),
    PREPARE_COMMIT((byte) 2, "PrepareCommit"),
    PREPARE_ABORT((byte) 3, "PrepareAbort"),
    COMPLETE_COMMIT((byte) 4, "CompleteCommit"),
    COMPLETE_ABORT((byte) 5, "CompleteAbort"),
    DEAD((byte) 6, "Dead"),
    PREPARE_EPOCH_FENCE((byte) 7, "PrepareEpochFence");

    private final byte id;
    private final String kafkaName;

    TransactionState(byte id, String kafkaName) {
        this.id = id;
        this.kafkaName = kafkaName;
    }

    /** The id stored in {@code __transaction_state} records. */
    public byte id() {
        return id;
    }

    /** The name Kafka's tools show (DescribeTransactions, ListTransactions). */
    public String kafkaName() {
        return kafkaName;
    }

    /** The states this one may be entered from (Kafka's {@code validPreviousStates}). */
    public Set<TransactionState> validPreviousStates() {
        return switch (this) {
            case EMPTY -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case ONGOING -> EnumSet.of(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_COMMIT -> EnumSet.of(ONGOING);
            case PREPARE_ABORT -> EnumSet.of(ONGOING, PREPARE_EPOCH_FENCE);
            case COMPLETE_COMMIT -> EnumSet.of(PREPARE_COMMIT);
            case COMPLETE_ABORT -> EnumSet.of(PREPARE_ABORT);
            case DEAD -> EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT);
            case PREPARE_EPOCH_FENCE -> EnumSet.of(ONGOING);
        };
    }

    public boolean canTransitionFrom(TransactionState previous) {
        return validPreviousStates().contains(previous);
    }

    /** Throws unless {@code next} may follow this state: a coordinator bug, never a client's error. */
    public void checkTransitionTo(TransactionState next) {
        if (!next.canTransitionFrom(this)) {
            throw new IllegalStateException("A transaction cannot go from " + kafkaName + " to " + next.kafkaName);
        }
    }

    /** Whether a producer ends its transaction here and markers are being written. */
    public boolean isPrepare() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    /** Whether no transaction is open: a new one may begin, and the id may expire. */
    public boolean isIdle() {
        return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }

    public static TransactionState fromId(byte id) {
        for (TransactionState state : values()) {
            if (state.id == id) {
                return state;
            }
        }
        throw new IllegalArgumentException("Unknown transaction state " + id);
    }

    /** The state of a Kafka name, as ListTransactions filters by it (case-sensitive, as Kafka). */
    public static Optional<TransactionState> fromKafkaName(String name) {
        for (TransactionState state : values()) {
            if (state.kafkaName.equals(name)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
