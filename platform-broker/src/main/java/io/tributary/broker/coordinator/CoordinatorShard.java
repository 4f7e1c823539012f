package io.tributary.broker.coordinator;

import java.nio.ByteBuffer;

/**
 * The in-memory state of one partition of a coordinator's topic (Kafka's {@code CoordinatorShard}),
 * built only by replaying that partition's records: when the partition is loaded, and after each
 * write once the in-sync replicas hold it.
 */
public interface CoordinatorShard {

    /**
     * Applies one record of the partition to the state. Records of one write are replayed in order;
     * those of writes that complete concurrently may come in any order, so the shard keeps, for each
     * key, the latest position it applied and ignores older ones.
     *
     * @param value  null for a tombstone
     * @param offset the record's position in the partition
     */
    void replay(ByteBuffer key, ByteBuffer value, long offset);

    /** Called once the partition's log has been replayed, before the shard serves requests (e.g. to start timers). */
    default void onLoaded() {
    }

    /** Called when the shard stops serving: its partition is no longer led here. Stops its timers and answers waiters. */
    default void onUnloaded() {
    }
}
