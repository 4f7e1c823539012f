package io.tributary.broker.share.coordinator;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorRuntime;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import io.tributary.broker.share.persister.SharePartitionState;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share coordinator (Kafka's {@code ShareCoordinatorService}): keeps each share-partition's state in
 * the compacted {@code __share_group_state} topic, on a {@link CoordinatorRuntime} whose shards
 * ({@link ShareCoordinatorShard}) are the partitions this broker leads. A key
 * {@code groupId:topicId:partition} belongs to the partition its hash chooses, as in Kafka, so that
 * FindCoordinator's SHARE key type names the broker that leads it.
 *
 * <p>Every operation answers on this broker only: NOT_COORDINATOR (or COORDINATOR_LOAD_IN_PROGRESS)
 * where another broker leads the key's partition; the {@link ShareCoordinatorPersister} goes there.
 * Futures fail with a {@link CoordinatorException} carrying Kafka's error.
 *
 * <p>Thread-safe. The writes of one partition are decided and appended under one lock, so that records
 * come in the order their fencing was decided in.
 */
public final class ShareCoordinator {

    public static final String STATE_TOPIC = "__share_group_state";

    private final TopicManager topics;
    private final CoordinatorRuntime<ShareCoordinatorShard> runtime;
    private final Map<Integer, Object> partitionLocks = new ConcurrentHashMap<>();

    public ShareCoordinator(ShareCoordinatorConfig config, TopicManager topics, PartitionManager partitions, Clock clock) {
        this.topics = topics;
        // As Kafka's share coordinator creates it: compacted, uncompressed records of the coordinator's own format.
        CoordinatorRuntime.TopicSpec topic = new CoordinatorRuntime.TopicSpec(STATE_TOPIC, config.topicPartitions(),
                config.topicReplicationFactor(), Map.of("cleanup.policy", "compact",
                        "segment.bytes", Integer.toString(config.topicSegmentBytes()),
                        "compression.type", "uncompressed"), config.writeTimeoutMs());
        this.runtime = new CoordinatorRuntime<>(topic, topics, partitions,
                (partition, writer) -> new ShareCoordinatorShard(partition, clock::millis), "tributary-share-state-loader");
    }

    public void startup() {
        runtime.startup();
    }

    public void close() {
        runtime.close();
    }

    /** Creates {@code __share_group_state} if it does not exist yet, as Kafka does when it is first needed. */
    public void ensureTopic() {
        runtime.ensureTopic();
    }

    /** The partition of {@code __share_group_state} that holds the key: {@code abs(hash(groupId:topicId:partition)) % partitions}. */
    public int partitionFor(SharePartitionKey key) {
        return runtime.partitionFor(key.asCoordinatorKey());
    }

    /** The same, for a FindCoordinator SHARE key string as it comes. */
    public int partitionFor(String coordinatorKey) {
        return runtime.partitionFor(coordinatorKey);
    }

    /** NONE, NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS for a partition of {@code __share_group_state}. */
    public Errors coordinatorError(int partition) {
        return runtime.coordinatorError(partition);
    }

    /**
     * The key's state for a share-partition leader of {@code leaderEpoch} (-1: any), as held now: empty
     * when none was ever written, it was deleted, or it is not initialized (start offset -1, nothing in
     * flight). A newer leader's epoch is written, so that the leader it replaced is fenced from now on.
     */
    public CompletableFuture<Optional<SharePartitionState>> read(SharePartitionKey key, int leaderEpoch) {
        return decide(key, true, shard -> shard.read(key, leaderEpoch))
                .thenApply(state -> state.filter(ShareCoordinatorShard::isInitialized));
    }

    /** The key's state without recording the reader's epoch (ReadShareGroupStateSummary); empty as {@link #read}. */
    public CompletableFuture<Optional<SharePartitionState>> summary(SharePartitionKey key, int leaderEpoch) {
        return decide(key, true, shard -> CoordinatorResult.answer(shard.summary(key, leaderEpoch)))
                .thenApply(state -> state.filter(ShareCoordinatorShard::isInitialized));
    }

    /** Replaces the key's state; completes once the in-sync replicas hold it. */
    public CompletableFuture<Void> write(SharePartitionKey key, SharePartitionState state) {
        return decide(key, true, shard -> shard.write(key, state));
    }

    /** Initializes the key's state with a state epoch and start offset (InitializeShareGroupState). */
    public CompletableFuture<Void> initialize(SharePartitionKey key, int stateEpoch, long startOffset) {
        return decide(key, true, shard -> shard.initialize(key, stateEpoch, startOffset));
    }

    /** Deletes the key's state (its share group was deleted); also for a topic deleted meanwhile. */
    public CompletableFuture<Void> delete(SharePartitionKey key) {
        return decide(key, false, shard -> shard.delete(key));
    }

    /**
     * Runs an operation on the key's shard under its partition's lock, after Kafka's checks of the request:
     * INVALID_REQUEST for a negative partition, UNKNOWN_TOPIC_OR_PARTITION for a share-partition of a
     * topic partition that does not exist.
     */
    private <T> CompletableFuture<T> decide(SharePartitionKey key, boolean topicMustExist,
            Function<ShareCoordinatorShard, CoordinatorResult<T>> operation) {
        if (key.partition() < 0) {
            return CompletableFuture.failedFuture(new CoordinatorException(Errors.INVALID_REQUEST,
                    "The partition of " + key + " is negative"));
        }
        if (topicMustExist && topics.store().topic(key.topicId()).map(TopicInfo::partitionCount)
                .filter(count -> key.partition() < count).isEmpty()) {
            return CompletableFuture.failedFuture(new CoordinatorException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "No partition " + key.partition() + " of topic " + key.topicId()));
        }
        int partition = partitionFor(key);
        synchronized (partitionLocks.computeIfAbsent(partition, index -> new Object())) {
            return runtime.scheduleWriteOperation(partition, operation);
        }
    }
}
