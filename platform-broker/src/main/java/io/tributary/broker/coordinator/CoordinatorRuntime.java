package io.tributary.broker.coordinator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import io.tributary.broker.log.LogSlice;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.ProducerStateException;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a coordinator on the partitions of its compacted topic, as Kafka's {@code CoordinatorRuntime}
 * does: one {@link CoordinatorShard} per partition this broker leads, built by replaying the
 * partition, and changed only by replaying the records of writes once the in-sync replicas hold them.
 * It knows nothing of what the records mean: the group coordinator runs on it, and so can others.
 *
 * <p>In a cluster a partition's shard lives on its leader: when this broker becomes leader of one it
 * replays the partition into a new shard (answering COORDINATOR_LOAD_IN_PROGRESS meanwhile), and when
 * it stops leading it drops the shard (NOT_COORDINATOR, so clients look for the new coordinator). On
 * a single node every partition's shard is loaded at start-up.
 *
 * <p>A write ({@link #scheduleWriteOperation}) runs its operation and appends the records on the
 * calling thread, never waiting there: the answer comes when the in-sync replicas hold the records
 * (acks=all; at once on a single node), on whichever thread sees that, after they were replayed. So
 * whatever a coordinator shows, the next one knows too. Loading and unloading run one at a time on
 * the loader thread.
 *
 * @param <S> the shard's type
 */
public final class CoordinatorRuntime<S extends CoordinatorShard> {

    /** Creates the shard of a partition; its {@code writer} writes through that partition for it. */
    @FunctionalInterface
    public interface ShardFactory<S> {
        S create(int partition, CoordinatorWriter writer);
    }

    /**
     * The coordinator's topic, as Kafka's {@code offsets.topic.*} settings describe it.
     *
     * @param partitions        partitions it is created with (and assumed until it exists)
     * @param replicationFactor in a cluster, capped by the brokers live when it is created
     * @param configs           its topic configs (a coordinator's topic is compacted)
     * @param writeTimeoutMs    how long a write waits for the in-sync replicas
     */
    public record TopicSpec(String name, int partitions, int replicationFactor, Map<String, String> configs,
            long writeTimeoutMs) {
    }

    private static final Logger log = LoggerFactory.getLogger(CoordinatorRuntime.class);

    private final TopicSpec topic;
    private final TopicManager topics;
    private final PartitionManager partitions;
    private final ShardFactory<S> factory;
    private final String loaderThreadName;
    private volatile int partitionCount;
    /** Whether the topic is replicated over a cluster, so that leaderships come and go. */
    private volatile boolean replicated;
    /** The shard of each partition this broker coordinates or is loading. */
    private final Map<Integer, Context> contexts = new ConcurrentHashMap<>();
    private ExecutorService loader;

    public CoordinatorRuntime(TopicSpec topic, TopicManager topics, PartitionManager partitions, ShardFactory<S> factory,
            String loaderThreadName) {
        this.topic = topic;
        this.topics = topics;
        this.partitions = partitions;
        this.factory = factory;
        this.loaderThreadName = loaderThreadName;
        this.partitionCount = topic.partitions();
    }

    /** One partition's shard, the leader epoch it was loaded in, and whether it serves yet; writes on its behalf. */
    private final class Context implements CoordinatorWriter {
        final int partition;
        final int epoch;
        S shard;
        volatile boolean active;

        Context(int partition, int epoch) {
            this.partition = partition;
            this.epoch = epoch;
        }

        @Override
        public <T> CompletableFuture<T> write(CoordinatorResult<T> result) {
            return CoordinatorRuntime.this.write(this, result);
        }
    }

    // ---------------------------------------------------------------- start-up, leaderships, loading

    /** Loads every partition (single node), or follows this broker's leaderships of them (cluster). */
    public void startup() {
        Optional<TopicInfo> info = topics.store().topic(topic.name());
        partitionCount = info.map(TopicInfo::partitionCount).orElse(topic.partitions());
        replicated = topics.store().isReplicated();
        partitions.onTransactionMarker((tp, producerId, result, offset) -> {
            if (tp.topic().equals(topic.name())) {
                onTransactionMarkerHeld(tp.partition(), producerId, result, offset);
            }
        });
        if (replicated) {
            startFollowingLeaderships();
        } else {
            loadAll(info.isPresent());
        }
    }

    /** Stops loading. */
    public void close() {
        if (loader != null) {
            loader.shutdownNow();
        }
    }

    private void startFollowingLeaderships() {
        loader = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, loaderThreadName);
            thread.setDaemon(true);
            return thread;
        });
        partitions.onLeadershipChange(tp -> {
            if (tp.topic().equals(topic.name()) && !loader.isShutdown()) { // once closed, leaderships no longer matter
                loader.execute(() -> followLeadership(tp.partition()));
            }
        });
        // The partitions opened before this runtime existed told nobody.
        for (int index = 0; index < partitionCount; index++) {
            int partition = index;
            loader.execute(() -> followLeadership(partition));
        }
    }

    /** On the loader thread: loads or drops the shard of a partition as its leadership now is. */
    private void followLeadership(int index) {
        try {
            topics.store().topic(topic.name()).ifPresent(info -> partitionCount = info.partitionCount());
            Optional<Partition> partition = partitions.partition(new TopicPartition(topic.name(), index));
            if (partition.isPresent() && partition.get().isLeader()) {
                int epoch = partition.get().leaderEpoch();
                Context current = contexts.get(index);
                if (current == null || !current.active || current.epoch != epoch) {
                    load(index, partition.get(), epoch);
                }
            } else if (contexts.containsKey(index)) {
                unload(index);
            }
        } catch (RuntimeException e) {
            log.warn("{}-{}: loading or unloading its shard failed: {}", topic.name(), index, e.toString());
        }
    }

    private void load(int index, Partition partition, int epoch) {
        unload(index); // whatever is left from an earlier leadership may be stale
        long started = System.nanoTime();
        Context context = open(index, epoch);
        int records = replay(partition.log(), context.shard);
        context.shard.onLoaded();
        if (partition.isLeader() && partition.leaderEpoch() == epoch) {
            context.active = true;
            log.info("Coordinating {}-{} ({}) in leader epoch {}: loaded from {} records in {} ms", topic.name(), index,
                    context.shard, epoch, records, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } else {
            unload(index); // the leadership moved on while loading; its own task follows
        }
    }

    /** A new shard for the partition; from now on it is the one written for, though it serves only once active. */
    private Context open(int index, int epoch) {
        Context context = new Context(index, epoch);
        context.shard = factory.create(index, context);
        contexts.put(index, context);
        return context;
    }

    /** Drops the shard of a partition this broker no longer leads; its clients look for the new coordinator. */
    private void unload(int index) {
        Context context = contexts.remove(index);
        if (context != null) {
            context.active = false;
            context.shard.onUnloaded();
            log.info("No longer coordinating {}-{} ({})", topic.name(), index, context.shard);
        }
    }

    private void loadAll(boolean topicExists) {
        long started = System.nanoTime();
        int records = 0;
        List<Context> loaded = new ArrayList<>();
        for (int index = 0; index < partitionCount; index++) {
            Context context = open(index, -1);
            if (topicExists) {
                records += partitions.partition(new TopicPartition(topic.name(), index))
                        .map(p -> replay(p.log(), context.shard)).orElse(0);
            }
            loaded.add(context);
        }
        for (Context context : loaded) {
            context.shard.onLoaded();
            context.active = true;
        }
        log.info("Loaded the {} partitions of {} from {} records in {} ms", partitionCount, topic.name(), records,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Replays a partition's log into a shard: a load is the same replay as after each write. */
    private int replay(PartitionLog partitionLog, S shard) {
        int count = 0;
        long next = partitionLog.logStartOffset();
        while (next < partitionLog.logEndOffset()) {
            LogSlice slice = partitionLog.read(next, 1024 * 1024, Long.MAX_VALUE, true).slice();
            if (slice.isEmpty()) {
                break;
            }
            for (RecordBatch batch : slice.toMemoryRecords().batches()) {
                for (Record record : batch) {
                    if (record.offset() < next) {
                        continue;
                    }
                    if (batch.isControlBatch()) {
                        replayControl(shard, batch, record);
                    } else if (record.hasKey() && batch.isTransactional()) {
                        shard.replayTransactional(record.key(), record.hasValue() ? record.value() : null, record.offset(),
                                batch.producerId());
                    } else if (record.hasKey()) {
                        shard.replay(record.key(), record.hasValue() ? record.value() : null, record.offset());
                    }
                    count++;
                }
                next = batch.nextOffset();
            }
        }
        return count;
    }

    private static void replayControl(CoordinatorShard shard, RecordBatch batch, Record record) {
        ControlRecordType type = ControlRecordType.parse(record.key());
        if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
            shard.replayEndTransaction(batch.producerId(),
                    type == ControlRecordType.COMMIT ? TransactionResult.COMMIT : TransactionResult.ABORT, record.offset());
        }
    }

    /**
     * A transaction marker the in-sync replicas of one of the topic's partitions now hold: the
     * transaction's records on that partition take effect, or are dropped, in the shard that serves it
     * (a shard loaded later finds the marker in the log).
     */
    public void onTransactionMarkerHeld(int index, long producerId, TransactionResult result, long offset) {
        Context context = contexts.get(index);
        if (context != null && context.active) {
            context.shard.replayEndTransaction(producerId, result, offset);
        }
    }

    // ---------------------------------------------------------------- what the coordinator asks

    /** The partition of the topic that holds {@code key} (a group id): its hash, as Kafka does. */
    public int partitionFor(String key) {
        return Utils.abs(key.hashCode()) % partitionCount;
    }

    /** Whether this broker coordinates the partition now: NONE, NOT_COORDINATOR or COORDINATOR_LOAD_IN_PROGRESS. */
    public Errors coordinatorError(int index) {
        if (!replicated) {
            return Errors.NONE;
        }
        Partition partition = partitions.partition(new TopicPartition(topic.name(), index)).orElse(null);
        if (partition == null || !partition.isLeader()) {
            return Errors.NOT_COORDINATOR;
        }
        Context context = contexts.get(index);
        return context != null && context.active && context.epoch == partition.leaderEpoch() ? Errors.NONE
                : Errors.COORDINATOR_LOAD_IN_PROGRESS;
    }

    /** The serving shard of a partition, if this broker has one. */
    public Optional<S> shard(int index) {
        Context context = contexts.get(index);
        return context != null && context.active ? Optional.of(context.shard) : Optional.empty();
    }

    /** The serving shards, with their partitions. */
    public Map<Integer, S> shards() {
        Map<Integer, S> shards = new java.util.TreeMap<>();
        contexts.forEach((index, context) -> {
            if (context.active) {
                shards.put(index, context.shard);
            }
        });
        return shards;
    }

    /**
     * Runs {@code operation} on the partition's shard and writes what it produced: the future completes
     * with the response once the in-sync replicas hold the records and they were replayed, or
     * exceptionally with a {@link CoordinatorException} (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
     * COORDINATOR_NOT_AVAILABLE, or the operation's own) with nothing replayed.
     */
    public <T> CompletableFuture<T> scheduleWriteOperation(int index, Function<S, CoordinatorResult<T>> operation) {
        Errors notHere = coordinatorError(index);
        Context context = contexts.get(index);
        if (notHere == Errors.NONE && (context == null || !context.active)) {
            notHere = Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (notHere != Errors.NONE) {
            return CompletableFuture.failedFuture(new CoordinatorException(notHere,
                    "This broker does not coordinate " + topic.name() + "-" + index + " now"));
        }
        CoordinatorResult<T> result;
        try {
            result = operation.apply(context.shard);
        } catch (CoordinatorException e) {
            return CompletableFuture.failedFuture(e);
        }
        return write(context, result);
    }

    private <T> CompletableFuture<T> write(Context context, CoordinatorResult<T> result) {
        if (result.records().isEmpty()) {
            return CompletableFuture.completedFuture(result.response());
        }
        Partition.ProduceOutcome outcome;
        try {
            if (contexts.get(context.partition) != context) {
                throw new CoordinatorException(Errors.NOT_COORDINATOR, "This broker no longer coordinates "
                        + topic.name() + "-" + context.partition);
            }
            outcome = append(context.partition, result);
        } catch (CoordinatorException e) {
            return CompletableFuture.failedFuture(e);
        }
        return replication(context.partition, outcome).thenApply(error -> {
            if (error != Errors.NONE) {
                throw new CoordinatorException(error, "The in-sync replicas of " + topic.name() + "-" + context.partition
                        + " did not take the change");
            }
            // A shard dropped meanwhile is not replayed into: the records are held, and the next load has them.
            if (result.replayRecords() && contexts.get(context.partition) == context) {
                List<SimpleRecord> records = result.records();
                for (int i = 0; i < records.size(); i++) {
                    ByteBuffer key = records.get(i).key().duplicate();
                    ByteBuffer value = records.get(i).value() == null ? null : records.get(i).value().duplicate();
                    if (result.isTransactional()) {
                        context.shard.replayTransactional(key, value, outcome.baseOffset() + i, result.producer().producerId());
                    } else {
                        context.shard.replay(key, value, outcome.baseOffset() + i);
                    }
                }
            }
            return result.response();
        });
    }

    // ---------------------------------------------------------------- the topic

    /** Creates the compacted topic if it does not exist yet (as Kafka does, when it is first needed). */
    public void ensureTopic() {
        if (topics.store().topic(topic.name()).isPresent()) {
            return;
        }
        synchronized (this) {
            if (topics.store().topic(topic.name()).isEmpty()) {
                // A cluster that is still coming up gets what its live brokers can hold rather than no coordinator at all.
                int replicationFactor = topics.store().isReplicated()
                        ? Math.max(1, Math.min(topic.replicationFactor(), topics.store().liveBrokers().size()))
                        : 1;
                try {
                    topics.createTopic(topic.name(), partitionCount, replicationFactor, topic.configs(), false);
                } catch (MetadataException e) {
                    if (e.error() != Errors.TOPIC_ALREADY_EXISTS) {
                        throw e;
                    }
                }
            }
        }
    }

    private Partition partition(int index) {
        ensureTopic();
        return partitions.partition(new TopicPartition(topic.name(), index))
                .orElseThrow(() -> new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, topic.name() + " is missing"));
    }

    /** Appends a result's records to a partition as its leader: a transaction's as a batch of its producer. */
    private Partition.ProduceOutcome append(int index, CoordinatorResult<?> result) {
        Partition partition = partition(index);
        if (replicated && partition.inSyncReplicas().size() < minInsyncReplicas()) {
            throw new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, "Too few in-sync replicas of "
                    + partition.topicPartition() + " to store the change");
        }
        try {
            SimpleRecord[] records = result.records().toArray(SimpleRecord[]::new);
            if (!result.isTransactional()) {
                return partition.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, records));
            }
            // As Kafka's coordinators do, every batch starts at sequence 0, which is not checked: the coordinator
            // is the only writer of its batches, and never retries one.
            return partition.appendAsCoordinator(MemoryRecords.withTransactionalRecords(Compression.NONE,
                    result.producer().producerId(), result.producer().producerEpoch(), 0, records));
        } catch (ProducerStateException e) {
            throw new CoordinatorException(e.error(), e.getMessage());
        } catch (NotLeaderOrFollowerException e) {
            throw new CoordinatorException(Errors.NOT_COORDINATOR, "This broker no longer leads " + partition.topicPartition());
        } catch (RuntimeException e) {
            log.warn("Writing to {} failed: {}", partition.topicPartition(), e.toString());
            throw new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, "The coordinator could not store the change");
        }
    }

    private int minInsyncReplicas() {
        return topics.store().topic(topic.name()).map(info -> topics.configs().minInsyncReplicas(info.configs())).orElse(1);
    }

    /**
     * Completes once the in-sync replicas hold what was appended (acks=all), with the error to answer;
     * at once on a single node, where this broker is the only replica.
     */
    private CompletableFuture<Errors> replication(int index, Partition.ProduceOutcome outcome) {
        if (!replicated) {
            return CompletableFuture.completedFuture(Errors.NONE);
        }
        return partitions.awaitReplication(partition(index), outcome.lastOffset(), minInsyncReplicas(),
                topic.writeTimeoutMs()).thenApply(CoordinatorRuntime::storeError);
    }

    /** As Kafka's coordinator maps the errors of its own appends to what its clients understand. */
    static Errors storeError(Errors error) {
        return switch (error) {
            case NONE -> Errors.NONE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            default -> Errors.COORDINATOR_NOT_AVAILABLE;
        };
    }
}
