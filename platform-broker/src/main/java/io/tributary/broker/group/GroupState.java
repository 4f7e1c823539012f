package io.tributary.broker.group;

/** The states of a classic group, with the names Kafka's APIs and tools use. */
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
}
