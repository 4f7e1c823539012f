package io.tributary.broker.transaction;

import static io.tributary.broker.transaction.TransactionStateManager.answer;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's transaction coordinator, as the API handlers see it: a transactional id's producer id and
 * epoch (InitProducerId), the partitions of its ongoing transaction (AddPartitionsToTxn, and KIP-890's
 * verification), the first phase of its end (EndTxn: PrepareCommit or PrepareAbort written, then the
 * producer answered), and DescribeTransactions and ListTransactions. The state is kept in the
 * compacted {@code __transaction_state} topic ({@link TransactionStateManager}): the id's partition is
 * {@code abs(hash(id)) % partitions} and its leader coordinates it, failing over with it. The second
 * phase — markers to every partition, then CompleteCommit or CompleteAbort, also for transactions a new
 * coordinator finds prepared — is the {@link TransactionCompleter}'s; timeouts and id expiration are
 * the {@link TransactionTimers}'.
 *
 * <p>Every step is decided under the id's {@link TransactionMetadata} monitor, marks the step pending
 * (so that concurrent requests get CONCURRENT_TRANSACTIONS), and takes effect when its record is
 * replayed, once the in-sync replicas hold it.
 *
 * <p>Thread-safe.
 */
public final class TransactionCoordinator {

    public static final String TRANSACTION_STATE_TOPIC = "__transaction_state";
    private static final Logger log = LoggerFactory.getLogger(TransactionCoordinator.class);

    /** InitProducerId's answer. */
    public record InitProducerIdResult(long producerId, short producerEpoch, Errors error) {
        static InitProducerIdResult failed(Errors error) {
            return new InitProducerIdResult(RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, error);
        }
    }

    /** A producer id and epoch a request says it has. */
    public record ProducerIdAndEpoch(long producerId, short epoch) {
    }

    private final TransactionCoordinatorConfig config;
    private final LongSupplier producerIds;
    private final Clock clock;
    private final TransactionStateManager state;
    private final TransactionCompleter completer;
    private final TransactionTimers timers;
    private final TransactionDescriber describer;

    public TransactionCoordinator(TransactionCoordinatorConfig config, TopicManager topics, PartitionManager partitions,
            LongSupplier producerIds, TransactionMarkerWriter markers, ScheduledExecutorService scheduler, Clock clock) {
        this.config = config;
        this.producerIds = producerIds;
        this.clock = clock;
        this.state = new TransactionStateManager(config, topics, partitions, clock, this::onPartitionLoaded);
        this.completer = new TransactionCompleter(state, markers, scheduler, clock);
        this.timers = new TransactionTimers(config, state, completer, scheduler, clock);
        this.describer = new TransactionDescriber(state, clock);
    }

    // ---------------------------------------------------------------- start-up, the topic, coordination

    /** Loads the transactions of the partitions this broker coordinates, and starts the timers. */
    public void startup() {
        state.startup();
        timers.start();
    }

    public void close() {
        state.close();
    }

    /** Creates {@code __transaction_state} if it does not exist yet (as Kafka does, when transactions are first used). */
    public void ensureTopic() {
        state.ensureTopic();
    }

    public int partitionFor(String transactionalId) {
        return state.partitionFor(transactionalId);
    }

    /** Whether this broker coordinates the id now: NONE, NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS. */
    public Errors coordinatorError(String transactionalId) {
        return state.coordinatorError(partitionFor(transactionalId));
    }

    /** A partition of {@code __transaction_state} was loaded: the transactions it holds prepared are finished. */
    private void onPartitionLoaded(int partition) {
        completer.resumeAfterLoad(partition);
    }

    // ---------------------------------------------------------------- InitProducerId

