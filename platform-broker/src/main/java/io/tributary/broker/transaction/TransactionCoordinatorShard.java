package io.tributary.broker.transaction;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import io.tributary.broker.coordinator.CoordinatorShard;

/**
 * The transactional ids of one partition of {@code __transaction_state} (Kafka's per-partition part of
 * {@code TransactionStateManager}): built by replaying the partition, changed by replaying each
 * write once the in-sync replicas hold it. The coordinator decides the steps; this only holds them.
 *
 * <p>Thread-safe: the map is concurrent, each {@link TransactionMetadata} guards itself.
 */
final class TransactionCoordinatorShard implements CoordinatorShard {

    private final int partition;
    private final Map<String, TransactionMetadata> transactions = new ConcurrentHashMap<>();
    /** Told once the shard is loaded, to finish the transactions it found half-ended. */
    private final Runnable onLoaded;
    private volatile boolean unloaded;

    TransactionCoordinatorShard(int partition, Runnable onLoaded) {
        this.partition = partition;
        this.onLoaded = onLoaded;
    }

    int partition() {
        return partition;
    }

    @Override
    public void replay(ByteBuffer key, ByteBuffer value, long offset) {
        String transactionalId = TransactionRecords.readKey(key);
        if (value == null) {
            transactions.computeIfPresent(transactionalId, (id, metadata) -> offset >= metadata.offset() ? null : metadata);
            return;
        }
        TransactionSnapshot snapshot = TransactionRecords.readValue(value);
        transactions.computeIfAbsent(transactionalId, id -> new TransactionMetadata(id, snapshot)).replay(snapshot, offset);
    }

    Optional<TransactionMetadata> get(String transactionalId) {
        return Optional.ofNullable(transactions.get(transactionalId));
    }

    /**
     * The id's metadata, or a new one, in memory only until its first record is held (as Kafka's
     * {@code putTransactionStateIfNotExists}): a new id gets its producer id from {@code newSnapshot}.
     */
    TransactionMetadata getOrCreate(String transactionalId, Supplier<TransactionSnapshot> newSnapshot) {
        return transactions.computeIfAbsent(transactionalId, id -> new TransactionMetadata(id, newSnapshot.get()));
    }

    Collection<TransactionMetadata> all() {
        return transactions.values();
    }

    boolean isUnloaded() {
        return unloaded;
    }

    @Override
    public void onLoaded() {
        onLoaded.run();
    }

    @Override
    public void onUnloaded() {
        unloaded = true;
    }

    @Override
    public String toString() {
        return transactions.size() + " transactional ids";
    }
}
