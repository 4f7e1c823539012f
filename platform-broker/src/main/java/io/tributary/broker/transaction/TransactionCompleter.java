package io.tributary.broker.transaction;

import static io.tributary.broker.transaction.TransactionStateManager.answer;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second phase of a transaction's end (the completion half of Kafka's
 * {@code TransactionMarkerChannelManager}): once PrepareCommit or PrepareAbort is held, the marker is
 * written to every partition of the transaction through the {@link TransactionMarkerWriter}, then
 * CompleteCommit or CompleteAbort. A partition of {@code __transaction_state} that finished loading has
 * the transactions it found prepared finished the same way.
 *
 * <p>Thread-safe: one completion at a time per id ({@link TransactionMetadata#claimCompletion}); the
 * work runs on the shared scheduler and the marker writer's threads, never on the caller's.
 */
final class TransactionCompleter {

    private static final Logger log = LoggerFactory.getLogger(TransactionCompleter.class);
    private static final long RETRY_BACKOFF_MS = 100;
    private static final int COMPLETE_ATTEMPTS = 50;
    /** How many times a just-loaded partition is looked for before its prepared transactions are resumed. */
    private static final int RESUME_ATTEMPTS = 20;

    private final TransactionStateManager state;
    private final TransactionMarkerWriter markers;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    TransactionCompleter(TransactionStateManager state, TransactionMarkerWriter markers, ScheduledExecutorService scheduler,
            Clock clock) {
        this.state = state;
        this.markers = markers;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * Writes a step of the id (see {@link TransactionStateManager#transition}) and answers its response;
     * a step that prepared an end has its markers and completion follow, off the answering thread since
     * the markers may take a while.
     */
    <R> CompletableFuture<R> transition(String transactionalId, TransactionStateManager.Decision<R> decision,
            Function<Errors, R> onError) {
        int partition = state.partitionFor(transactionalId);
        return state.transition(transactionalId, decision, onError).thenApply(step -> {
            if (step.writesMarkers()) {
                scheduler.execute(() -> writeMarkersAndComplete(partition, transactionalId));
            }
            return step.response();
        });
    }

    /** Writes the markers of a prepared transaction, then its CompleteCommit or CompleteAbort; once at a time. */
    void writeMarkersAndComplete(int partition, String transactionalId) {
        TransactionCoordinatorShard shard = state.shard(partition).orElse(null);
        TransactionMetadata metadata = shard == null ? null : shard.get(transactionalId).orElse(null);
        if (metadata == null || !metadata.claimCompletion()) {
            return;
        }
        TransactionSnapshot prepared = metadata.current();
        TransactionMarker marker = new TransactionMarker(prepared.producerId(), prepared.producerEpoch(),
                state.coordinatorEpoch(partition), prepared.state() == TransactionState.PREPARE_COMMIT
                        ? TransactionResult.COMMIT : TransactionResult.ABORT);
        CompletableFuture<Void> markersWritten;
        try {
            markersWritten = markers.write(marker, prepared.partitions(),
                    () -> !shard.isUnloaded() && state.coordinatorError(partition) != Errors.NOT_COORDINATOR);
        } catch (RuntimeException e) {
            markersWritten = CompletableFuture.failedFuture(e);
        }
        markersWritten.thenCompose(ignored -> complete(transactionalId, prepared, COMPLETE_ATTEMPTS))
                .whenComplete((error, failure) -> {
                    metadata.releaseCompletion();
                    if (failure != null) {
                        log.warn("Transaction of {} not completed yet (retried later): {}", transactionalId, failure.toString());
                    } else if (error == Errors.NONE) {
                        log.debug("Completed the transaction of {}: {}", transactionalId, marker.result());
                    }
                });
    }

    /** Writes CompleteCommit or CompleteAbort for a prepared transaction whose markers are all written. */
    private CompletableFuture<Errors> complete(String transactionalId, TransactionSnapshot prepared, int attemptsLeft) {
        return state.transition(transactionalId, (shard, pending) -> {
            TransactionMetadata metadata = shard.get(transactionalId).orElse(null);
            if (metadata == null) {
                return answer(Errors.INVALID_PRODUCER_ID_MAPPING);
            }
            synchronized (metadata) {
                TransactionSnapshot current = metadata.current();
                if (metadata.hasPendingTransition() || current.state() != prepared.state()
                        || current.producerId() != prepared.producerId() || current.producerEpoch() != prepared.producerEpoch()) {
                    return answer(Errors.CONCURRENT_TRANSACTIONS);
                }
                return state.step(metadata, current.prepareComplete(clock.millis()), pending, Errors.NONE, false);
            }
        }, error -> error).thenCompose(step -> {
            Errors error = step.response();
            boolean retriable = error == Errors.COORDINATOR_LOAD_IN_PROGRESS || error == Errors.COORDINATOR_NOT_AVAILABLE;
            if (!retriable || attemptsLeft <= 1) {
                return CompletableFuture.completedFuture(error);
            }
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS, scheduler))
                    .thenCompose(ignored -> complete(transactionalId, prepared, attemptsLeft - 1));
        });
    }

    /** After a load: finishes the transactions found prepared, once the partition serves. */
    void resumeAfterLoad(int partition) {
        resumeLater(partition, RESUME_ATTEMPTS);
    }

    private void resumeLater(int partition, int attemptsLeft) {
        scheduler.schedule(() -> {
            if (state.shard(partition).isPresent()) {
                resume(partition);
            } else if (attemptsLeft > 1 && state.coordinatorError(partition) == Errors.COORDINATOR_LOAD_IN_PROGRESS) {
                resumeLater(partition, attemptsLeft - 1);
            }
        }, RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS);
    }

    private void resume(int partition) {
        state.shard(partition).ifPresent(shard -> shard.all().forEach(metadata -> {
            if (metadata.current().state().isPrepare()) {
                writeMarkersAndComplete(partition, metadata.transactionalId);
            }
        }));
    }
}
