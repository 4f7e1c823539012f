package io.tributary.broker.transaction;

import static io.tributary.broker.transaction.TransactionStateManager.answer;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.coordinator.CoordinatorResult;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's periodic work on the shared scheduler, over the partitions it coordinates: aborting
 * transactions older than their timeout with a bumped epoch, which fences the hung producer (Kafka's
 * {@code abortTimedOutTransactions}, which also resumes prepared transactions whose completion stopped),
 * and forgetting ids idle for longer than {@code transactional.id.expiration.ms} with a tombstone each
 * (Kafka's {@code removeExpiredTransactionalIds}).
 *
 * <p>Thread-safe: each step is decided under the id's monitor, as the coordinator's are.
 */
final class TransactionTimers {

    private static final Logger log = LoggerFactory.getLogger(TransactionTimers.class);

    private final TransactionCoordinatorConfig config;
    private final TransactionStateManager state;
    private final TransactionCompleter completer;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;

    TransactionTimers(TransactionCoordinatorConfig config, TransactionStateManager state, TransactionCompleter completer,
            ScheduledExecutorService scheduler, Clock clock) {
        this.config = config;
        this.state = state;
        this.completer = completer;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    void start() {
        scheduler.scheduleWithFixedDelay(this::abortTimedOutTransactions, config.abortTimedOutIntervalMs(),
                config.abortTimedOutIntervalMs(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::expireTransactionalIds, config.removeExpiredIntervalMs(),
                config.removeExpiredIntervalMs(), TimeUnit.MILLISECONDS);
    }

    /** Aborts transactions older than their timeout; resumes prepared ones whose completion stopped. */
    void abortTimedOutTransactions() {
        long now = clock.millis();
        state.shards().forEach((partition, shard) -> {
            if (state.coordinatorError(partition) != Errors.NONE) {
                return;
            }
            for (TransactionMetadata metadata : shard.all()) {
                TransactionSnapshot current = metadata.current();
                if (current.state().isPrepare()) {
                    completer.writeMarkersAndComplete(partition, metadata.transactionalId);
                } else if (current.state() == TransactionState.ONGOING && !metadata.hasPendingTransition()
                        && current.startTimestamp() + current.timeoutMs() < now) {
                    log.info("Aborting the transaction of {} (producer id {}, epoch {}): it is older than its timeout of {} ms",
                            metadata.transactionalId, current.producerId(), current.producerEpoch(), current.timeoutMs());
                    abortFencing(metadata.transactionalId, current.producerId(), current.producerEpoch());
                }
            }
        });
    }

    /**
     * Aborts an ongoing transaction its producer did not end in time, with a bumped epoch so that the
     * hung producer is fenced.
     */
    private CompletableFuture<Errors> abortFencing(String transactionalId, long producerId, short producerEpoch) {
        return completer.transition(transactionalId, (shard, pending) -> {
            TransactionMetadata metadata = shard.get(transactionalId).orElse(null);
            if (metadata == null) {
                return answer(Errors.INVALID_PRODUCER_ID_MAPPING);
            }
            synchronized (metadata) {
                TransactionSnapshot current = metadata.current();
                if (current.producerId() != producerId || current.producerEpoch() != producerEpoch
                        || metadata.hasPendingTransition() || current.state() != TransactionState.ONGOING) {
                    // it moved on meanwhile: nothing to abort
                    return answer(Errors.CONCURRENT_TRANSACTIONS);
                }
                return state.step(metadata, current.prepareFencingAbort(clock.millis()), pending, Errors.NONE, true);
            }
        }, error -> error);
    }

    /** Forgets transactional ids idle for longer than {@code transactional.id.expiration.ms}: a tombstone each. */
    void expireTransactionalIds() {
        long now = clock.millis();
        state.shards().forEach((partition, shard) -> {
            if (state.coordinatorError(partition) != Errors.NONE) {
                return;
            }
            for (TransactionMetadata metadata : shard.all()) {
                TransactionSnapshot current = metadata.current();
                if (current.state().isIdle() && current.lastUpdateTimestamp() + config.idExpirationMs() <= now) {
                    expire(metadata.transactionalId);
                }
            }
        });
    }

    private CompletableFuture<Errors> expire(String transactionalId) {
        return completer.transition(transactionalId, (shard, pending) -> {
            TransactionMetadata metadata = shard.get(transactionalId).orElse(null);
            if (metadata == null) {
                return answer(Errors.NONE);
            }
            synchronized (metadata) {
                TransactionSnapshot current = metadata.current();
                long now = clock.millis();
                if (metadata.hasPendingTransition() || !current.state().isIdle()
                        || current.lastUpdateTimestamp() + config.idExpirationMs() > now) {
                    return answer(Errors.NONE);
                }
                TransactionSnapshot dead = current.prepareDead(now);
                metadata.beginTransition(dead);
                pending.set(metadata);
                log.info("Transactional id {} expired after {} ms idle", transactionalId, now - current.lastUpdateTimestamp());
                // The tombstone forgets the id once replayed; Dead is only the step it is pending as.
                return CoordinatorResult.of(List.of(TransactionRecords.record(transactionalId, null, now)),
                        new TransactionStateManager.Step<>(Errors.NONE, false));
            }
        }, error -> error);
    }
}
