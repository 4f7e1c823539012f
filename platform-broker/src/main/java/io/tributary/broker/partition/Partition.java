package io.tributary.broker.partition;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import io.tributary.broker.log.AppendResult;
import io.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition this broker holds a replica of: its log, leader epoch, high watermark, idempotent
 * producers, and the fetches waiting for its next append. Only the leader accepts produce and
 * fetch requests; a follower answers NOT_LEADER_OR_FOLLOWER. On a single node this broker always
 * leads and the in-sync replica set is this broker alone, so the high watermark follows the log end.
 * In a cluster the leader does the same for now: followers do not fetch from it yet.
 *
 * <p>Thread-safe: appends are serialized by the partition; reads go straight to the log.
 */
public final class Partition {

    private static final Logger log = LoggerFactory.getLogger(Partition.class);

    /** What a produce to this partition achieved. */
    public record ProduceOutcome(long baseOffset, long logAppendTime, long logStartOffset, boolean duplicate) {
    }

    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final PartitionLog partitionLog;
    private final ProducerStateManager producers;
    // Written by the metadata reconciler, read by request threads without the partition's lock.
    private volatile int leaderEpoch;
    private volatile boolean leader;
    private final Set<DelayedFetch> waitingFetches = ConcurrentHashMap.newKeySet();

    private Partition(TopicPartition topicPartition, Uuid topicId, PartitionLog partitionLog, int leaderEpoch,
            boolean leader) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.partitionLog = partitionLog;
        this.leaderEpoch = leaderEpoch;
        this.leader = leader;
        this.producers = new ProducerStateManager(partitionLog.dir());
    }

    /** Takes the lead of a partition: rebuilds its producer state from the snapshot and the log after it. */
    static Partition lead(TopicPartition topicPartition, Uuid topicId, PartitionLog partitionLog, int leaderEpoch)
            throws IOException {
        return open(topicPartition, topicId, partitionLog, leaderEpoch, true);
    }

    /** Opens a replica, as leader or follower in {@code leaderEpoch}, with its producer state rebuilt. */
    static Partition open(TopicPartition topicPartition, Uuid topicId, PartitionLog partitionLog, int leaderEpoch,
            boolean leader) throws IOException {
        Partition partition = new Partition(topicPartition, topicId, partitionLog, leaderEpoch, leader);
        synchronized (partition) {
            long from = partition.producers.loadSnapshot(partitionLog.logStartOffset(), partitionLog.logEndOffset());
            partitionLog.scanBatches(from, partition.producers::replay);
            partitionLog.updateHighWatermark(partitionLog.logEndOffset());
            if (leader) {
                partitionLog.assignEpochStartOffset(leaderEpoch);
            }
        }
        return partition;
    }

    /**
     * Follows the cluster metadata's decision for this replica: lead in {@code epoch}, or follow.
     * Fetches waiting here are woken so that they answer with the new state at once.
     */
    void become(boolean newLeader, int epoch) {
        synchronized (this) {
            if (epoch == leaderEpoch && newLeader == leader) {
                return;
            }
            leaderEpoch = epoch;
            leader = newLeader;
            if (newLeader) {
                partitionLog.assignEpochStartOffset(epoch);
            }
        }
        log.info("{}: {} in leader epoch {}", topicPartition, newLeader ? "leader" : "follower", epoch);
        wakeWaitingFetches();
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

    /**
     * Checks a client's idea of the leader epoch: {@code -1} means no check, an older epoch is fenced,
     * a newer one is not known yet; then that this replica leads.
     */
    public Errors checkLeaderEpoch(int currentLeaderEpoch) {
        int epoch = leaderEpoch;
        if (currentLeaderEpoch >= 0 && currentLeaderEpoch != epoch) {
            return currentLeaderEpoch < epoch ? Errors.FENCED_LEADER_EPOCH : Errors.UNKNOWN_LEADER_EPOCH;
        }
        return leader ? Errors.NONE : Errors.NOT_LEADER_OR_FOLLOWER;
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
                    Optional<ProducerStateManager.BatchMetadata> previous = producers.check(batch);
                    if (previous.isPresent()) {
                        throw new DuplicateBatch(previous.get());
                    }
                    admitted[0] = batch;
                });
            } catch (DuplicateBatch e) {
                log.debug("{}: a retried batch was acknowledged with its first offset {}", topicPartition,
                        e.metadata.firstOffset());
                return new ProduceOutcome(e.metadata.firstOffset(), -1, partitionLog.logStartOffset(), true);
            }
            RecordBatch batch = admitted[0];
            producers.update(batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(),
                    result.firstOffset(), result.lastOffset());
            partitionLog.updateHighWatermark(partitionLog.logEndOffset());
            outcome = new ProduceOutcome(result.firstOffset(), result.logAppendTime(), result.logStartOffset(), false);
        }
        wakeWaitingFetches();
        return outcome;
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
