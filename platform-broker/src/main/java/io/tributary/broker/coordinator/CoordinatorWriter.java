package io.tributary.broker.coordinator;

import java.util.concurrent.CompletableFuture;

/**
 * Writes a shard's records through its partition: a shard's own timers and rebalance steps use it
 * for what they must make durable. Given to a shard by the {@link CoordinatorRuntime} that created it.
 */
@FunctionalInterface
public interface CoordinatorWriter {

    /**
     * Appends the result's records on the calling thread (so a caller holding a lock orders its
     * appends by it; nothing here waits for replication) and completes, with the response, once the
     * in-sync replicas hold them and they were replayed, or exceptionally with a {@link CoordinatorException}.
     */
    <T> CompletableFuture<T> write(CoordinatorResult<T> result);
}
