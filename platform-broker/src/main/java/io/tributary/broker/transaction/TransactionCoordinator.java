package io.tributary.broker.transaction;

import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorRuntime;
import io.tributary.broker.partition.Partition;
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
 * Kafka's transaction coordinator: a transactional id's producer id and epoch, the partitions of its
 * ongoing transaction, and the two-phase end of it — PrepareCommit or PrepareAbort written, the
 * producer answered, markers written to every partition, then CompleteCommit or CompleteAbort. The
 * state is kept in the compacted {@code __transaction_state} topic on a {@link CoordinatorRuntime}:
 * the id's partition is {@code abs(hash(id)) % partitions} and its leader coordinates it, failing over
 * with it; a new coordinator finishes the transactions it finds prepared.
 *
 * <p>Every step is decided under the id's {@link TransactionMetadata} monitor, marks the step pending
 * (so that concurrent requests get CONCURRENT_TRANSACTIONS), and takes effect when its record is
 * replayed, once the in-sync replicas hold it. Timers on the shared scheduler abort transactions
 * older than their timeout (bumping the epoch, which fences the hung producer) and forget idle ids
 * after {@code transactional.id.expiration.ms}.
 *
 * <p>Thread-safe.
 */
public final class TransactionCoordinator {

    public static final String TRANSACTION_STATE_TOPIC = "__transaction_state";
    private static final Logger log = LoggerFactory.getLogger(TransactionCoordinator.class);
    private static final long RETRY_BACKOFF_MS = 100;
    private static final int COMPLETE_ATTEMPTS = 50;

    /** InitProducerId's answer. */
    public record InitProducerIdResult(long producerId, short producerEpoch, Errors error) {
        static InitProducerIdResult failed(Errors error) {
            return new InitProducerIdResult(RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, error);
        }
    }

    /** A producer id and epoch a request says it has. */
    public record ProducerIdAndEpoch(long producerId, short epoch) {
    }

    /** What a step answers, and whether the coordinator goes on to write markers once it is held. */
    private record Step<R>(R response, boolean writesMarkers) {
    }

    private final TransactionCoordinatorConfig config;
    private final PartitionManager partitions;
    private final LongSupplier producerIds;
    private final TransactionMarkerWriter markers;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final CoordinatorRuntime<TransactionCoordinatorShard> runtime;

    public TransactionCoordinator(TransactionCoordinatorConfig config, TopicManager topics, PartitionManager partitions,
            LongSupplier producerIds, TransactionMarkerWriter markers, ScheduledExecutorService scheduler, Clock clock) {
        this.config = config;
        this.partitions = partitions;
        this.producerIds = producerIds;
        this.markers = markers;
        this.scheduler = scheduler;
        this.clock = clock;
        CoordinatorRuntime.TopicSpec topic = new CoordinatorRuntime.TopicSpec(TRANSACTION_STATE_TOPIC,
                config.topicPartitions(), config.topicReplicationFactor(), Map.of("cleanup.policy", "compact",
                        "segment.bytes", Integer.toString(config.topicSegmentBytes()),
                        "compression.type", "uncompressed"), config.writeTimeoutMs());
        this.runtime = new CoordinatorRuntime<>(topic, topics, partitions,
                (partition, writer) -> new TransactionCoordinatorShard(partition, () -> resumeLater(partition, 20)),
                "tributary-transaction-loader");
    }

    // ---------------------------------------------------------------- start-up, the topic, coordination

