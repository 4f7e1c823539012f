package io.tributary.broker.transaction;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntConsumer;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorRuntime;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * The transactional ids this broker coordinates, as Kafka's {@code TransactionStateManager}: the
 * partitions of {@code __transaction_state} on a {@link CoordinatorRuntime} (loaded when this broker
 * leads them, dropped when it stops), which partition an id belongs to, and the writing of one step of
 * an id. It decides nothing about transactions: the coordinator, the completion and the timers decide
 * the steps, this writes them and tells when a partition finished loading.
 *
 * <p>Thread-safe.
 */
final class TransactionStateManager {

    /** What a step answers, and whether markers are to be written once its record is held. */
    record Step<R>(R response, boolean writesMarkers) {
    }

    /** Decides a step under the id's monitor; {@code pending} receives the metadata whose step it began. */
    @FunctionalInterface
    interface Decision<R> {
        CoordinatorResult<Step<R>> decide(TransactionCoordinatorShard shard, AtomicReference<TransactionMetadata> pending);
    }

    private final PartitionManager partitions;
    private final Clock clock;
    private final CoordinatorRuntime<TransactionCoordinatorShard> runtime;

    /** @param onLoaded told, with the partition, once a partition of {@code __transaction_state} is loaded */
    TransactionStateManager(TransactionCoordinatorConfig config, TopicManager topics, PartitionManager partitions,
            Clock clock, IntConsumer onLoaded) {
        this.partitions = partitions;
        this.clock = clock;
        CoordinatorRuntime.TopicSpec topic = new CoordinatorRuntime.TopicSpec(TransactionCoordinator.TRANSACTION_STATE_TOPIC,
                config.topicPartitions(), config.topicReplicationFactor(), Map.of("cleanup.policy", "compact",
                        "segment.bytes", Integer.toString(config.topicSegmentBytes()),
                        "compression.type", "uncompressed"), config.writeTimeoutMs());
        this.runtime = new CoordinatorRuntime<>(topic, topics, partitions,
                (partition, writer) -> new TransactionCoordinatorShard(partition, () -> onLoaded.accept(partition)),
                "tributary-transaction-loader");
    }

    void startup() {
        runtime.startup();
    }

    void close() {
        runtime.close();
    }

    void ensureTopic() {
        runtime.ensureTopic();
    }

    int partitionFor(String transactionalId) {
        return runtime.partitionFor(transactionalId);
    }

    /** NONE, NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS for a partition of {@code __transaction_state}. */
    Errors coordinatorError(int partition) {
        return runtime.coordinatorError(partition);
    }

    Optional<TransactionCoordinatorShard> shard(int partition) {
        return runtime.shard(partition);
    }

    /** The loaded partitions, by index. */
    Map<Integer, TransactionCoordinatorShard> shards() {
        return runtime.shards();
    }

    /** The id's metadata, if its partition is loaded here and knows it. */
    Optional<TransactionMetadata> metadata(String transactionalId) {
        return runtime.shard(partitionFor(transactionalId)).flatMap(shard -> shard.get(transactionalId));
    }

    /** The leader epoch of the coordinator's partition, which markers carry so that stale coordinators are refused. */
    int coordinatorEpoch(int partition) {
        return partitions.partition(new TopicPartition(TransactionCoordinator.TRANSACTION_STATE_TOPIC, partition))
                .map(Partition::leaderEpoch).orElse(0);
    }

    /**
     * Runs a decision on the id's shard and writes its step: the step comes once the record is held
     * and replayed; if the write fails the step is dropped (nothing changed) and the error answered,
     * with no markers to write.
     */
    <R> CompletableFuture<Step<R>> transition(String transactionalId, Decision<R> decision, Function<Errors, R> onError) {
        AtomicReference<TransactionMetadata> pending = new AtomicReference<>();
        return runtime.<Step<R>>scheduleWriteOperation(partitionFor(transactionalId), shard -> decision.decide(shard, pending))
                .handle((step, failure) -> {
                    if (failure == null) {
                        return step;
                    }
                    TransactionMetadata begun = pending.get();
                    if (begun != null) {
                        begun.abandonTransition();
                    }
                    return new Step<>(onError.apply(CoordinatorException.errorOf(failure)), false);
                });
    }

    /** A decision that writes nothing and answers at once. */
    static <R> CoordinatorResult<Step<R>> answer(R response) {
        return CoordinatorResult.answer(new Step<>(response, false));
    }

    /** A decision that moves the id to {@code next}: marks the step pending and returns its record. */
    <R> CoordinatorResult<Step<R>> step(TransactionMetadata metadata, TransactionSnapshot next,
            AtomicReference<TransactionMetadata> pending, R response, boolean writesMarkers) {
        metadata.beginTransition(next);
        pending.set(metadata);
        return CoordinatorResult.of(List.of(TransactionRecords.record(metadata.transactionalId, next, clock.millis())),
                new Step<>(response, writesMarkers));
    }
}
