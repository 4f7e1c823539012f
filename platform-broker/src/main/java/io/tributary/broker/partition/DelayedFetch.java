package io.tributary.broker.partition;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import io.tributary.broker.log.AbortedTxn;
import io.tributary.broker.log.LogOfflineException;
import io.tributary.broker.log.LogReadResult;
import io.tributary.broker.log.OffsetOutOfRangeException;
import org.apache.kafka.common.protocol.Errors;

/**
 * A fetch that waits until its partitions hold at least {@code minBytes} for it, or until its
 * maximum wait passes (Kafka's long poll). Appends to its partitions wake it; nothing polls.
 *
 * <p>Thread-safe: appends on any thread may try to complete it; it completes exactly once.
 */
final class DelayedFetch {

    private final PartitionManager partitions;
    private final List<FetchRequestPartition> requests;
    private final int minBytes;
    private final int maxBytes;
    private final boolean toLogEnd;
    private final boolean leaderOnly;
    private final int replicaId;
    private final ReplicationThrottles throttles;
    /** A read_committed consumer reads up to the last stable offset and learns the aborted transactions. */
    private final boolean readCommitted;
    private final CompletableFuture<List<FetchResultPartition>> future = new CompletableFuture<>();
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile ScheduledFuture<?> timeout;

    /**
     * @param toLogEnd read up to the log end (a follower) rather than the high watermark (a consumer)
     */
    DelayedFetch(PartitionManager partitions, List<FetchRequestPartition> requests, int minBytes, int maxBytes,
            boolean toLogEnd) {
        this(partitions, requests, minBytes, maxBytes, toLogEnd, true);
    }

    /** @param leaderOnly whether a follower answers NOT_LEADER_OR_FOLLOWER rather than reading (KIP-392) */
    DelayedFetch(PartitionManager partitions, List<FetchRequestPartition> requests, int minBytes, int maxBytes,
            boolean toLogEnd, boolean leaderOnly) {
        this(partitions, requests, minBytes, maxBytes, toLogEnd, leaderOnly, -1, ReplicationThrottles.unlimited());
    }

    /**
     * @param replicaId  the follower fetching, or -1 for a consumer
     * @param throttles  limits on what a follower outside the ISR is sent
     */
    DelayedFetch(PartitionManager partitions, List<FetchRequestPartition> requests, int minBytes, int maxBytes,
            boolean toLogEnd, boolean leaderOnly, int replicaId, ReplicationThrottles throttles) {
        this(partitions, requests, minBytes, maxBytes, toLogEnd, leaderOnly, replicaId, throttles, false);
    }

    /** @param readCommitted a consumer's isolation level is read_committed (ignored for a follower) */
    DelayedFetch(PartitionManager partitions, List<FetchRequestPartition> requests, int minBytes, int maxBytes,
            boolean toLogEnd, boolean leaderOnly, int replicaId, ReplicationThrottles throttles, boolean readCommitted) {
        this.readCommitted = readCommitted && !toLogEnd;
        this.replicaId = replicaId;
        this.throttles = throttles;
        this.leaderOnly = leaderOnly;
        this.partitions = partitions;
        this.requests = requests;
        this.minBytes = minBytes;
        this.maxBytes = maxBytes;
        this.toLogEnd = toLogEnd;
    }

    CompletableFuture<List<FetchResultPartition>> future() {
        return future;
    }

    List<FetchRequestPartition> requests() {
        return requests;
    }

    void setTimeout(ScheduledFuture<?> timeout) {
        this.timeout = timeout;
        if (completed.get()) {
            timeout.cancel(false);
        }
    }

    /** Completes the fetch if enough data (or an error) is there now; returns whether it is complete. */
    synchronized boolean tryComplete() {
        if (completed.get()) {
            return true;
        }
        List<FetchResultPartition> results = read();
        long bytes = 0;
        boolean anyError = false;
        for (FetchResultPartition result : results) {
            bytes += result.records().sizeInBytes();
            anyError |= result.error() != Errors.NONE;
        }
        if (bytes >= minBytes || anyError) {
            complete(results);
            return true;
        }
        return false;
    }

