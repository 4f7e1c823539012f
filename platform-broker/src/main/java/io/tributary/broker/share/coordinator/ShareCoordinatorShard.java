package io.tributary.broker.share.coordinator;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.coordinator.CoordinatorResult;
import io.tributary.broker.coordinator.CoordinatorShard;
import io.tributary.broker.share.persister.SharePartitionState;
import org.apache.kafka.common.protocol.Errors;

/**
 * The share-partition states of one partition of {@code __share_group_state} (Kafka's
 * {@code ShareCoordinatorShard}): built by replaying the partition, changed by replaying each write once
 * the in-sync replicas hold it. Reads are answered from this memory.
 *
 * <p>Fencing: a write whose leader epoch is lower than the highest one accepted for its key is refused
 * with FENCED_LEADER_EPOCH, one whose state epoch is lower with FENCED_STATE_EPOCH (an epoch of -1 is not
 * checked, as in Kafka). The highest epochs are raised when a write is <em>decided</em>, not only when it
 * is held, so that two writes decided one after the other are fenced against each other; the
 * {@link ShareCoordinator} decides and appends the writes of one partition under one lock, so that the
 * order of the records is the order of the decisions.
 *
 * <p>Thread-safe: the maps are concurrent; decisions are made under the coordinator's lock.
 */
final class ShareCoordinatorShard implements CoordinatorShard {

    /** An epoch that is not checked (Kafka's -1), and the start offset of a share-partition never initialized. */
    static final int NO_EPOCH = -1;
    static final long UNINITIALIZED_START_OFFSET = -1;

    /** What the partition holds for a key: its state, or null once deleted, and the record's position. */
    private record Stored(SharePartitionState state, long offset) {
    }

    /** The highest epochs accepted for a key: written, or decided and being written. */
    private record Fence(int stateEpoch, int leaderEpoch) {
        Fence raise(int newStateEpoch, int newLeaderEpoch) {
            return new Fence(Math.max(stateEpoch, newStateEpoch), Math.max(leaderEpoch, newLeaderEpoch));
        }
    }

    private final int partition;
    private final LongSupplier clock;
    private final Map<SharePartitionKey, Stored> states = new ConcurrentHashMap<>();
    private final Map<SharePartitionKey, Fence> fences = new ConcurrentHashMap<>();
    /** False while the partition's log is replayed at a load; deletes then also forget the key's epochs. */
    private volatile boolean loaded;

    ShareCoordinatorShard(int partition, LongSupplier clock) {
        this.partition = partition;
        this.clock = clock;
    }

    int partition() {
        return partition;
    }

    // ---------------------------------------------------------------- replay

    @Override
    public void replay(ByteBuffer key, ByteBuffer value, long offset) {
        SharePartitionKey shareKey = ShareStateRecords.readKey(key);
        SharePartitionState state = value == null ? null : ShareStateRecords.readValue(value);
        // Writes that complete concurrently may be replayed out of order: the latest record of a key wins.
        states.compute(shareKey, (k, current) -> current != null && current.offset() > offset ? current
                : new Stored(state, offset));
        if (state != null) {
            fences.merge(shareKey, new Fence(state.stateEpoch(), state.leaderEpoch()),
                    (current, written) -> current.raise(written.stateEpoch(), written.leaderEpoch()));
        } else if (!loaded) {
            fences.remove(shareKey); // live, the delete forgot them when it was decided
        }
    }

    @Override
    public void onLoaded() {
        loaded = true;
    }

    // ---------------------------------------------------------------- what the coordinator asks

    /** The key's state as held now, if it has one (deleted keys have none). */
    Optional<SharePartitionState> state(SharePartitionKey key) {
        Stored stored = states.get(key);
        return stored == null ? Optional.empty() : Optional.ofNullable(stored.state());
    }

    /** The highest leader epoch accepted for the key, or {@link #NO_EPOCH}. */
    int leaderEpoch(SharePartitionKey key) {
        Fence fence = fences.get(key);
        return fence == null ? NO_EPOCH : fence.leaderEpoch();
    }

    /** The share-partitions this shard holds a state of. */
    int size() {
        return (int) states.values().stream().filter(stored -> stored.state() != null).count();
    }