    /** Loads the transactions of the partitions this broker coordinates, and starts the timers. */
    public void startup() {
        runtime.startup();
        scheduler.scheduleWithFixedDelay(this::abortTimedOutTransactions, config.abortTimedOutIntervalMs(),
                config.abortTimedOutIntervalMs(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::expireTransactionalIds, config.removeExpiredIntervalMs(),
                config.removeExpiredIntervalMs(), TimeUnit.MILLISECONDS);
    }

    public void close() {
        runtime.close();
    }

    /** Creates {@code __transaction_state} if it does not exist yet (as Kafka does, when transactions are first used). */
    public void ensureTopic() {
        runtime.ensureTopic();
    }

    public int partitionFor(String transactionalId) {
        return runtime.partitionFor(transactionalId);
    }

    /** Whether this broker coordinates the id now: NONE, NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS. */
    public Errors coordinatorError(String transactionalId) {
        return runtime.coordinatorError(partitionFor(transactionalId));
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
        return transition(transactionalId, (shard, pending) -> {
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
                        return write(metadata, next, pending, InitProducerIdResult.failed(Errors.CONCURRENT_TRANSACTIONS), true);
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
                        return write(metadata, next, pending,
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
        return transition(transactionalId, (shard, pending) -> {
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
                return write(metadata, current.prepareAddPartitions(added, clock.millis()), pending, Errors.NONE, false);
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
        TransactionMetadata metadata = error != Errors.NONE ? null
                : runtime.shard(partitionFor(transactionalId)).flatMap(shard -> shard.get(transactionalId)).orElse(null);
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
        return transition(transactionalId, (shard, pending) -> {
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
                    case ONGOING -> write(metadata, current.prepareEnd(commit, clock.millis()), pending, Errors.NONE, true);
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

    /**
     * Aborts an ongoing transaction its producer did not end in time, with a bumped epoch so that the
     * hung producer is fenced (Kafka's {@code abortTimedOutTransactions}).
     */
    private CompletableFuture<Errors> abortFencing(String transactionalId, long producerId, short producerEpoch) {
        return transition(transactionalId, (shard, pending) -> {
            TransactionMetadata metadata = shard.get(transactionalId).orElse(null);
            if (metadata == null) {
                return answer(Errors.INVALID_PRODUCER_ID_MAPPING);
            }
            synchronized (metadata) {
                TransactionSnapshot current = metadata.current();
                if (current.producerId() != producerId || current.producerEpoch() != producerEpoch
                        || metadata.hasPendingTransition() || current.state() != TransactionState.ONGOING) {
                    return answer(Errors.CONCURRENT_TRANSACTIONS); // it moved on meanwhile: nothing to abort
                }
                return write(metadata, current.prepareFencingAbort(clock.millis()), pending, Errors.NONE, true);
            }
        }, error -> error);
    }

    // ---------------------------------------------------------------- markers and completion

    /** Writes the markers of a prepared transaction, then its CompleteCommit or CompleteAbort; once at a time. */
    void writeMarkersAndComplete(int partition, String transactionalId) {
        TransactionCoordinatorShard shard = runtime.shard(partition).orElse(null);
        TransactionMetadata metadata = shard == null ? null : shard.get(transactionalId).orElse(null);
        if (metadata == null || !metadata.claimCompletion()) {
            return;
        }
        TransactionSnapshot prepared = metadata.current();
        TransactionMarker marker = new TransactionMarker(prepared.producerId(), prepared.producerEpoch(),
                coordinatorEpoch(partition), prepared.state() == TransactionState.PREPARE_COMMIT ? TransactionResult.COMMIT
                        : TransactionResult.ABORT);
        CompletableFuture<Void> markersWritten;
        try {
            markersWritten = markers.write(marker, prepared.partitions(),
                    () -> !shard.isUnloaded() && runtime.coordinatorError(partition) != Errors.NOT_COORDINATOR);
        } catch (RuntimeException e) {
            markersWritten = CompletableFuture.failedFuture(e);
        }
        markersWritten.thenCompose(ignored -> complete(partition, transactionalId, prepared, COMPLETE_ATTEMPTS))
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
    private CompletableFuture<Errors> complete(int partition, String transactionalId, TransactionSnapshot prepared,
            int attemptsLeft) {
        return transition(transactionalId, (shard, pending) -> {
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
                return write(metadata, current.prepareComplete(clock.millis()), pending, Errors.NONE, false);
            }
        }, error -> error).thenCompose(error -> {
            boolean retriable = error == Errors.COORDINATOR_LOAD_IN_PROGRESS || error == Errors.COORDINATOR_NOT_AVAILABLE;
            if (!retriable || attemptsLeft <= 1) {
                return CompletableFuture.completedFuture(error);
            }
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS, scheduler))
                    .thenCompose(ignored -> complete(partition, transactionalId, prepared, attemptsLeft - 1));
        });
    }

    /** The leader epoch of the coordinator's partition, which markers carry so that stale coordinators are refused. */
    private int coordinatorEpoch(int partition) {
        return partitions.partition(new TopicPartition(TRANSACTION_STATE_TOPIC, partition)).map(Partition::leaderEpoch)
                .orElse(0);
    }

    /** After a load: finishes the transactions found prepared, once the shard serves. */
    private void resumeLater(int partition, int attemptsLeft) {
        scheduler.schedule(() -> {
            if (runtime.shard(partition).isPresent()) {
                resume(partition);
            } else if (attemptsLeft > 1 && runtime.coordinatorError(partition) == Errors.COORDINATOR_LOAD_IN_PROGRESS) {
                resumeLater(partition, attemptsLeft - 1);
            }
        }, RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS);
    }

    private void resume(int partition) {
        runtime.shard(partition).ifPresent(shard -> shard.all().forEach(metadata -> {
            if (metadata.current().state().isPrepare()) {
                writeMarkersAndComplete(partition, metadata.transactionalId);
            }
        }));
    }

    // ---------------------------------------------------------------- timers

    /** Aborts transactions older than their timeout; resumes prepared ones whose completion stopped. */
    void abortTimedOutTransactions() {
        long now = clock.millis();
        runtime.shards().forEach((partition, shard) -> {
            if (runtime.coordinatorError(partition) != Errors.NONE) {
                return;
            }
            for (TransactionMetadata metadata : shard.all()) {
                TransactionSnapshot current = metadata.current();
                if (current.state().isPrepare()) {
                    writeMarkersAndComplete(partition, metadata.transactionalId);
                } else if (current.state() == TransactionState.ONGOING && !metadata.hasPendingTransition()
                        && current.startTimestamp() + current.timeoutMs() < now) {
                    log.info("Aborting the transaction of {} (producer id {}, epoch {}): it is older than its timeout of {} ms",
                            metadata.transactionalId, current.producerId(), current.producerEpoch(), current.timeoutMs());
                    abortFencing(metadata.transactionalId, current.producerId(), current.producerEpoch());
                }
            }
        });
    }

    /** Forgets transactional ids idle for longer than {@code transactional.id.expiration.ms}: a tombstone each. */
    void expireTransactionalIds() {
        long now = clock.millis();
        runtime.shards().forEach((partition, shard) -> {
            if (runtime.coordinatorError(partition) != Errors.NONE) {
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
        return transition(transactionalId, (shard, pending) -> {
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
                return CoordinatorResult.of(List.of(TransactionRecords.record(transactionalId, null, now)),
                        new Step<>(Errors.NONE, false));
            }
        }, error -> error);
    }

    // ---------------------------------------------------------------- describing and listing

    /** DescribeTransactions of one id. */
    public DescribeTransactionsResponseData.TransactionState describe(String transactionalId) {
        DescribeTransactionsResponseData.TransactionState described = new DescribeTransactionsResponseData.TransactionState()
                .setTransactionalId(transactionalId);
        if (transactionalId == null || transactionalId.isEmpty()) {
            return described.setErrorCode(Errors.INVALID_REQUEST.code());
        }
        Errors error = coordinatorError(transactionalId);
        if (error != Errors.NONE) {
            return described.setErrorCode(error.code());
        }
        TransactionMetadata metadata = runtime.shard(partitionFor(transactionalId))
                .flatMap(shard -> shard.get(transactionalId)).orElse(null);
        TransactionSnapshot current = metadata == null ? null : metadata.current();
        if (current == null || current.state() == TransactionState.DEAD || current.producerEpoch() < 0) {
            return described.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
        }
        for (TopicPartition tp : current.partitions()) {
            DescribeTransactionsResponseData.TopicData topic = described.topics().find(tp.topic());
            if (topic == null) {
                topic = new DescribeTransactionsResponseData.TopicData().setTopic(tp.topic());
                described.topics().add(topic);
            }
            topic.partitions().add(tp.partition());
        }
        return described.setErrorCode(Errors.NONE.code()).setProducerId(current.producerId())
                .setProducerEpoch(current.producerEpoch()).setTransactionState(current.state().kafkaName())
                .setTransactionTimeoutMs(current.timeoutMs()).setTransactionStartTimeMs(current.startTimestamp());
    }

    /**
     * ListTransactions over the partitions this broker coordinates, filtered as Kafka filters (states by
     * Kafka's names, producer ids, running longer than {@code durationFilterMs}, ids matching a pattern).
     */
    public ListTransactionsResponseData list(Collection<String> stateFilters, Collection<Long> producerIdFilters,
            long durationFilterMs, String transactionalIdPattern) {
        ListTransactionsResponseData data = new ListTransactionsResponseData().setErrorCode(Errors.NONE.code());
        Set<TransactionState> states = new HashSet<>();
        for (String name : stateFilters) {
            TransactionState.fromKafkaName(name).ifPresentOrElse(states::add, () -> data.unknownStateFilters().add(name));
        }
        if (!data.unknownStateFilters().isEmpty() && states.isEmpty()) {
            return data; // every filter names an unknown state: nothing can match
        }
        Pattern pattern;
        try {
            pattern = transactionalIdPattern == null || transactionalIdPattern.isEmpty() ? null
                    : Pattern.compile(transactionalIdPattern);
        } catch (java.util.regex.PatternSyntaxException e) {
            return data.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code());
        }
        long now = clock.millis();
        runtime.shards().values().forEach(shard -> shard.all().forEach(metadata -> {
            TransactionSnapshot current = metadata.current();
            boolean listed = current.state() != TransactionState.DEAD && current.producerEpoch() >= 0
                    && (states.isEmpty() || states.contains(current.state()))
                    && (producerIdFilters.isEmpty() || producerIdFilters.contains(current.producerId()))
                    && (durationFilterMs < 0 || (current.state() == TransactionState.ONGOING
                            && now - current.startTimestamp() > durationFilterMs))
                    && (pattern == null || pattern.matcher(metadata.transactionalId).matches());
            if (listed) {
                data.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                        .setTransactionalId(metadata.transactionalId).setProducerId(current.producerId())
                        .setTransactionState(current.state().kafkaName()));
            }
        }));
        return data;
    }

    // ---------------------------------------------------------------- writing steps

    /** Decides a step under the id's monitor; {@code pending} receives the metadata whose step it began. */
    @FunctionalInterface
    private interface Decision<R> {
        CoordinatorResult<Step<R>> decide(TransactionCoordinatorShard shard, AtomicReference<TransactionMetadata> pending);
    }

    /**
     * Runs a decision on the id's shard and writes its step: the answer comes once the record is held
     * and replayed; if the write fails the step is dropped (nothing changed) and the error answered.
     */
    private <R> CompletableFuture<R> transition(String transactionalId, Decision<R> decision, Function<Errors, R> onError) {
        int partition = partitionFor(transactionalId);
        AtomicReference<TransactionMetadata> pending = new AtomicReference<>();
        return runtime.<Step<R>>scheduleWriteOperation(partition, shard -> decision.decide(shard, pending))
                .handle((step, failure) -> {
                    if (failure != null) {
                        TransactionMetadata begun = pending.get();
                        if (begun != null) {
                            begun.abandonTransition();
                        }
                        return onError.apply(CoordinatorException.errorOf(failure));
                    }
                    if (step.writesMarkers()) {
                        // Not on the thread that answers: the markers may take a while.
                        scheduler.execute(() -> writeMarkersAndComplete(partition, transactionalId));
                    }
                    return step.response();
                });
    }

    private static <R> CoordinatorResult<Step<R>> answer(R response) {
        return CoordinatorResult.answer(new Step<>(response, false));
    }

    private <R> CoordinatorResult<Step<R>> write(TransactionMetadata metadata, TransactionSnapshot next,
            AtomicReference<TransactionMetadata> pending, R response, boolean writesMarkers) {
        metadata.beginTransition(next);
        pending.set(metadata);
        return CoordinatorResult.of(List.of(TransactionRecords.record(metadata.transactionalId, next, clock.millis())),
                new Step<>(response, writesMarkers));
    }
}
