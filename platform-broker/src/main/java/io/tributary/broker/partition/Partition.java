package io.tributary.broker.partition;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import io.tributary.broker.log.AbortedTxn;
import io.tributary.broker.log.AppendResult;
import io.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition this broker holds a replica of: its log, leader epoch, high watermark, idempotent
 * producers, and the fetches and acks=all produces waiting for it. Only the leader accepts produce
 * and consumer fetches; a follower answers NOT_LEADER_OR_FOLLOWER and takes the leader's batches
 * through {@link #appendAsFollower}. The leader tracks its followers ({@link InSyncReplicas}): the
 * high watermark is the smallest log end of the in-sync replicas, and ISR changes are proposed to
 * the cluster metadata ({@link IsrChannel}), taking effect when they come back through
 * {@link #become}. On a single node the ISR is this broker alone, so the high watermark follows the
 * log end.
 *
 * <p>Thread-safe: appends, truncation and replica state are serialized by the partition; reads go
 * straight to the log.
 */
public final class Partition {

    private static final Logger log = LoggerFactory.getLogger(Partition.class);

    /** What a produce to this partition achieved. */
    public record ProduceOutcome(long baseOffset, long lastOffset, long logAppendTime, long logStartOffset,
            boolean duplicate) {
    }

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final PartitionLog partitionLog;
    private final ProducerStateManager producers;
    private final int localId;
    private final LongSupplier clockMs;
    // Written by the metadata reconciler, read by request threads without the partition's lock.
    private volatile int leaderEpoch;
    private volatile boolean leader;
    private volatile List<Integer> replicas;
    private volatile List<Integer> isr;
    /** The replicas a partition move is adding, which do not count as missing from the ISR. */
    private volatile List<Integer> adding = List.of();
    private volatile IsrChannel isrChannel = IsrChannel.NONE;
    /** The leader's view of its followers; null on a follower. Guarded by this. */
    private InSyncReplicas inSync;
    private final Set<DelayedFetch> waitingFetches = ConcurrentHashMap.newKeySet();
    private final Set<DelayedProduce> waitingProduces = ConcurrentHashMap.newKeySet();

    private Partition(TopicPartition topicPartition, Uuid topicId, PartitionLog partitionLog, int localId,
            LongSupplier clockMs) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.partitionLog = partitionLog;
        this.localId = localId;
        this.clockMs = clockMs;
        this.producers = new ProducerStateManager(partitionLog.dir());
    }

    /** Takes the lead of a single-node partition: this broker is its only replica. */
    static Partition lead(TopicPartition topicPartition, Uuid topicId, PartitionLog partitionLog, int leaderEpoch)
            throws IOException {
        return lead(topicPartition, topicId, partitionLog, leaderEpoch, 0);
    }

    static Partition lead(TopicPartition topicPartition, Uuid topicId, PartitionLog partitionLog, int leaderEpoch,
            int localId) throws IOException {
        return open(topicPartition, topicId, partitionLog, localId, leaderEpoch, localId, List.of(localId),
                List.of(localId), PartitionManager.MONOTONIC_MS);
    }

    /**
     * Opens a replica, as leader or follower in {@code leaderEpoch}, with its producer state rebuilt.
     * A replica with followers keeps the high watermark it checkpointed: only its ISR may move it on.
     */
    static Partition open(TopicPartition topicPartition, Uuid topicId, PartitionLog partitionLog, int localId,
            int leaderEpoch, int leaderId, List<Integer> replicas, List<Integer> isr, LongSupplier clockMs)
            throws IOException {
        Partition partition = new Partition(topicPartition, topicId, partitionLog, localId, clockMs);
        synchronized (partition) {
            long from = partition.producers.loadSnapshot(partitionLog.logStartOffset(), partitionLog.logEndOffset());
            partitionLog.scanBatches(from, partition.producers::replay);
            if (replicas.size() <= 1) {
                partitionLog.updateHighWatermark(partitionLog.logEndOffset());
            }
            partition.highWatermarkMoved();
            partition.leaderEpoch = -1;
            partition.changeRole(leaderId, leaderEpoch, replicas, isr);
        }
        return partition;
    }

    void isrChannel(IsrChannel channel) {
        this.isrChannel = channel;
    }

    /**
     * Follows the cluster metadata's decision for this replica: its leader, epoch and ISR. Fetches
     * and produces waiting here are woken so that they answer with the new state at once.
     *
     * @return whether this replica's leader or leader epoch changed
     */
    boolean become(int newLeaderId, int epoch, List<Integer> newReplicas, List<Integer> newIsr) {
        boolean changed;
        synchronized (this) {
            changed = changeRole(newLeaderId, epoch, newReplicas, newIsr);
        }
        if (changed) {
            log.info("{}: {} in leader epoch {}, ISR {}", topicPartition, leader ? "leader" : "follower of " + newLeaderId,
                    epoch, newIsr);
        }
        maybeAdvanceHighWatermark();
        wakeWaiting();
        return changed;
    }

    /** Holds the lock. Returns whether the leader or epoch changed. */
    private boolean changeRole(int newLeaderId, int epoch, List<Integer> newReplicas, List<Integer> newIsr) {
        boolean newLeader = newLeaderId == localId;
        replicas = List.copyOf(newReplicas);
        isr = List.copyOf(newIsr);
        if (epoch == leaderEpoch && newLeader == leader) {
            if (inSync != null) {
                inSync.committed(newReplicas, newIsr, clockMs.getAsLong());
            }
            return false;
        }
        leaderEpoch = epoch;
        leader = newLeader;
        if (newLeader) {
            partitionLog.assignEpochStartOffset(epoch);
            inSync = new InSyncReplicas(localId, newReplicas, newIsr, partitionLog.logEndOffset(), clockMs.getAsLong());
        } else {
            inSync = null;
        }
        return true;
    }

    /**
     * Whether this broker leads the partition but its high watermark is still short of where its leader
     * epoch began: it does not know yet how much of its log the previous leader had committed, so the end
     * offset it would tell a client could be lower than one a client was already told. Kafka answers
     * ListOffsets with OFFSET_NOT_AVAILABLE meanwhile, and the client asks again.
     */
    public synchronized boolean highWatermarkBehindEpochStart() {
        return inSync != null && partitionLog.highWatermark() < inSync.epochStartOffset();
    }

    public boolean isLeader() {
        return leader;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    public PartitionLog log() {
        return partitionLog;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public int leaderId(int localNodeId) {
        return leader ? localNodeId : -1;
    }

    public List<Integer> replicas() {
        return replicas;
    }

    /** The in-sync replicas as the cluster metadata last committed them. */
    public List<Integer> inSyncReplicas() {
        return isr;
    }

    /** The replicas a partition move in progress is adding, as the cluster metadata says. */
    void addingReplicas(List<Integer> replicas) {
        adding = List.copyOf(replicas);
    }

    /**
     * Whether this broker leads the partition with fewer replicas in sync than it is meant to have, as
     * Kafka counts it: replicas a move is still adding are not missing.
     */
    public boolean isUnderReplicated() {
        return leader && isr.size() < replicas.size() - adding.size();
    }

    /** Whether {@code replicaId} is another replica of this partition, which may fetch as a follower. */
    public boolean isFollower(int replicaId) {
        return replicaId != localId && replicas.contains(replicaId);
    }

    /**
     * Checks a client's idea of the leader epoch: {@code -1} means no check, an older epoch is fenced,
     * a newer one is not known yet; then that this replica leads.
     */
    public Errors checkLeaderEpoch(int currentLeaderEpoch) {
        return checkEpoch(currentLeaderEpoch, true);
    }

    /**
     * As {@link #checkLeaderEpoch(int)}, but with {@code leaderOnly} false a follower may answer too:
     * a consumer that sent its rack reads from the replica its leader chose for it (KIP-392).
     */
    public Errors checkEpoch(int currentLeaderEpoch, boolean leaderOnly) {
        int epoch = leaderEpoch;
        if (currentLeaderEpoch >= 0 && currentLeaderEpoch != epoch) {
            return currentLeaderEpoch < epoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
        }
        return leader || !leaderOnly ? Errors.NONE : Errors.NOT_LEADER_OR_FOLLOWER;
    }

    /**
     * As a leader, what it knows of each in-sync follower that holds {@code fetchOffset} — where a
     * consumer could read it as well as here; empty on a follower.
     */
    public synchronized List<FollowerView> followersHolding(long fetchOffset) {
        if (inSync == null) {
            return List.of();
        }
        return inSync.followersHolding(fetchOffset, clockMs.getAsLong());
    }

    /**
     * A follower as its leader last saw it fetch.
     *
     * @param brokerEpoch the broker epoch its last fetch carried, -1 when it carried none
     */
    public record FollowerView(int replicaId, long logEndOffset, long timeSinceLastCaughtUpMs, long brokerEpoch) {
    }

    /**
     * Appends a producer's batch as leader: a retry of one of the producer's last five batches is
     * acknowledged with its first offsets and not written again.
     *
     * @throws io.tributary.broker.log.InvalidBatchException for a corrupt or invalid batch
     * @throws io.tributary.broker.log.LogOfflineException   when the storage failed
     * @throws ProducerStateException                        for a fenced epoch or a sequence out of order
     */
    public ProduceOutcome appendAsLeader(MemoryRecords records) {
        return appendAsLeader(records, false);
    }

    /**
     * Appends a coordinator's own batch as leader, as Kafka's coordinator origin does: a transactional
     * batch (a TxnOffsetCommit's offsets) whose sequence numbers are not checked, only its producer's epoch.
     */
    public ProduceOutcome appendAsCoordinator(MemoryRecords records) {
        return appendAsLeader(records, true);
    }

    private ProduceOutcome appendAsLeader(MemoryRecords records, boolean fromCoordinator) {
        ProduceOutcome outcome;
        synchronized (this) {
            if (!leader) {
                throw new NotLeaderOrFollowerException("This broker is not the leader of " + topicPartition
                        + " in leader epoch " + leaderEpoch);
            }
            RecordBatch[] admitted = new RecordBatch[1];
            AppendResult result;
            try {
                result = partitionLog.append(records, leaderEpoch, batch -> {
                    Optional<ProducerStateManager.BatchMetadata> previous = fromCoordinator
                            ? producers.checkCoordinatorBatch(batch) : producers.check(batch);
                    if (previous.isPresent()) {
                        throw new DuplicateBatch(previous.get());
                    }
                    admitted[0] = batch;
                });
            } catch (DuplicateBatch e) {
                log.debug("{}: a retried batch was acknowledged with its first offset {}", topicPartition,
                        e.metadata.firstOffset());
                return new ProduceOutcome(e.metadata.firstOffset(), e.metadata.lastOffset(), -1,
                        partitionLog.logStartOffset(), true);
            }
            RecordBatch batch = admitted[0];
            producers.update(batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(),
                    result.firstOffset(), result.lastOffset(), batch.maxTimestamp(), batch.isTransactional());
            publishFirstUnstableOffset();
            outcome = new ProduceOutcome(result.firstOffset(), result.lastOffset(), result.logAppendTime(),
                    result.logStartOffset(), false);
        }
        maybeAdvanceHighWatermark();
        wakeWaitingFetches();
        return outcome;
    }

    /**
     * Writes the marker that ends producer {@code producerId}'s transaction here, as the transaction
     * coordinator of {@code coordinatorEpoch} asks: a control batch in this leader's epoch, appended
     * as a produce is.
     *
     * @return where the marker went
     * @throws ProducerStateException with INVALID_PRODUCER_EPOCH for an epoch older than the producer's,
     *                                TRANSACTION_COORDINATOR_FENCED for a coordinator older than the last one
     */
    public ProduceOutcome appendTxnMarkerAsLeader(long producerId, short producerEpoch, int coordinatorEpoch,
            TransactionResult result) {
        ProduceOutcome outcome;
        synchronized (this) {
            if (!leader) {
                throw new NotLeaderOrFollowerException("This broker is not the leader of " + topicPartition
                        + " in leader epoch " + leaderEpoch);
            }
            producers.checkMarker(producerId, producerEpoch, coordinatorEpoch);
            EndTransactionMarker marker = new EndTransactionMarker(
                    result == TransactionResult.COMMIT ? ControlRecordType.COMMIT : ControlRecordType.ABORT,
                    coordinatorEpoch);
            long now = System.currentTimeMillis();
            MemoryRecords records = MemoryRecords.withEndTransactionMarker(0L, now, leaderEpoch, producerId,
                    producerEpoch, marker);
            AppendResult appended = partitionLog.append(records, leaderEpoch);
            producers.completeTxn(producerId, producerEpoch, marker, appended.lastOffset(), now)
                    .ifPresent(this::transactionCompleted);
            publishFirstUnstableOffset();
            outcome = new ProduceOutcome(appended.firstOffset(), appended.lastOffset(), appended.logAppendTime(),
                    appended.logStartOffset(), false);
        }
        maybeAdvanceHighWatermark();
        wakeWaitingFetches(); // the last stable offset may have moved
        return outcome;
    }

    /**
     * Lets the producer state forget the transactions whose marker the high watermark now covers, and
     * publishes the new first unstable offset. Holds the lock.
     */
    private void highWatermarkMoved() {
        producers.onHighWatermarkUpdated(partitionLog.highWatermark());
        publishFirstUnstableOffset();
    }

    /**
     * Tells the log where the oldest unstable transaction starts, for the last stable offset and the
     * cleaner. Holds the lock.
     */
    private void publishFirstUnstableOffset() {
        partitionLog.updateFirstUnstableOffset(producers.firstUnstableOffset());
    }

    /** A marker ended a transaction here. Holds the lock. */
    private void transactionCompleted(ProducerStateManager.CompletedTxn completed) {
        if (completed.aborted()) {
            partitionLog.appendAbortedTxn(new AbortedTxn(completed.producerId(), completed.firstOffset(),
                    completed.lastOffset(), producers.lastStableOffsetAfter(completed)));
        }
        log.debug("{}: transaction of producer {} {} at offset {}", topicPartition, completed.producerId(),
                completed.aborted() ? "aborted" : "committed", completed.lastOffset());
    }

    /**
     * The last stable offset: every offset below it is decided (committed, aborted or outside any
     * transaction) and replicated. A read_committed consumer reads up to it.
     */
    public long lastStableOffset() {
        // Lock-free for fetches. The high watermark is read first: once it covers a transaction's first
        // offset, that offset was published as unstable (under this partition's lock, before the high
        // watermark could move past it), so the read after it cannot miss the open transaction.
        long highWatermark = partitionLog.highWatermark();
        return Math.min(partitionLog.firstUnstableOffset(), highWatermark);
    }

    /**
     * Whether the producer has a transaction open here: its next transactional batch continues it,
     * while a first one is checked with the transaction coordinator (KIP-890) before it is appended.
     */
    public synchronized boolean hasOngoingTransaction(long producerId) {
        return producers.hasOngoingTransaction(producerId);
    }

    /** The producers this partition knows, for DescribeProducers. */
    public synchronized List<ProducerView> producerStates() {
        return producers.producers();
    }

    /**
     * Appends batches fetched from the leader of {@code epoch}, offsets and epochs kept, and takes
     * the leader's high watermark as far as this log reaches.
     *
     * @return false when this replica no longer follows in {@code epoch}: the fetch is stale
     */
    public boolean appendAsFollower(int epoch, MemoryRecords records, long leaderHighWatermark) {
        return appendAsFollower(epoch, records, leaderHighWatermark, -1);
    }

    /**
     * As {@link #appendAsFollower(int, MemoryRecords, long)}, and moves this log's start to the
     * leader's (DeleteRecords, retention) once it is committed here.
     */
    public boolean appendAsFollower(int epoch, MemoryRecords records, long leaderHighWatermark,
            long leaderLogStartOffset) {
        long highWatermarkBefore;
        synchronized (this) {
            if (leader || epoch != leaderEpoch) {
                return false;
            }
            highWatermarkBefore = partitionLog.highWatermark();
            if (records.sizeInBytes() > 0) {
                partitionLog.appendAsFollower(records);
                for (RecordBatch batch : records.batches()) {
                    producers.replay(batch).ifPresent(this::transactionCompleted);
                }
                publishFirstUnstableOffset();
            }
            partitionLog.updateHighWatermark(Math.min(leaderHighWatermark, partitionLog.logEndOffset()));
            highWatermarkMoved();
            if (leaderLogStartOffset > partitionLog.logStartOffset()
                    && leaderLogStartOffset <= partitionLog.highWatermark()) {
                partitionLog.advanceLogStartOffset(leaderLogStartOffset);
            }
        }
        if (partitionLog.highWatermark() > highWatermarkBefore) {
            wakeWaitingFetches(); // consumers reading from this follower (KIP-392)
        }
        return true;
    }

    /**
     * Empties this follower's log and restarts it at the leader's log start, because everything it
     * would fetch next is gone from the leader.
     *
     * @return false when this replica no longer follows in {@code epoch}
     */
    public boolean restartAsFollowerAt(int epoch, long leaderLogStartOffset) throws IOException {
        synchronized (this) {
            if (leader || epoch != leaderEpoch) {
                return false;
            }
            partitionLog.truncateFullyAndStartAt(leaderLogStartOffset);
            long from = producers.loadSnapshot(partitionLog.logStartOffset(), partitionLog.logEndOffset());
            partitionLog.scanBatches(from, producers::replay);
            highWatermarkMoved();
        }
        return true;
    }

    /**
     * Cuts this follower's log back to {@code offset}, where it stops agreeing with the leader of
     * {@code epoch}, and rebuilds the producer state without the removed batches.
     *
     * @return false when this replica no longer follows in {@code epoch}
     */
    public boolean truncateAsFollower(int epoch, long offset) throws IOException {
        synchronized (this) {
            if (leader || epoch != leaderEpoch) {
                return false;
            }
            if (offset < partitionLog.logEndOffset()) {
                partitionLog.truncateTo(offset);
                long from = producers.loadSnapshot(partitionLog.logStartOffset(), partitionLog.logEndOffset());
                partitionLog.scanBatches(from, producers::replay);
                highWatermarkMoved();
            }
        }
        return true;
    }

    /**
     * Records a follower's fetch from {@code fetchOffset} — where its log ends — then moves the high
     * watermark and proposes to add the follower to the ISR once it caught up.
     */
    void followerFetched(int replicaId, long fetchOffset) {
        followerFetched(replicaId, fetchOffset, InSyncReplicas.UNKNOWN_BROKER_EPOCH);
    }

    /** As {@link #followerFetched(int, long)}, by the follower's incarnation of broker epoch {@code brokerEpoch}. */
    void followerFetched(int replicaId, long fetchOffset, long brokerEpoch) {
        synchronized (this) {
            if (inSync == null) {
                return;
            }
            inSync.followerFetched(replicaId, fetchOffset, brokerEpoch, partitionLog.logEndOffset(), clockMs.getAsLong());
        }
        maybeAdvanceHighWatermark();
        IsrChannel channel = isrChannel;
        maybeProposeIsr(inSyncReplicas -> inSyncReplicas.proposeExpansion(partitionLog.highWatermark(),
                clockMs.getAsLong(), channel::mayJoinIsr));
    }

    /** Proposes to drop the followers that did not catch up within {@code lagTimeMaxMs}. */
    void maybeShrinkIsr(long lagTimeMaxMs) {
        maybeProposeIsr(inSyncReplicas -> inSyncReplicas.proposeShrink(clockMs.getAsLong(), lagTimeMaxMs));
    }

    private void maybeProposeIsr(Function<InSyncReplicas, Optional<List<Integer>>> change) {
        Optional<List<Integer>> proposal;
        List<Long> brokerEpochs;
        int epoch;
        InSyncReplicas tracker;
        synchronized (this) {
            tracker = inSync;
            if (tracker == null) {
                return;
            }
            proposal = change.apply(tracker);
            brokerEpochs = proposal.map(tracker::brokerEpochs).orElse(List.of());
            epoch = leaderEpoch;
        }
        proposal.ifPresent(newIsr -> {
            log.info("{}: proposing ISR {} (was {}) in leader epoch {}, broker epochs {}", topicPartition, newIsr, isr,
                    epoch, brokerEpochs);
            isrChannel.propose(topicPartition, epoch, newIsr, brokerEpochs, result -> {
                synchronized (this) {
                    tracker.proposalDone(result, newIsr, clockMs.getAsLong());
                }
            });
        });
    }

    /** Moves the leader's high watermark to what the ISR holds; it never moves back. */
    private void maybeAdvanceHighWatermark() {
        boolean advanced = false;
        synchronized (this) {
            if (inSync != null) {
                long hw = inSync.highWatermark(partitionLog.logEndOffset(), clockMs.getAsLong());
                if (hw > partitionLog.highWatermark()) {
                    partitionLog.updateHighWatermark(hw);
                    highWatermarkMoved();
                    advanced = true;
                }
            }
        }
        if (advanced) {
            wakeWaiting();
        }
    }

    /**
     * Waits until the high watermark covers {@code lastOffset} (acks=all), or {@code timeoutMs}
     * passes; answers the error of the produce.
     */
    CompletableFuture<Errors> awaitReplication(long lastOffset, int minInsyncReplicas, long timeoutMs,
            ScheduledExecutorService scheduler) {
        DelayedProduce produce = new DelayedProduce(lastOffset + 1, minInsyncReplicas);
        if (tryComplete(produce)) {
            return produce.future();
        }
        waitingProduces.add(produce);
        produce.future().whenComplete((error, failure) -> waitingProduces.remove(produce));
        // The high watermark may have moved between the first check and the registration.
        if (!tryComplete(produce)) {
            produce.setTimeout(scheduler.schedule(() -> produce.complete(Errors.REQUEST_TIMED_OUT), timeoutMs,
                    TimeUnit.MILLISECONDS));
        }
        return produce.future();
    }

    int waitingProduceCount() {
        return waitingProduces.size();
    }

    private boolean tryComplete(DelayedProduce produce) {
        return produce.tryComplete(leader, partitionLog.highWatermark(), isr.size());
    }

    private void wakeWaiting() {
        for (DelayedProduce produce : waitingProduces) {
            tryComplete(produce);
        }
        wakeWaitingFetches();
    }

    /** Thrown from inside the log's admission check to stop the append of a batch already written. */
    private static final class DuplicateBatch extends RuntimeException {
        final transient ProducerStateManager.BatchMetadata metadata;

        DuplicateBatch(ProducerStateManager.BatchMetadata metadata) {
            super(null, null, false, false);
            this.metadata = metadata;
        }
    }

    void addWaitingFetch(DelayedFetch fetch) {
        waitingFetches.add(fetch);
    }

    void removeWaitingFetch(DelayedFetch fetch) {
        waitingFetches.remove(fetch);
    }

    /**
     * This replica is removed from the broker (its topic deleted, or a move took it elsewhere): it
     * leads no more, so acks=all produces waiting here answer NOT_LEADER_OR_FOLLOWER at once and the
     * producer retries with the new leader, and waiting fetches answer too.
     */
    void removed() {
        synchronized (this) {
            leader = false;
            inSync = null;
        }
        wakeWaiting();
    }

    /** Lets the fetches waiting on this partition check whether they have enough data now. */
    void wakeWaitingFetches() {
        for (DelayedFetch fetch : waitingFetches) {
            fetch.tryComplete();
        }
    }

    /** Persists the producer state, so that a restart replays only the batches after this point. */
    synchronized void snapshotProducerState() {
        if (partitionLog.isOffline()) {
            return;
        }
        try {
            producers.writeSnapshot();
        } catch (IOException e) {
            log.warn("{}: could not write the producer state snapshot: {}", topicPartition, e.toString());
        }
    }

    @Override
    public String toString() {
        return "Partition(" + topicPartition + ", " + (leader ? "leader" : "follower") + ", epoch " + leaderEpoch + ")";
    }
}
