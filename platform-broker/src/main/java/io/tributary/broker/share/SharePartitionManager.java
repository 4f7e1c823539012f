package io.tributary.broker.share;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.log.AbortedTxn;
import io.tributary.broker.log.LogSlice;
import io.tributary.broker.log.LogSlice.BatchHeader;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.log.TimestampOffset;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.ShareAutoOffsetReset;
import io.tributary.broker.metadata.ShareGroupSettings;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.FetchRequestPartition;
import io.tributary.broker.partition.FetchResultPartition;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.share.SharePartition.Acknowledgement;
import io.tributary.broker.share.SharePartition.Acquired;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStatePersister;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The share-partitions of the partitions this broker leads (Kafka's {@code SharePartitionManager}): loads
 * each from the {@link ShareStatePersister} when a share group first reads it here (or starts it where the
 * group's {@code share.auto.offset.reset} says), reads the log for ShareFetch and acquires what it read,
 * applies acknowledgements, and releases what a member held when its session ends or a lock runs out.
 *
 * <p>A share-partition belongs to one leader epoch: when the partition's leadership moves, the next
 * request loads it afresh from the persisted state, and the old one's writes are fenced.
 */
public final class SharePartitionManager {

    private static final Logger log = LoggerFactory.getLogger(SharePartitionManager.class);

    /** Broker-wide bounds of share-partitions (Kafka's {@code group.share.*} broker settings). */
    public record Config(int maxInFlightRecords, int deliveryCountLimit) {
    }

    /** What one ShareFetch asks for as a whole. */
    public record FetchLimits(int maxWaitMs, int minBytes, int maxBytes, int maxRecords) {
    }

    /** One partition's answer to a ShareFetch: an error, or what was acquired and the batches that hold it. */
    public record FetchedPartition(TopicIdPartition partition, Errors error, LogSlice records, List<Acquired> acquired) {

        static FetchedPartition failed(TopicIdPartition partition, Errors error) {
            return new FetchedPartition(partition, error, LogSlice.EMPTY, List.of());
        }

        static FetchedPartition empty(TopicIdPartition partition) {
            return failed(partition, Errors.NONE);
        }
    }

    /** A share-partition's key: the group and the partition by topic id (names are not compared). */
    private record Key(String groupId, org.apache.kafka.common.Uuid topicId, int partition) {
        Key(String groupId, TopicIdPartition partition) {
            this(groupId, partition.topicId(), partition.partition());
        }
    }

    private final ClusterMetadata metadata;
    private final PartitionManager partitions;
    private final ShareStatePersister persister;
    private final Function<String, ShareGroupSettings> settings;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final SharePartition.Limits limits;
    private final Map<Key, CompletableFuture<SharePartition>> sharePartitions = new ConcurrentHashMap<>();
    private final ParkedShareFetches<Key> parked;

    public SharePartitionManager(ClusterMetadata metadata, PartitionManager partitions, ShareStatePersister persister,
            Function<String, ShareGroupSettings> settings, ScheduledExecutorService scheduler, Clock clock, Config config) {
        this.metadata = metadata;
        this.partitions = partitions;
        this.persister = persister;
        this.settings = settings;
        this.scheduler = scheduler;
        this.clock = clock;
        this.limits = new SharePartition.Limits(config.maxInFlightRecords(), config.deliveryCountLimit());
        this.parked = new ParkedShareFetches<>(scheduler);
        // A partition no longer led here, or led in a new epoch, drops its share-partitions: the next leader
        // loads them from the persisted state (this one would be fenced anyway).
        partitions.onLeadershipChange(this::forget);
    }

    private void forget(TopicPartition moved) {
        Optional<Partition> local = partitions.partition(moved);
        sharePartitions.entrySet().removeIf(entry -> {
            CompletableFuture<SharePartition> loaded = entry.getValue();
            if (!loaded.isDone() || loaded.isCompletedExceptionally()) {
                return false;
            }
            SharePartition sp = loaded.join();
            return sp.topicIdPartition().topicPartition().equals(moved)
                    && (local.isEmpty() || !local.get().isLeader() || local.get().leaderEpoch() != sp.leaderEpoch());
        });
    }

    /** The group's settings (its lock duration goes into every ShareFetch response). */
    public ShareGroupSettings settings(String groupId) {
        return settings.apply(groupId);
    }

    // ---------------------------------------------------------------- fetching

    /**
     * Acquires records of the partitions for the member: reads each share-partition's log from where it
     * next hands out records, waiting up to {@code maxWaitMs} for {@code minBytes}, and answers per partition
     * in the order asked.
     */
    public CompletableFuture<List<FetchedPartition>> fetch(String groupId, String memberId, List<TopicIdPartition> wanted,
            FetchLimits fetchLimits) {
        ShareGroupSettings groupSettings = settings.apply(groupId);
        List<CompletableFuture<Object>> loading = new ArrayList<>();
        for (TopicIdPartition partition : wanted) {
            loading.add(sharePartition(groupId, partition).handle((sp, failure) -> failure == null ? sp : errorOf(failure)));
        }
        long deadline = clock.millis() + fetchLimits.maxWaitMs();
        return CompletableFuture.allOf(loading.toArray(CompletableFuture[]::new)).thenCompose(ignored -> {
            List<FetchedPartition> answers = new ArrayList<>();
            List<SharePartition> full = new ArrayList<>();
            List<FetchRequestPartition> reads = new ArrayList<>();
            List<Integer> readIndexes = new ArrayList<>();
            List<Long> fetchOffsets = new ArrayList<>();
            for (int i = 0; i < wanted.size(); i++) {
                Object loaded = loading.get(i).join();
                if (loaded instanceof Errors error) {
                    answers.add(FetchedPartition.failed(wanted.get(i), error));
                    continue;
                }
                SharePartition sp = (SharePartition) loaded;
                answers.add(FetchedPartition.empty(wanted.get(i)));
                long fetchOffset = sp.nextFetchOffset();
                if (fetchOffset >= 0) {
                    reads.add(new FetchRequestPartition(topicPartition(sp), fetchOffset, fetchLimits.maxBytes(), -1));
                    readIndexes.add(i);
                    fetchOffsets.add(fetchOffset);
                } else {
                    full.add(sp);
                }
            }
            Supplier<CompletableFuture<List<FetchedPartition>>> again = () -> fetch(groupId, memberId, wanted,
                    new FetchLimits((int) Math.max(0, deadline - clock.millis()), fetchLimits.minBytes(),
                            fetchLimits.maxBytes(), fetchLimits.maxRecords()));
            if (reads.isEmpty()) {
                return park(full, answers, deadline, again);
            }
            boolean readCommitted = groupSettings.isolationLevel() == IsolationLevel.READ_COMMITTED;
            return partitions.fetch(reads, Math.max(1, fetchLimits.minBytes()), fetchLimits.maxBytes(),
                    fetchLimits.maxWaitMs(), -1, -1, true, readCommitted).thenCompose(results -> {
                int recordsLeft = fetchLimits.maxRecords();
                long lockDeadline = clock.millis() + groupSettings.recordLockDurationMs();
                for (int r = 0; r < results.size() && recordsLeft > 0; r++) {
                    int index = readIndexes.get(r);
                    SharePartition sp = (SharePartition) loading.get(index).join();
                    FetchedPartition answer = acquire(wanted.get(index), sp, memberId, results.get(r),
                            fetchOffsets.get(r), recordsLeft, lockDeadline, readCommitted);
                    answers.set(index, answer);
                    for (Acquired acquired : answer.acquired()) {
                        recordsLeft -= (int) Math.min(recordsLeft, acquired.lastOffset() - acquired.firstOffset() + 1);
                    }
                    if (!answer.acquired().isEmpty()) {
                        scheduleLockExpiry(sp, groupSettings.recordLockDurationMs());
                    }
                }
                return CompletableFuture.completedFuture(answers);
            });
        });
    }

    private FetchedPartition acquire(TopicIdPartition wanted, SharePartition sp, String memberId, FetchResultPartition read, long fetchOffset,
            int maxRecords, long lockDeadline, boolean readCommitted) {
        if (read.error() != Errors.NONE) {
            return FetchedPartition.failed(wanted, read.error());
        }
        if (read.logStartOffset() > sp.startOffset()) {
            sp.logStartMovedTo(read.logStartOffset());
        }
        List<BatchHeader> batches = read.records().isEmpty() ? List.of() : read.records().batchHeaders();
        SharePartition.AbortedBatches aborted = readCommitted
                ? abortedBatches(batches, read.abortedTransactions()) : SharePartition.AbortedBatches.NONE;
        List<Acquired> acquired = sp.acquire(memberId, batches, fetchOffset, maxRecords, lockDeadline, aborted);
        if (acquired.isEmpty()) {
            return FetchedPartition.empty(wanted);
        }
        long first = acquired.get(0).firstOffset();
        long last = acquired.get(acquired.size() - 1).lastOffset();
        BatchHeader from = null;
        BatchHeader to = null;
        for (BatchHeader batch : batches) {
            if (batch.lastOffset() >= first && batch.baseOffset() <= last) {
                from = from == null ? batch : from;
                to = batch;
            }
        }
        return new FetchedPartition(wanted, Errors.NONE, read.records().between(from, to), acquired);
    }

    /**
     * The data batches of aborted transactions among {@code batches} (read_committed): a producer's batches
     * from its aborted transaction's first offset until its next marker, as consumers tell them apart.
     */
    static SharePartition.AbortedBatches abortedBatches(List<BatchHeader> batches, List<AbortedTxn> abortedTransactions) {
        if (abortedTransactions == null || abortedTransactions.isEmpty()) {
            return SharePartition.AbortedBatches.NONE;
        }
        List<AbortedTxn> pending = new ArrayList<>(abortedTransactions);
        pending.sort((a, b) -> Long.compare(a.firstOffset(), b.firstOffset()));
        Set<Long> abortingProducers = new HashSet<>();
        Set<Long> abortedPositions = new HashSet<>();
        int next = 0;
        for (BatchHeader batch : batches) {
            while (next < pending.size() && pending.get(next).firstOffset() <= batch.lastOffset()) {
                abortingProducers.add(pending.get(next++).producerId());
            }
            if (batch.isControl()) {
                abortingProducers.remove(batch.producerId());
            } else if (batch.isTransactional() && abortingProducers.contains(batch.producerId())) {
                abortedPositions.add(batch.position());
            }
        }
        return batch -> abortedPositions.contains(batch.position());
    }

    /**
     * Waits until one of the full share-partitions has records to hand out again, then fetches once more
     * ({@code again}), or answers {@code answers} at the deadline.
     */
    private CompletableFuture<List<FetchedPartition>> park(List<SharePartition> fullPartitions,
            List<FetchedPartition> answers, long deadline, Supplier<CompletableFuture<List<FetchedPartition>>> again) {
        List<Key> full = fullPartitions.stream().map(sp -> new Key(sp.groupId(), sp.topicIdPartition())).toList();
        long waitMs = deadline - clock.millis();
        if (waitMs <= 0 || full.isEmpty()) {
            return CompletableFuture.completedFuture(answers);
        }
        CompletableFuture<List<FetchedPartition>> later = new CompletableFuture<>();
        AtomicBoolean done = new AtomicBoolean();
        Runnable wake = () -> {
            if (done.compareAndSet(false, true)) {
                again.get().whenComplete((result, failure) -> {
                    if (failure == null) {
                        later.complete(result);
                    } else {
                        later.completeExceptionally(failure);
                    }
                });
            }
        };
        parked.park(full, wake);
        // Records freed between the look that found the window full and the parking woke nobody: look again.
        if (fullPartitions.stream().anyMatch(sp -> sp.nextFetchOffset() >= 0)) {
            scheduler.execute(wake);
        }
        scheduler.schedule(() -> {
            if (done.compareAndSet(false, true)) {
                later.complete(answers);
            }
        }, waitMs, TimeUnit.MILLISECONDS);
        later.whenComplete((result, failure) -> parked.unpark(full, wake));
        return later;
    }

    /** Wakes the fetches waiting for this share-partition when it has records to hand out again. */
    private void wakeIfAvailable(SharePartition sp) {
        if (sp.nextFetchOffset() >= 0) {
            parked.wake(new Key(sp.groupId(), sp.topicIdPartition()));
        }
    }

    private void scheduleLockExpiry(SharePartition sp, int lockDurationMs) {
        scheduler.schedule(() -> {
            sp.expireLocks(clock.millis()).exceptionally(failure -> {
                log.warn("Could not persist the expired locks of {}: {}", sp, failure.toString());
                return null;
            });
            wakeIfAvailable(sp);
        }, lockDurationMs, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- acknowledging, releasing

    /** Applies a member's acknowledgements to one partition; completes once they are persisted. */
    public CompletableFuture<Errors> acknowledge(String groupId, String memberId, TopicIdPartition partition,
            List<Acknowledgement> acknowledgements) {
        return sharePartition(groupId, partition).thenCompose(sp -> {
            SharePartition.AcknowledgeOutcome outcome = sp.acknowledge(memberId, acknowledgements);
            if (outcome.error() != Errors.NONE) {
                return CompletableFuture.completedFuture(outcome.error());
            }
            return outcome.persisted().handle((ok, failure) -> {
                wakeIfAvailable(sp); // what was released or done is in effect now
                return failure == null ? Errors.NONE : errorOf(failure);
            });
        }).exceptionally(SharePartitionManager::errorOf);
    }

    /** Releases what the members of these sessions held (the sessions ended: closed, replaced or idle). */
    public void release(List<ShareSessionCache.ShareSession> ended) {
        for (ShareSessionCache.ShareSession session : ended) {
            release(session.key().groupId(), session.key().memberId(), session.partitions());
        }
    }

    /** Releases what the member holds in these partitions (its share session ended). */
    public void release(String groupId, String memberId, List<TopicIdPartition> held) {
        for (TopicIdPartition partition : held) {
            CompletableFuture<SharePartition> loaded = sharePartitions.get(new Key(groupId, partition));
            if (loaded != null && loaded.isDone() && !loaded.isCompletedExceptionally()) {
                SharePartition sp = loaded.join();
                sp.releaseAll(memberId).exceptionally(failure -> {
                    log.warn("Could not persist the release of {}'s records of {}: {}", memberId, partition, failure.toString());
                    return null;
                });
                wakeIfAvailable(sp);
            }
        }
    }

    // ---------------------------------------------------------------- loading

    /**
     * The share-partition of the group on a partition led here, loaded (or started) once per leader epoch;
     * fails with NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_ID or UNKNOWN_TOPIC_OR_PARTITION.
     */
    CompletableFuture<SharePartition> sharePartition(String groupId, TopicIdPartition wanted) {
        Optional<TopicInfo> topic = metadata.topic(wanted.topicId());
        if (topic.isEmpty()) {
            return CompletableFuture.failedFuture(new CoordinatorException(Errors.UNKNOWN_TOPIC_ID, "No topic " + wanted.topicId()));
        }
        if (wanted.partition() < 0 || wanted.partition() >= topic.get().partitionCount()) {
            return CompletableFuture.failedFuture(new CoordinatorException(Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "No partition " + wanted.partition() + " of " + topic.get().name()));
        }
        TopicIdPartition partition = new TopicIdPartition(wanted.topicId(), wanted.partition(), topic.get().name());
        Optional<Partition> local = partitions.partition(partition.topicPartition());
        if (local.isEmpty() || !local.get().isLeader()) {
            return CompletableFuture.failedFuture(new CoordinatorException(Errors.NOT_LEADER_OR_FOLLOWER,
                    partition + " is not led here"));
        }
        int leaderEpoch = local.get().leaderEpoch();
        Key key = new Key(groupId, partition);
        return sharePartitions.compute(key, (k, existing) -> {
            if (existing != null && !isStale(existing, leaderEpoch)) {
                return existing;
            }
            return load(groupId, partition, local.get(), leaderEpoch);
        });
    }

    private static boolean isStale(CompletableFuture<SharePartition> existing, int leaderEpoch) {
        if (!existing.isDone()) {
            return false;
        }
        if (existing.isCompletedExceptionally()) {
            return true; // a failed load is tried again
        }
        SharePartition sp = existing.join();
        return sp.leaderEpoch() != leaderEpoch || sp.isFenced();
    }

    private CompletableFuture<SharePartition> load(String groupId, TopicIdPartition partition, Partition local,
            int leaderEpoch) {
        return persister.read(groupId, partition.topicId(), partition.partition()).thenCompose(stored -> {
            PartitionLog partitionLog = local.log();
            if (stored.isPresent()) {
                SharePartitionState state = stored.get();
                SharePartition sp = new SharePartition(groupId, partition, leaderEpoch,
                        new SharePartitionState(state.stateEpoch(), leaderEpoch, state.startOffset(), state.batches()),
                        limits, persister);
                if (partitionLog.logStartOffset() > sp.startOffset()) {
                    return sp.logStartMovedTo(partitionLog.logStartOffset()).thenApply(ok -> sp);
                }
                // Written back at once in this leader epoch: the share coordinator then fences the previous
                // leader, which could otherwise go on accepting acknowledgements this one never hears of.
                return sp.persist().thenApply(ok -> sp);
            }
            long start = startingOffset(settings.apply(groupId).autoOffsetReset(), partitionLog);
            SharePartition sp = new SharePartition(groupId, partition, leaderEpoch,
                    new SharePartitionState(0, leaderEpoch, start, List.of()), limits, persister);
            log.info("Share group {} starts reading {} at offset {}", groupId, partition, start);
            // Written at once, so that "latest" means the same offset to the next leader.
            return sp.persist().thenApply(ok -> sp);
        });
    }

    private long startingOffset(ShareAutoOffsetReset reset, PartitionLog partitionLog) {
        return switch (reset.strategy()) {
            case EARLIEST -> partitionLog.logStartOffset();
            case BY_DURATION -> partitionLog.offsetForTimestamp(clock.millis() - reset.duration().toMillis())
                    .map(TimestampOffset::offset).orElse(partitionLog.highWatermark());
            case LATEST -> partitionLog.highWatermark();
        };
    }

    private TopicPartition topicPartition(SharePartition sp) {
        return sp.topicIdPartition().topicPartition();
    }

    /**
     * Forgets the group's share-partitions of these partitions loaded here, because their durable state was
     * replaced or deleted by the admin side (AlterShareGroupOffsets, DeleteShareGroupOffsets, DeleteGroups): the
     * next request loads them afresh from the persister rather than serving the old state.
     */
    public void unload(String groupId, Set<TopicIdPartition> partitions) {
        partitions.forEach(partition -> sharePartitions.remove(new Key(groupId, partition)));
    }

    /** The share-partitions loaded here, per group (for describing and tests). */
    public Map<String, List<TopicIdPartition>> loaded() {
        Map<String, List<TopicIdPartition>> loaded = new HashMap<>();
        sharePartitions.keySet().forEach(key -> loaded.computeIfAbsent(key.groupId(), g -> new ArrayList<>())
                .add(new TopicIdPartition(key.topicId(), key.partition(), null)));
        return loaded;
    }

    /**
     * What a client is told when the share-partition could not be loaded or its change written: a newer leader
     * exists (NOT_LEADER_OR_FOLLOWER, and the client looks it up), or the state was reset under it (the records
     * it held are not its any more: INVALID_RECORD_STATE); other errors as they are.
     */
    private static Errors errorOf(Throwable failure) {
        Errors error = CoordinatorException.errorOf(failure);
        return switch (error) {
            case FENCED_LEADER_EPOCH -> Errors.NOT_LEADER_OR_FOLLOWER;
            case FENCED_STATE_EPOCH -> Errors.INVALID_RECORD_STATE;
            default -> error;
        };
    }
}
