package io.tributary.broker.coordinator;

import java.nio.ByteBuffer;
import org.apache.kafka.common.requests.TransactionResult;

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

    /**
     * Applies one record a transaction wrote (a TxnOffsetCommit's offset): it stays pending until the
     * producer's marker is replayed. Shards whose operations never write transactionally need not
     * implement it.
     */
    default void replayTransactional(ByteBuffer key, ByteBuffer value, long offset, long producerId) {
        throw new IllegalStateException(getClass().getSimpleName() + " keeps no transactional records, yet one was found at "
                + offset + " (producer " + producerId + ")");
    }

    /**
     * Applies a transaction marker: the producer's pending records take effect (COMMIT) or are dropped
     * (ABORT). Called for markers replayed at a load and, once the in-sync replicas hold them, for
     * markers the transaction coordinator writes to the partition.
     */
    default void replayEndTransaction(long producerId, TransactionResult result, long offset) {
    }

    /** Called once the partition's log has been replayed, before the shard serves requests (e.g. to start timers). */
    default void onLoaded() {
    }

    /** Called when the shard stops serving: its partition is no longer led here. Stops its timers and answers waiters. */
    default void onUnloaded() {
    }
}