    /** Completes the fetch with whatever is there: the maximum wait has passed. */
    synchronized void forceComplete() {
        if (!completed.get()) {
            complete(read());
        }
    }

    private void complete(List<FetchResultPartition> results) {
        if (completed.compareAndSet(false, true)) {
            recordThrottled(results);
            partitions.unregister(this);
            ScheduledFuture<?> pending = timeout;
            if (pending != null) {
                pending.cancel(false);
            }
            future.complete(results);
        }
    }

    /**
     * Reads every partition: at most {@code maxBytes} in all and each partition's own maximum, but
     * at least one whole batch from the first partition that has data (KIP-74), so that a batch
     * larger than the limits never blocks a consumer.
     */
    private List<FetchResultPartition> read() {
        List<FetchResultPartition> results = new ArrayList<>(requests.size());
        int remaining = maxBytes;
        boolean minOneBatch = true;
        for (FetchRequestPartition request : requests) {
            Partition partition = partitions.partition(request.topicPartition()).orElse(null);
            if (partition == null) {
                results.add(FetchResultPartition.error(request.topicPartition(), Errors.UNKNOWN_TOPIC_OR_PARTITION, -1, -1));
                continue;
            }
            Errors epochError = partition.checkEpoch(request.currentLeaderEpoch(), leaderOnly);
            var log = partition.log();
            if (epochError != Errors.NONE) {
                results.add(FetchResultPartition.error(request.topicPartition(), epochError, log.highWatermark(),
                        log.logStartOffset()));
                continue;
            }
            if (toLogEnd && throttles.leaderThrottles(partition, replicaId) && throttles.leaderQuotaExceeded()) {
                // Kafka's leader-side throttle: nothing for this replica until the rate allows it.
                results.add(new FetchResultPartition(request.topicPartition(), Errors.NONE,
                        io.tributary.broker.log.LogSlice.EMPTY, log.highWatermark(), log.logStartOffset()));
                continue;
            }
            try {
                long lastStable = partition.lastStableOffset();
                long upper = toLogEnd ? Long.MAX_VALUE : readCommitted ? lastStable : log.highWatermark();
                int limit = Math.max(0, Math.min(request.maxBytes(), remaining));
                LogReadResult read = log.read(request.fetchOffset(), limit, upper, minOneBatch);
                int size = read.slice().sizeInBytes();
                if (size > 0) {
                    minOneBatch = false;
                    remaining -= size;
                }
                List<AbortedTxn> aborted = !readCommitted ? null
                        : size == 0 ? List.of() : log.collectAbortedTransactions(request.fetchOffset(), upper);
                results.add(new FetchResultPartition(request.topicPartition(), Errors.NONE, read.slice(),
                        read.highWatermark(), read.logStartOffset(), lastStable, aborted));
            } catch (OffsetOutOfRangeException e) {
                results.add(FetchResultPartition.error(request.topicPartition(), Errors.OFFSET_OUT_OF_RANGE,
                        log.highWatermark(), log.logStartOffset()));
            } catch (LogOfflineException e) {
                results.add(FetchResultPartition.error(request.topicPartition(), Errors.KAFKA_STORAGE_ERROR, -1, -1));
            }
        }
        return results;
    }

    /** What a follower outside the ISR was sent of throttled partitions counts against the leader quota. */
    private void recordThrottled(List<FetchResultPartition> results) {
        if (!toLogEnd) {
            return;
        }
        long bytes = 0;
        for (FetchResultPartition result : results) {
            int size = result.records().sizeInBytes();
            if (size > 0) {
                Partition partition = partitions.partition(result.topicPartition()).orElse(null);
                if (partition != null && throttles.leaderThrottles(partition, replicaId)) {
                    bytes += size;
                }
            }
        }
        throttles.recordLeader(bytes);
    }
}
