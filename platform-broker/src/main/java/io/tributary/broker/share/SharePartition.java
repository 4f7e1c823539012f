package io.tributary.broker.share;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.log.LogSlice.BatchHeader;
import io.tributary.broker.share.InFlightRecords.Range;
import io.tributary.broker.share.InFlightRecords.State;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStateBatch;
import io.tributary.broker.share.persister.ShareStatePersister;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * One share group's view of one partition, on the partition's leader (Kafka's {@code SharePartition}):
 * which records are available, acquired by a member under a time lock, acknowledged or archived, and
 * how often each was delivered. Members acquire records with ShareFetch and acknowledge them with
 * ShareFetch or ShareAcknowledge: accepted records are done, released ones go back to the queue,
 * rejected ones are archived, and so is a record released or timed out after {@code deliveryLimit}
 * deliveries.
 *
 * <p>Every change that must survive a failover (acknowledgements, releases, expired locks) is written
 * through the {@link ShareStatePersister}; writes go one at a time, each carrying the whole state as it
 * is when it starts, so a later write never loses to an earlier one. Acquisitions are not written: a
 * new leader hands out again what was acquired, counting that delivery.
 *
 * <p>Thread-safe: every method holds the instance's monitor; persistence completes outside it.
 */
public final class SharePartition {

    /** Kafka's acknowledge types: 0 is a gap (an offset without a record), 1 accept, 2 release, 3 reject. */
    static final byte GAP = 0;
    static final byte ACCEPT = 1;
    static final byte RELEASE = 2;
    static final byte REJECT = 3;

    /** Offsets acquired for a member in one go, with how often they have been delivered. */
    public record Acquired(long firstOffset, long lastOffset, short deliveryCount) {
    }

    /** One acknowledgement batch of a request: one type for all its offsets, or one per offset. */
    public record Acknowledgement(long firstOffset, long lastOffset, byte[] types) {

        byte typeAt(long offset) {
            return types.length == 1 ? types[0] : types[Math.toIntExact(offset - firstOffset)];
        }
    }

    /** The broker's bounds: records in flight at most, and deliveries before a record is archived. */
    record Limits(int maxInFlightRecords, int deliveryLimit) {
    }

    private final String groupId;
    private final TopicIdPartition partition;
    private final int leaderEpoch;
    private final int stateEpoch;
    private final Limits limits;
    private final ShareStatePersister persister;
    private final InFlightRecords records;

    private boolean writing;
    private List<CompletableFuture<Void>> waitingForWrite = new ArrayList<>();
    private List<CompletableFuture<Void>> inThisWrite = List.of();
    private boolean fenced;
    /** How many writes have started: an acknowledgement made now goes with write number {@code writesStarted + 1}. */
    private long writesStarted;
    /** The acknowledgements waiting for each write, answered once it is held (or refused). */
    private final Map<Long, List<CompletableFuture<Void>>> acknowledgementsByWrite = new HashMap<>();
    private final LongSupplier clock;

    SharePartition(String groupId, TopicIdPartition partition, int leaderEpoch, SharePartitionState state, Limits limits,
            ShareStatePersister persister) {
        this(groupId, partition, leaderEpoch, state, limits, persister, System::currentTimeMillis);
    }

    /** @param clock the time lock deadlines are in */
    SharePartition(String groupId, TopicIdPartition partition, int leaderEpoch, SharePartitionState state, Limits limits,
            ShareStatePersister persister, LongSupplier clock) {
        this.clock = clock;
        this.groupId = groupId;
        this.partition = partition;
        this.leaderEpoch = leaderEpoch;
        this.stateEpoch = state.stateEpoch();
        this.limits = limits;
        this.persister = persister;
        this.records = InFlightRecords.of(state);
        // A delivery that was under way when the state was written counts: past the limit, the record is done.
        for (Range range : records.all()) {
            if (range.state == State.AVAILABLE) {
                range.release(limits.deliveryLimit());
            }
        }
        records.advanceStart();
    }

    String groupId() {
        return groupId;
    }

    TopicIdPartition topicIdPartition() {
        return partition;
    }

    int leaderEpoch() {
        return leaderEpoch;
    }

    synchronized boolean isFenced() {
        return fenced;
    }

    synchronized long startOffset() {
        return records.startOffset();
    }

    synchronized long endOffset() {
        return records.endOffset();
    }

    /**
     * Where the next read of the log starts: at the first record to hand out again, or at the end
     * offset; -1 when the in-flight records fill the window and none is available.
     */
    synchronized long nextFetchOffset() {
        long available = records.firstAvailableOffset();
        if (available < records.endOffset()) {
            return available;
        }
        return records.size() >= limits.maxInFlightRecords() ? -1 : records.endOffset();
    }

    /**
     * Acquires for the member what the read batches hold from {@code fetchOffset}: available in-flight
     * records, and new ones past the end offset, until {@code maxRecords} are acquired (whole batches,
     * as Kafka aligns to them) or the window is full. Transaction markers, and data of aborted
     * transactions, are archived instead of being handed out.
     *
     * @param aborted whether a data batch belongs to an aborted transaction (read_committed); never for
     *                read_uncommitted
     * @return the acquired ranges, in order
     */
    synchronized List<Acquired> acquire(String memberId, List<BatchHeader> batches, long fetchOffset, int maxRecords,
            long lockDeadline, AbortedBatches aborted) {
        List<Acquired> acquired = new ArrayList<>();
        if (fenced) {
            return acquired;
        }
        long count = 0;
        for (BatchHeader batch : batches) {
            if (count >= maxRecords) {
                break;
            }
            if (batch.lastOffset() < Math.max(fetchOffset, records.startOffset())) {
                continue;
            }
            boolean skip = batch.isControl() || aborted.isAborted(batch);
            // Offsets already in flight: only those available are handed out again.
            for (Range range : records.cut(Math.max(batch.baseOffset(), fetchOffset), batch.lastOffset())) {
                if (range.state != State.AVAILABLE) {
                    continue;
                }
                if (skip) {
                    range.finish(State.ARCHIVED);
                } else {
                    range.acquire(memberId, lockDeadline);
                    add(acquired, range);
                    count += range.size();
                }
            }
            // New offsets: past the end offset, while the window has room (at least one batch always fits).
            if (batch.lastOffset() >= records.endOffset()) {
                if (records.size() >= limits.maxInFlightRecords() && count > 0) {
                    break;
                }
                if (batch.baseOffset() > records.endOffset()) { // no batch holds the offsets between
                    records.append(new Range(records.endOffset(), batch.baseOffset() - 1, State.ARCHIVED, (short) 0));
                }
                Range fresh = new Range(records.endOffset(), batch.lastOffset(), State.AVAILABLE, (short) 0);
                records.append(fresh);
                if (skip) {
                    fresh.finish(State.ARCHIVED);
                } else {
                    fresh.acquire(memberId, lockDeadline);
                    add(acquired, fresh);
                    count += fresh.size();
                }
            }
        }
        records.advanceStart();
        return acquired;
    }

    private static void add(List<Acquired> acquired, Range range) {
        if (!acquired.isEmpty()) {
            Acquired previous = acquired.get(acquired.size() - 1);
            if (previous.lastOffset() + 1 == range.first && previous.deliveryCount() == range.deliveryCount) {
                acquired.set(acquired.size() - 1, new Acquired(previous.firstOffset(), range.last, range.deliveryCount));
                return;
            }
        }
        acquired.add(new Acquired(range.first, range.last, range.deliveryCount));
    }

    /**
     * Applies a member's acknowledgements, all or none: each offset must be acquired by this member
     * (INVALID_RECORD_STATE otherwise, as Kafka answers), and each type known (INVALID_REQUEST).
     *
     * <p>An acknowledgement takes effect once the write that carries it is held: until then its records stay
     * acquired by the member (pending); if the write fails they stay so, and the member is told, so that what
     * it could not acknowledge is delivered again once its lock runs out, as Kafka rolls back a failed write.
     *
     * @return the error, and when NONE a future that completes once the acknowledgements are persisted
     */
    AcknowledgeOutcome acknowledge(String memberId, List<Acknowledgement> acknowledgements) {
        CompletableFuture<Void> held = new CompletableFuture<>();
        synchronized (this) {
            if (fenced) {
                return AcknowledgeOutcome.failed(Errors.NOT_LEADER_OR_FOLLOWER);
            }
            for (Acknowledgement ack : acknowledgements) {
                Errors invalid = check(memberId, ack);
                if (invalid != Errors.NONE) {
                    return AcknowledgeOutcome.failed(invalid);
                }
            }
            long write = writesStarted + 1;
            for (Acknowledgement ack : acknowledgements) {
                if (ack.types().length == 1) {
                    for (Range range : records.cut(ack.firstOffset(), ack.lastOffset())) {
                        pend(range, ack.types()[0], write);
                    }
                } else {
                    for (long offset = ack.firstOffset(); offset <= ack.lastOffset(); offset++) {
                        for (Range range : records.cut(offset, offset)) {
                            pend(range, ack.typeAt(offset), write);
                        }
                    }
                }
            }
            acknowledgementsByWrite.computeIfAbsent(write, w -> new ArrayList<>()).add(held);
        }
        persist();
        return new AcknowledgeOutcome(Errors.NONE, held);
    }

    /** An acknowledgement's error, or NONE with a future of its persistence. */
    record AcknowledgeOutcome(Errors error, CompletableFuture<Void> persisted) {
        static AcknowledgeOutcome failed(Errors error) {
            return new AcknowledgeOutcome(error, CompletableFuture.completedFuture(null));
        }
    }

    private Errors check(String memberId, Acknowledgement ack) {
        long length = ack.lastOffset() - ack.firstOffset() + 1;
        if (length <= 0 || ack.types().length == 0 || ack.types().length != 1 && ack.types().length != length) {
            return Errors.INVALID_REQUEST;
        }
        for (byte type : ack.types()) {
            if (type < GAP || type > REJECT) {
                return Errors.INVALID_REQUEST;
            }
        }
        if (ack.firstOffset() < records.startOffset() || ack.lastOffset() >= records.endOffset()) {
            return Errors.INVALID_RECORD_STATE;
        }
        for (Range range : records.overlapping(ack.firstOffset(), ack.lastOffset())) {
            if (range.state != State.ACQUIRED || range.isPending() || !memberId.equals(range.memberId)) {
                return Errors.INVALID_RECORD_STATE;
            }
        }
        return Errors.NONE;
    }

    private void pend(Range range, byte type, long write) {
        range.pendingState = switch (type) {
            case ACCEPT -> State.ACKNOWLEDGED;
            case RELEASE -> range.deliveryCount >= limits.deliveryLimit() ? State.ARCHIVED : State.AVAILABLE;
            default -> State.ARCHIVED; // a gap, or rejected
        };
        range.pendingWrite = write;
    }

    /**
     * Settles the acknowledgements a write carried: in effect when it is held; otherwise the records stay
     * acquired, and are released at once if their lock ran out meanwhile. Returns their waiters.
     */
    private List<CompletableFuture<Void>> settle(long write, boolean held, boolean all) {
        long now = clock.getAsLong();
        for (Range range : records.all()) {
            if (!range.isPending() || !all && range.pendingWrite != write) {
                continue;
            }
            if (held) {
                if (range.pendingState == State.AVAILABLE) {
                    range.release(limits.deliveryLimit());
                    range.pendingState = null;
                } else {
                    range.finish(range.pendingState);
                }
            } else {
                range.pendingState = null;
                if (range.lockDeadline <= now) {
                    range.release(limits.deliveryLimit());
                }
            }
        }
        records.advanceStart();
        List<CompletableFuture<Void>> waiters = new ArrayList<>();
        if (all) {
            acknowledgementsByWrite.values().forEach(waiters::addAll);
            acknowledgementsByWrite.clear();
        } else {
            waiters.addAll(acknowledgementsByWrite.getOrDefault(write, List.of()));
            acknowledgementsByWrite.remove(write);
        }
        return waiters;
    }

    /** Releases what the member holds (its share session ended); persisted when anything was held. */
    CompletableFuture<Void> releaseAll(String memberId) {
        return releaseWhere(range -> memberId.equals(range.memberId));
    }

    /** Releases the records whose acquisition lock ran out by {@code now}. */
    CompletableFuture<Void> expireLocks(long now) {
        return releaseWhere(range -> range.lockDeadline <= now);
    }

    /** The earliest lock deadline of the acquired records, or {@link Long#MAX_VALUE} when none is acquired. */
    synchronized long nextLockDeadline() {
        long next = Long.MAX_VALUE;
        for (Range range : records.all()) {
            if (range.state == State.ACQUIRED) {
                next = Math.min(next, range.lockDeadline);
            }
        }
        return next;
    }

    private CompletableFuture<Void> releaseWhere(java.util.function.Predicate<Range> which) {
        synchronized (this) {
            boolean changed = false;
            for (Range range : records.all()) {
                if (range.state == State.ACQUIRED && !range.isPending() && which.test(range)) {
                    range.release(limits.deliveryLimit());
                    changed = true;
                }
            }
            if (!changed) {
                return CompletableFuture.completedFuture(null);
            }
            records.advanceStart();
        }
        return persist();
    }

    /** The log's start moved past records still in flight (retention, DeleteRecords): they are gone. */
    CompletableFuture<Void> logStartMovedTo(long logStartOffset) {
        synchronized (this) {
            if (logStartOffset <= records.startOffset()) {
                return CompletableFuture.completedFuture(null);
            }
            records.startAt(logStartOffset);
        }
        return persist();
    }

    /** The members that hold records here now. */
    synchronized Set<String> holders() {
        Set<String> members = new HashSet<>();
        for (Range range : records.all()) {
            if (range.state == State.ACQUIRED) {
                members.add(range.memberId);
            }
        }
        return members;
    }

    /** The state to write: with pending acknowledgements as they will be, so leading done records are not stored. */
    synchronized SharePartitionState state() {
        List<ShareStateBatch> batches = new ArrayList<>(records.toBatches());
        long start = records.startOffset();
        while (!batches.isEmpty() && batches.get(0).deliveryState() != ShareStateBatch.AVAILABLE) {
            start = batches.remove(0).lastOffset() + 1;
        }
        return new SharePartitionState(stateEpoch, leaderEpoch, start, batches);
    }

    /**
     * Writes the state as it is now: at once when no write is under way, otherwise right after the one
     * that is (which may already carry this change; one more write costs little and keeps this simple).
     */
    CompletableFuture<Void> persist() {
        CompletableFuture<Void> written = new CompletableFuture<>();
        SharePartitionState toWrite;
        long number;
        synchronized (this) {
            waitingForWrite.add(written);
            if (writing) {
                return written;
            }
            writing = true;
            inThisWrite = waitingForWrite;
            waitingForWrite = new ArrayList<>();
            toWrite = state();
            number = ++writesStarted;
        }
        write(toWrite, number);
        return written;
    }

    private void write(SharePartitionState toWrite, long number) {
        persister.write(groupId, partition.topicId(), partition.partition(), toWrite).whenComplete((ok, failure) -> {
            List<CompletableFuture<Void>> done;
            List<CompletableFuture<Void>> acknowledged;
            SharePartitionState next = null;
            long nextNumber = 0;
            synchronized (this) {
                done = inThisWrite;
                Errors error = failure == null ? Errors.NONE : CoordinatorException.errorOf(failure);
                if (error == Errors.FENCED_LEADER_EPOCH || error == Errors.FENCED_STATE_EPOCH) {
                    // A newer leader wrote, or the state was reset (offsets altered): this copy is not the
                    // share-partition's any more, and the next request loads it afresh.
                    fenced = true;
                }
                acknowledged = settle(number, failure == null, fenced);
                if (waitingForWrite.isEmpty() || fenced) {
                    writing = false;
                    inThisWrite = List.of();
                } else {
                    inThisWrite = waitingForWrite;
                    waitingForWrite = new ArrayList<>();
                    next = state();
                    nextNumber = ++writesStarted;
                }
            }
            for (CompletableFuture<Void> waiter : acknowledged) {
                if (failure == null) {
                    waiter.complete(null);
                } else {
                    waiter.completeExceptionally(failure);
                }
            }
            for (CompletableFuture<Void> waiter : done) {
                if (failure == null) {
                    waiter.complete(null);
                } else {
                    waiter.completeExceptionally(failure);
                }
            }
            if (next != null) {
                write(next, nextNumber);
            } else if (fenced) {
                failWaiting(failure);
            }
        });
    }

    private void failWaiting(Throwable failure) {
        List<CompletableFuture<Void>> left;
        synchronized (this) {
            left = waitingForWrite;
            waitingForWrite = new ArrayList<>();
        }
        left.forEach(waiter -> waiter.completeExceptionally(failure));
    }

    /** Tells whether a data batch belongs to an aborted transaction. */
    @FunctionalInterface
    interface AbortedBatches {
        AbortedBatches NONE = batch -> false;

        boolean isAborted(BatchHeader batch);
    }

    @Override
    public String toString() {
        return "share-partition " + groupId + "/" + partition;
    }
}
