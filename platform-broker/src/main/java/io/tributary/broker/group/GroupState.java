package io.tributary.broker.group;

/**
 * The states of a classic group, with the names Kafka's APIs and tools use, and — in {@link #canFollow} —
 * the one place the legal transitions between them are written down (Kafka's {@code ClassicGroupState}).
 */
public enum GroupState {
    /** No members; committed offsets may remain. */
    EMPTY("Empty"),
    /** A rebalance began: members must rejoin before the join phase completes. */
    PREPARING_REBALANCE("PreparingRebalance"),
    /** Members joined; the leader's assignment is awaited in SyncGroup. */
    COMPLETING_REBALANCE("CompletingRebalance"),
    /** Every member has its assignment and heartbeats. */
    STABLE("Stable"),
    /** Deleted; the group object is about to disappear. */
    DEAD("Dead");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    public String kafkaName() {
        return kafkaName;
    }

    /**
     * Whether a group may come to this state from {@code previous}: a rebalance starts from a stable, an
     * empty or a completing group; the join phase ends in completing (or, with no member left, empty);
     * the assignment makes it stable; any group may die.
     */
    public boolean canFollow(GroupState previous) {
        return switch (this) {
            case EMPTY -> previous == PREPARING_REBALANCE;
            case PREPARING_REBALANCE -> previous == STABLE || previous == COMPLETING_REBALANCE || previous == EMPTY;
            case COMPLETING_REBALANCE -> previous == PREPARING_REBALANCE;
            case STABLE -> previous == COMPLETING_REBALANCE;
            case DEAD -> true;
        };
    }
}