    /**
     * InitProducerId of a transactional producer (Kafka's {@code handleInitProducerId}): a new id gets
     * a producer id at epoch 0; a known one its epoch bumped, which fences the producer that had it;
     * its ongoing transaction is aborted first (CONCURRENT_TRANSACTIONS meanwhile, the producer retries).
     *
     * @param expected the producer id and epoch the producer has (v3+, to bump after an error), or null
     */
    public CompletableFuture<InitProducerIdResult> initProducerId(String transactionalId, int timeoutMs,
            ProducerIdAndEpoch expected) {
        if (transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(InitProducerIdResult.failed(Errors.INVALID_REQUEST));
        }
        if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs()) {
            return CompletableFuture.completedFuture(InitProducerIdResult.failed(Errors.INVALID_TRANSACTION_TIMEOUT));
        }
        return completer.transition(transactionalId, (shard, pending) -> {
            long now = clock.millis();
            TransactionMetadata metadata = shard.getOrCreate(transactionalId,
                    () -> TransactionSnapshot.fresh(producerIds.getAsLong(), timeoutMs, now));
            synchronized (metadata) {
                TransactionSnapshot current = metadata.current();
                if (metadata.hasPendingTransition()) {
                    return answer(InitProducerIdResult.failed(Errors.CONCURRENT_TRANSACTIONS));
                }
                if (expected != null && !isValidProducerId(current, expected)) {
                    return answer(InitProducerIdResult.failed(Errors.PRODUCER_FENCED));
                }
                switch (current.state()) {
                    case PREPARE_COMMIT, PREPARE_ABORT -> {
                        return answer(InitProducerIdResult.failed(Errors.CONCURRENT_TRANSACTIONS));
                    }
                    case ONGOING -> {
                        // Abort it with a bumped epoch, never told to anyone; the producer's retry bumps again.
                        TransactionSnapshot next = current.prepareFencingAbort(now);
                        return state.step(metadata, next, pending, InitProducerIdResult.failed(Errors.CONCURRENT_TRANSACTIONS), true);
                    }
                    case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> {
                        TransactionSnapshot next;
                        if (current.isProducerEpochExhausted()
                                && (expected == null || expected.epoch() == current.producerEpoch())) {
                            next = current.prepareProducerIdRotation(producerIds.getAsLong(), timeoutMs, expected != null, now);
                        } else {
                            next = current.prepareIncrementEpoch(timeoutMs, expected == null ? null : expected.epoch(), now);
                            if (next == null) {
                                return answer(InitProducerIdResult.failed(Errors.PRODUCER_FENCED));
                            }
                        }
                        return state.step(metadata, next, pending,
                                new InitProducerIdResult(next.producerId(), next.producerEpoch(), Errors.NONE), false);
                    }
                    default -> throw new IllegalStateException(transactionalId + " is " + current.state().kafkaName());
                }
            }
        }, InitProducerIdResult::failed).thenApply(result -> {
            if (result.error() == Errors.NONE) {
                log.info("Initialized transactional id {} with producer id {} and epoch {}", transactionalId,
                        result.producerId(), result.producerEpoch());
            }
            return result;
        });
    }

    private static boolean isValidProducerId(TransactionSnapshot current, ProducerIdAndEpoch expected) {
        // As Kafka: a just-created id, its current producer id, or a retry after a rotation that was never answered.
        return current.producerEpoch() == RecordBatch.NO_PRODUCER_EPOCH
                || expected.producerId() == current.producerId()
                || (expected.producerId() == current.lastProducerId() && TransactionSnapshot.isEpochExhausted(expected.epoch()));
    }

    // ---------------------------------------------------------------- AddPartitionsToTxn, AddOffsetsToTxn

    /** Adds partitions to the producer's transaction, which begins with the first ones. */
    public CompletableFuture<Errors> addPartitions(String transactionalId, long producerId, short producerEpoch,
            Collection<TopicPartition> added) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.INVALID_REQUEST);
        }
        return completer.transition(transactionalId, (shard, pending) -> {
            TransactionMetadata metadata = shard.get(transactionalId).orElse(null);
            if (metadata == null) {
                return answer(Errors.INVALID_PRODUCER_ID_MAPPING);
            }
            synchronized (metadata) {
                TransactionSnapshot current = metadata.current();
                Errors refusal = producerRefusal(metadata, current, producerId, producerEpoch);
                if (refusal != Errors.NONE) {
                    return answer(refusal);
                }
                if (current.state() == TransactionState.ONGOING && current.partitions().containsAll(added)) {
                    return answer(Errors.NONE);
                }
                return state.step(metadata, current.prepareAddPartitions(added, clock.millis()), pending, Errors.NONE, false);
            }
        }, error -> error);
    }

    /**
     * AddPartitionsToTxn with verifyOnly (KIP-890, from a partition leader): which partitions are in the
     * producer's ongoing transaction; the others get TRANSACTION_ABORTABLE, as Kafka answers.
     */
    public Map<TopicPartition, Errors> verifyPartitions(String transactionalId, long producerId, short producerEpoch,
            Collection<TopicPartition> asked) {
        Errors error = coordinatorError(transactionalId);
        TransactionMetadata metadata = error != Errors.NONE ? null : state.metadata(transactionalId).orElse(null);
        if (error == Errors.NONE && metadata == null) {
            error = Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        if (error != Errors.NONE) {
            for (TopicPartition tp : asked) {
                results.put(tp, error);
            }
            return results;
        }
        synchronized (metadata) {
            TransactionSnapshot current = metadata.current();
            Errors refusal = current.producerId() != producerId ? Errors.INVALID_PRODUCER_ID_MAPPING
                    : current.producerEpoch() != producerEpoch ? Errors.PRODUCER_FENCED
                    : current.state().isPrepare() ? Errors.CONCURRENT_TRANSACTIONS : Errors.NONE;
            for (TopicPartition tp : asked) {
                results.put(tp, refusal != Errors.NONE ? refusal
                        : current.state() == TransactionState.ONGOING && current.partitions().contains(tp) ? Errors.NONE
                        : Errors.TRANSACTION_ABORTABLE);
            }
        }
        return results;
    }

    /** Kafka's checks of a producer's request against the id's current producer, before any step. */
    private static Errors producerRefusal(TransactionMetadata metadata, TransactionSnapshot current, long producerId,
            short producerEpoch) {
        if (current.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (current.producerEpoch() != producerEpoch) {
            return Errors.PRODUCER_FENCED;
        }
        if (metadata.hasPendingTransition() || current.state().isPrepare()) {
            return Errors.CONCURRENT_TRANSACTIONS;
        }
        return Errors.NONE;
    }

    // ---------------------------------------------------------------- EndTxn

    /**
     * EndTxn (Kafka's {@code handleEndTransaction}): answered once PrepareCommit or PrepareAbort is held;
     * the markers and the completion follow. A retry of an end that completed is answered NONE.
     */
    public CompletableFuture<Errors> endTransaction(String transactionalId, long producerId, short producerEpoch,
            TransactionResult result) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(Errors.INVALID_REQUEST);
        }
        boolean commit = result == TransactionResult.COMMIT;
        return completer.transition(transactionalId, (shard, pending) -> {
            TransactionMetadata metadata = shard.get(transactionalId).orElse(null);
            if (metadata == null) {
                return answer(Errors.INVALID_PRODUCER_ID_MAPPING);
            }
            synchronized (metadata) {
                TransactionSnapshot current = metadata.current();
                if (current.producerId() != producerId) {
                    return answer(Errors.INVALID_PRODUCER_ID_MAPPING);
                }
                if (current.producerEpoch() != producerEpoch) {
                    return answer(Errors.PRODUCER_FENCED);
                }
                if (metadata.hasPendingTransition()) {
                    return answer(Errors.CONCURRENT_TRANSACTIONS);
                }
                return switch (current.state()) {
                    case ONGOING -> state.step(metadata, current.prepareEnd(commit, clock.millis()), pending, Errors.NONE, true);
                    case COMPLETE_COMMIT -> answer(commit ? Errors.NONE : Errors.INVALID_TXN_STATE);
                    case COMPLETE_ABORT -> answer(commit ? Errors.INVALID_TXN_STATE : Errors.NONE);
                    case PREPARE_COMMIT -> answer(commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE);
                    case PREPARE_ABORT -> answer(commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS);
                    case EMPTY -> answer(Errors.INVALID_TXN_STATE);
                    default -> throw new IllegalStateException(transactionalId + " is " + current.state().kafkaName());
                };
            }
        }, error -> error);
    }

    // ---------------------------------------------------------------- describing and listing

    /** DescribeTransactions of one id. */
    public DescribeTransactionsResponseData.TransactionState describe(String transactionalId) {
        return describer.describe(transactionalId);
    }

    /**
     * ListTransactions over the partitions this broker coordinates, filtered as Kafka filters (states by
     * Kafka's names, producer ids, running longer than {@code durationFilterMs}, ids matching a pattern).
     */
    public ListTransactionsResponseData list(Collection<String> stateFilters, Collection<Long> producerIdFilters,
            long durationFilterMs, String transactionalIdPattern) {
        return describer.list(stateFilters, producerIdFilters, durationFilterMs, transactionalIdPattern);
    }

    // ---------------------------------------------------------------- timers, run by tests at will

    void abortTimedOutTransactions() {
        timers.abortTimedOutTransactions();
    }

    void expireTransactionalIds() {
        timers.expireTransactionalIds();
    }
}
