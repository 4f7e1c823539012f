package io.tributary.broker.partition;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.log.LogOfflineException;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every partition this broker serves, keyed by topic-partition, and the long-polling fetches
 * waiting on them.
 *
 * <p>Thread-safe.
 */
public final class PartitionManager implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(PartitionManager.class);

    /** Milliseconds of a clock that never goes back, for replica lag. */
    static final LongSupplier MONOTONIC_MS = () -> System.nanoTime() / 1_000_000;

    private final int nodeId;
    private final LogManager logManager;
    private volatile IsrChannel isrChannel = IsrChannel.NONE;
    private final ScheduledExecutorService scheduler;
    private volatile ReplicationThrottles throttles = ReplicationThrottles.unlimited();
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final AtomicInteger delayedFetches = new AtomicInteger();
    private final List<Consumer<TopicPartition>> leadershipListeners = new CopyOnWriteArrayList<>();
    private final List<TransactionMarkerListener> markerListeners = new CopyOnWriteArrayList<>();
    private volatile ToIntFunction<String> minInsyncReplicas = topic -> 1;

    /**
     * @param scheduler times out waiting fetches and snapshots producer state
     */
    public PartitionManager(int nodeId, LogManager logManager, ScheduledExecutorService scheduler,
            long producerSnapshotIntervalMs) {
        this(nodeId, logManager, scheduler, producerSnapshotIntervalMs, 30_000);
    }

    /**
     * @param replicaLagTimeMaxMs a follower that has not caught up with its leader for this long
     *                            leaves the ISR ({@code replica.lag.time.max.ms})
     */
    public PartitionManager(int nodeId, LogManager logManager, ScheduledExecutorService scheduler,
            long producerSnapshotIntervalMs, long replicaLagTimeMaxMs) {
        this.nodeId = nodeId;
        this.logManager = logManager;
        this.scheduler = scheduler;
        scheduler.scheduleWithFixedDelay(this::snapshotProducerStates, producerSnapshotIntervalMs,
                producerSnapshotIntervalMs, TimeUnit.MILLISECONDS);
        long shrinkCheckMs = Math.max(1, replicaLagTimeMaxMs / 2);
        scheduler.scheduleWithFixedDelay(() -> shrinkIsrs(replicaLagTimeMaxMs), shrinkCheckMs, shrinkCheckMs,
                TimeUnit.MILLISECONDS);
    }

    /** Where leaders propose ISR changes: the cluster metadata, in a cluster. */
    public void isrChannel(IsrChannel channel) {
        this.isrChannel = channel;
        partitions.values().forEach(partition -> partition.isrChannel(channel));
    }

    /**
     * Registers {@code listener} to be told of every partition whose replica here was opened,
     * removed, or changed leader or leader epoch as the cluster metadata decided; it then looks at
     * the partition itself. Called on the thread applying the metadata, so it must not block.
     */
    public void onLeadershipChange(Consumer<TopicPartition> listener) {
        leadershipListeners.add(listener);
    }

    /** Told of a transaction marker that the in-sync replicas of a partition led here now hold. */
    @FunctionalInterface
    public interface TransactionMarkerListener {
        void markerHeld(TopicPartition tp, long producerId, TransactionResult result, long offset);
    }

    /**
     * Registers {@code listener} to be told of every transaction marker written here as leader once the
     * in-sync replicas hold it: a coordinator whose own partitions take part in transactions (the
     * group coordinator's, for TxnOffsetCommit) applies its markers then. Must not block.
     */
    public void onTransactionMarker(TransactionMarkerListener listener) {
        markerListeners.add(listener);
    }

    void transactionMarkerHeld(TopicPartition tp, long producerId, TransactionResult result, long offset) {
        for (TransactionMarkerListener listener : markerListeners) {
            try {
                listener.markerHeld(tp, producerId, result, offset);
            } catch (RuntimeException e) {
                log.warn("{}: a transaction marker listener failed: {}", tp, e.toString());
            }
        }
    }

    private void leadershipChanged(TopicPartition tp) {
        for (Consumer<TopicPartition> listener : leadershipListeners) {
            try {
                listener.accept(tp);
            } catch (RuntimeException e) {
                log.warn("{}: a leadership listener failed: {}", tp, e.toString());
            }
        }
    }

    private void shrinkIsrs(long replicaLagTimeMaxMs) {
        for (Partition partition : partitions.values()) {
            try {
                partition.maybeShrinkIsr(replicaLagTimeMaxMs);
            } catch (RuntimeException e) {
                log.warn("{}: ISR check failed: {}", partition.topicPartition(), e.toString());
            }
        }
    }

    public int nodeId() {
        return nodeId;
    }

    public Optional<Partition> partition(TopicPartition topicPartition) {
        return Optional.ofNullable(partitions.get(topicPartition));
    }

    public Collection<Partition> partitions() {
        return List.copyOf(partitions.values());
    }

    /** Starts leading the partitions {@code from..to-1} of {@code topic}, creating their logs if needed. */
    void lead(TopicInfo topic, int from, int to) {
        for (int index = from; index < to; index++) {
            TopicPartition topicPartition = new TopicPartition(topic.name(), index);
            partitions.computeIfAbsent(topicPartition, tp -> {
                PartitionLog partitionLog = logManager.getOrCreateLog(tp);
                try {
                    return Partition.lead(tp, topic.id(), partitionLog, 0, nodeId);
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not load the producer state of " + tp, e);
                }
            });
        }
    }

    /**
     * Makes the replicas on this broker those of {@code wanted}: opens the missing ones, moves the
     * others to their leader epoch and role, and removes every other partition and log (a topic
     * deleted, or recreated under a new id, or a replica moved away). Only call it with metadata
     * that is caught up, or logs of topics not yet replayed would be deleted.
     */
    public synchronized void reconcile(Map<TopicPartition, LocalReplica> wanted) {
        for (PartitionLog existing : logManager.logs()) {
            TopicPartition tp = existing.topicPartition();
            LocalReplica replica = wanted.get(tp);
            Partition partition = partitions.get(tp);
            boolean stale = partition != null && replica != null && !partition.topicId().equals(replica.topic().id());
            if (replica == null || stale) {
                removeReplica(tp);
            }
        }
        for (Map.Entry<TopicPartition, LocalReplica> entry : wanted.entrySet()) {
            TopicPartition tp = entry.getKey();
            LocalReplica replica = entry.getValue();
            Partition partition = partitions.get(tp);
            if (partition == null) {
                PartitionLog partitionLog = logManager.getOrCreateLog(tp);
                partitionLog.updateConfig(replica.config());
                var state = replica.state();
                try {
                    partition = Partition.open(tp, replica.topic().id(), partitionLog, nodeId, state.leaderEpoch(),
                            state.leader(), state.replicas(), state.isr(), MONOTONIC_MS);
                } catch (IOException e) {
                    throw new UncheckedIOException("Could not load the producer state of " + tp, e);
                }
                partition.isrChannel(isrChannel);
                partition.addingReplicas(state.adding());
                partitions.put(tp, partition);
                log.info("{}: replica opened as {} in leader epoch {}", tp, replica.leads(nodeId) ? "leader" : "follower",
                        replica.leaderEpoch());
                leadershipChanged(tp);
            } else {
                if (!partition.log().config().equals(replica.config())) {
                    partition.log().updateConfig(replica.config());
                }
                var state = replica.state();
                partition.addingReplicas(state.adding());
                if (partition.become(state.leader(), state.leaderEpoch(), state.replicas(), state.isr())) {
                    leadershipChanged(tp);
                }
            }
        }
    }

    private void removeReplica(TopicPartition tp) {
        Partition removed = partitions.remove(tp);
        if (removed != null) {
            removed.removed();
        }
        try {
            logManager.deleteLog(tp);
        } catch (IOException e) {
            log.warn("{}: could not delete the log of a removed replica: {}", tp, e.toString());
        }
        log.info("{}: replica removed", tp);
        leadershipChanged(tp);
    }

    /** Stops serving a topic's partitions and deletes their logs. */
    void remove(TopicInfo topic) throws IOException {
        for (int index = 0; index < topic.partitionCount(); index++) {
            TopicPartition topicPartition = new TopicPartition(topic.name(), index);
            Partition removed = partitions.remove(topicPartition);
            if (removed != null) {
                removed.removed(); // fetches answer UNKNOWN_TOPIC_OR_PARTITION now
            }
            logManager.deleteLog(topicPartition);
        }
    }

    /**
     * Reads the partitions for a fetch, waiting up to {@code maxWaitMs} for {@code minBytes} to
     * arrive.
     *
     * @param replicaId the follower fetching, which reads up to the log end and whose fetch offsets
     *                  tell the leader where its log ends; -1 for a consumer, which reads up to the high
     *                  watermark
     */
    public CompletableFuture<List<FetchResultPartition>> fetch(List<FetchRequestPartition> requests, int minBytes,
            int maxBytes, int maxWaitMs, int replicaId) {
        return fetch(requests, minBytes, maxBytes, maxWaitMs, replicaId, true);
    }

    /**
     * As {@link #fetch(List, int, int, int, int)}; with {@code leaderOnly} false a consumer reads
     * from this broker's followers as well, up to their high watermark (KIP-392).
     */
    public CompletableFuture<List<FetchResultPartition>> fetch(List<FetchRequestPartition> requests, int minBytes,
            int maxBytes, int maxWaitMs, int replicaId, boolean leaderOnly) {
        return fetch(requests, minBytes, maxBytes, maxWaitMs, replicaId, InSyncReplicas.UNKNOWN_BROKER_EPOCH, leaderOnly);
    }

    /**
     * As {@link #fetch(List, int, int, int, int, boolean)}, the follower's fetch telling its broker epoch
     * {@code replicaEpoch} (Kafka's ReplicaState.ReplicaEpoch, -1 when not sent), which its leader proposes
     * with it for the ISR (KIP-903).
     */
    public CompletableFuture<List<FetchResultPartition>> fetch(List<FetchRequestPartition> requests, int minBytes,
            int maxBytes, int maxWaitMs, int replicaId, long replicaEpoch, boolean leaderOnly) {
        return fetch(requests, minBytes, maxBytes, maxWaitMs, replicaId, replicaEpoch, leaderOnly, false);
    }

    /**
     * As {@link #fetch(List, int, int, int, int, long, boolean)}; with {@code readCommitted} a consumer
     * reads up to the last stable offset and is told the aborted transactions in what it read.
     */
    public CompletableFuture<List<FetchResultPartition>> fetch(List<FetchRequestPartition> requests, int minBytes,
            int maxBytes, int maxWaitMs, int replicaId, long replicaEpoch, boolean leaderOnly, boolean readCommitted) {
        boolean toLogEnd = replicaId >= 0;
        if (toLogEnd) {
            for (FetchRequestPartition request : requests) {
                // Only a fetch in this leader's epoch says where the follower's log ends in agreement with it.
                partition(request.topicPartition())
                        .filter(p -> p.checkLeaderEpoch(request.currentLeaderEpoch()) == Errors.NONE)
                        .ifPresent(p -> p.followerFetched(replicaId, request.fetchOffset(), replicaEpoch));
            }
        }
        DelayedFetch fetch = new DelayedFetch(this, requests, minBytes, maxBytes, toLogEnd, leaderOnly || toLogEnd,
                replicaId, throttles, readCommitted);
        if (maxWaitMs <= 0 || minBytes <= 0 || fetch.tryComplete()) {
            fetch.forceComplete();
            return fetch.future();
        }
        for (FetchRequestPartition request : requests) {
            partition(request.topicPartition()).ifPresent(partition -> partition.addWaitingFetch(fetch));
        }
        // Data may have arrived between the first check and the registration.
        if (!fetch.tryComplete()) {
            delayedFetches.incrementAndGet();
            fetch.future().whenComplete((results, failure) -> delayedFetches.decrementAndGet());
            fetch.setTimeout(scheduler.schedule(fetch::forceComplete, maxWaitMs, TimeUnit.MILLISECONDS));
        }
        return fetch.future();
    }

    /** How replication of moving and catching-up replicas is limited; unlimited by default. */
    public ReplicationThrottles throttles() {
        return throttles;
    }

    /** Replaces the limits; the partitions throttled so far stay throttled under the new ones. */
    public void throttles(ReplicationThrottles throttles) {
        ReplicationThrottles previous = this.throttles;
        throttles.throttle(previous.leaderThrottled(), previous.followerThrottled());
        this.throttles = throttles;
    }

    /**
     * Waits until every in-sync replica of {@code partition} holds {@code lastOffset} (acks=all), or
     * until {@code timeoutMs}; completes with the produce's error.
     */
    public CompletableFuture<Errors> awaitReplication(Partition partition,
            long lastOffset, int minInsyncReplicas, long timeoutMs) {
        return partition.awaitReplication(lastOffset, minInsyncReplicas, timeoutMs, scheduler);
    }

    /** How long a transaction marker waits for its replication, as Kafka's request.timeout.ms default. */
    static final long TXN_MARKER_TIMEOUT_MS = 30_000;

    /** Where {@link #appendTxnMarker} finds a topic's {@code min.insync.replicas}; the TopicManager sets it. */
    void minInsyncReplicas(ToIntFunction<String> byTopic) {
        this.minInsyncReplicas = byTopic;
    }

    /**
     * Writes a transaction marker (WriteTxnMarkers) to {@code tp}, led here, and completes once every
     * in-sync replica holds it, as a produce with acks=all: NONE then; NOT_LEADER_OR_FOLLOWER or
     * UNKNOWN_TOPIC_OR_PARTITION when this broker cannot write it; NOT_ENOUGH_REPLICAS when the ISR is
     * below {@code min.insync.replicas}; INVALID_PRODUCER_EPOCH or TRANSACTION_COORDINATOR_FENCED for a
     * stale marker; REQUEST_TIMED_OUT when replication took too long.
     */
    public CompletableFuture<Errors> appendTxnMarker(TopicPartition tp, long producerId, short producerEpoch,
            int coordinatorEpoch, TransactionResult result) {
        Partition partition = partitions.get(tp);
        if (partition == null) {
            return CompletableFuture.completedFuture(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        int minInsync = minInsyncReplicas.applyAsInt(tp.topic());
        if (partition.isLeader() && partition.inSyncReplicas().size() < minInsync) {
            return CompletableFuture.completedFuture(Errors.NOT_ENOUGH_REPLICAS);
        }
        Partition.ProduceOutcome outcome;
        try {
            outcome = partition.appendTxnMarkerAsLeader(producerId, producerEpoch, coordinatorEpoch, result);
        } catch (NotLeaderOrFollowerException e) {
            return CompletableFuture.completedFuture(Errors.NOT_LEADER_OR_FOLLOWER);
        } catch (ProducerStateException e) {
            return CompletableFuture.completedFuture(e.error());
        } catch (LogOfflineException e) {
            return CompletableFuture.completedFuture(Errors.KAFKA_STORAGE_ERROR);
        } catch (RuntimeException e) {
            log.warn("{}: could not write the transaction marker of producer {}: {}", tp, producerId, e.toString());
            return CompletableFuture.completedFuture(Errors.UNKNOWN_SERVER_ERROR);
        }
        return awaitReplication(partition, outcome.lastOffset(), minInsync, TXN_MARKER_TIMEOUT_MS).thenApply(error -> {
            if (error == Errors.NONE) {
                transactionMarkerHeld(tp, producerId, result, outcome.lastOffset());
            }
            return error;
        });
    }

    /** acks=all produces waiting for the ISR (Kafka's delayed produce purgatory size). */
    public int delayedProduceCount() {
        int count = 0;
        for (Partition partition : partitions.values()) {
            count += partition.waitingProduceCount();
        }
        return count;
    }

    /** Fetches waiting for data (Kafka's delayed fetch purgatory size). */
    public int delayedFetchCount() {
        return delayedFetches.get();
    }

    void unregister(DelayedFetch fetch) {
        for (FetchRequestPartition request : fetch.requests()) {
            Partition partition = partitions.get(request.topicPartition());
            if (partition != null) {
                partition.removeWaitingFetch(fetch);
            }
        }
    }

    private void snapshotProducerStates() {
        for (Partition partition : partitions.values()) {
            try {
                partition.snapshotProducerState();
            } catch (RuntimeException e) {
                log.warn("{}: producer state snapshot failed: {}", partition.topicPartition(), e.toString());
            }
        }
    }

    /** Snapshots the producer state of every partition so that a restart needs no log scan. */
    @Override
    public void close() {
        snapshotProducerStates();
        partitions.clear();
    }
}