    /**
     * Replaces the key's state with {@code state}, unless fenced. Answers nothing once held.
     *
     * @throws CoordinatorException FENCED_LEADER_EPOCH or FENCED_STATE_EPOCH
     */
    CoordinatorResult<Void> write(SharePartitionKey key, SharePartitionState state) {
        checkFences(key, state.stateEpoch(), state.leaderEpoch());
        return store(key, state, null);
    }

    /**
     * The key's state for a reader, a leader of {@code leaderEpoch} (or {@link #NO_EPOCH}): fenced when an
     * older leader reads, and, as Kafka's {@code readStateAndMaybeUpdateLeaderEpoch}, a newer leader's epoch
     * is recorded so that the leader it replaced can no longer write.
     */
    CoordinatorResult<Optional<SharePartitionState>> read(SharePartitionKey key, int leaderEpoch) {
        checkFences(key, NO_EPOCH, leaderEpoch);
        Optional<SharePartitionState> current = state(key);
        if (leaderEpoch == NO_EPOCH || leaderEpoch == leaderEpoch(key)) {
            return CoordinatorResult.answer(current);
        }
        SharePartitionState recorded = current
                .map(state -> new SharePartitionState(state.stateEpoch(), leaderEpoch, state.startOffset(), state.batches()))
                .orElseGet(() -> new SharePartitionState(0, leaderEpoch, UNINITIALIZED_START_OFFSET, List.of()));
        return store(key, recorded, current);
    }

    /** The key's state without recording the reader's epoch (ReadShareGroupStateSummary), fenced as a read. */
    Optional<SharePartitionState> summary(SharePartitionKey key, int leaderEpoch) {
        checkFences(key, NO_EPOCH, leaderEpoch);
        return state(key);
    }

    /**
     * Initializes the key's state (InitializeShareGroupState): a new state epoch and start offset, no
     * in-flight records; the highest leader epoch seen is kept.
     *
     * @throws CoordinatorException FENCED_STATE_EPOCH when a newer state epoch was written
     */
    CoordinatorResult<Void> initialize(SharePartitionKey key, int stateEpoch, long startOffset) {
        checkFences(key, stateEpoch, NO_EPOCH);
        return store(key, new SharePartitionState(stateEpoch, leaderEpoch(key), startOffset, List.of()), null);
    }

    /** Deletes the key's state and forgets its epochs; nothing is written for a key without state. */
    CoordinatorResult<Void> delete(SharePartitionKey key) {
        fences.remove(key);
        if (state(key).isEmpty()) {
            return CoordinatorResult.answer(null);
        }
        return CoordinatorResult.of(List.of(ShareStateRecords.record(key, null, clock.getAsLong())), null);
    }

    /** Whether a state stands for "never initialized" (Kafka's start offset -1 with nothing in flight). */
    static boolean isInitialized(SharePartitionState state) {
        return state.startOffset() != UNINITIALIZED_START_OFFSET || !state.batches().isEmpty();
    }

    private void checkFences(SharePartitionKey key, int stateEpoch, int leaderEpoch) {
        Fence fence = fences.get(key);
        if (fence == null) {
            return;
        }
        if (leaderEpoch != NO_EPOCH && leaderEpoch < fence.leaderEpoch()) {
            throw new CoordinatorException(Errors.FENCED_LEADER_EPOCH, "Leader epoch " + leaderEpoch + " of " + key
                    + " is older than " + fence.leaderEpoch());
        }
        if (stateEpoch != NO_EPOCH && stateEpoch < fence.stateEpoch()) {
            throw new CoordinatorException(Errors.FENCED_STATE_EPOCH, "State epoch " + stateEpoch + " of " + key
                    + " is older than " + fence.stateEpoch());
        }
    }

    /** Decides a write of {@code state}: its epochs now fence the next decisions; its record is returned. */
    private <T> CoordinatorResult<T> store(SharePartitionKey key, SharePartitionState state, T response) {
        fences.merge(key, new Fence(state.stateEpoch(), state.leaderEpoch()),
                (current, decided) -> current.raise(decided.stateEpoch(), decided.leaderEpoch()));
        return CoordinatorResult.of(List.of(ShareStateRecords.record(key, state, clock.getAsLong())), response);
    }

    @Override
    public String toString() {
        return size() + " share-partition states";
    }
}
