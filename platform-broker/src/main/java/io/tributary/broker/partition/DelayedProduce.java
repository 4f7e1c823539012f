package io.tributary.broker.partition;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.apache.kafka.common.protocol.Errors;

/**
 * An acks=all produce waiting until the high watermark passes its last offset, that is until every
 * in-sync replica holds it (Kafka's produce purgatory). It completes once: replicated, with
 * NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below {@code min.insync.replicas} meanwhile,
 * NOT_LEADER_OR_FOLLOWER when this broker stopped leading, or REQUEST_TIMED_OUT.
 *
 * <p>Thread-safe.
 */
final class DelayedProduce {

    private final long requiredOffset;
    private final int minInsyncReplicas;
    private final CompletableFuture<Errors> future = new CompletableFuture<>();
    private volatile ScheduledFuture<?> timeout;

    /** @param requiredOffset the high watermark that covers the batch: its last offset + 1 */
    DelayedProduce(long requiredOffset, int minInsyncReplicas) {
        this.requiredOffset = requiredOffset;
        this.minInsyncReplicas = minInsyncReplicas;
    }

    CompletableFuture<Errors> future() {
        return future;
    }

    void setTimeout(ScheduledFuture<?> timeout) {
        this.timeout = timeout;
        if (future.isDone()) {
            timeout.cancel(false);
        }
    }

    /** Completes when the partition's state answers this produce; returns whether it is complete. */
    boolean tryComplete(boolean leader, long highWatermark, int isrSize) {
        if (!leader) {
            return complete(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        if (highWatermark >= requiredOffset) {
            return complete(isrSize < minInsyncReplicas ? Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND : Errors.NONE);
        }
        return false;
    }

    boolean complete(Errors error) {
        if (future.complete(error)) {
            ScheduledFuture<?> pending = timeout;
            if (pending != null) {
                pending.cancel(false);
            }
        }
        return true;
    }
}
