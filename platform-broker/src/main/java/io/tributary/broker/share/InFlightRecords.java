package io.tributary.broker.share;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStateBatch;

/**
 * The records of one share-partition between its start offset and its end offset, each in a state
 * (Kafka's {@code SharePartition} in-flight batches): every offset in {@code [startOffset, endOffset)} is
 * covered by exactly one {@link Range}, ranges are split where an operation covers part of one, and the
 * start offset moves past every leading range that is done (acknowledged or archived).
 *
 * <p>Offsets without a record (removed by compaction, or taken by a transaction marker) are covered too:
 * they are acquired with their batch and acknowledged by the client as gaps, or archived at once.
 *
 * <p>Not thread-safe: {@link SharePartition} guards it.
 */
final class InFlightRecords {

    enum State { AVAILABLE, ACQUIRED, ACKNOWLEDGED, ARCHIVED;

        boolean isDone() {
            return this == ACKNOWLEDGED || this == ARCHIVED;
        }
    }

    /** Offsets {@code first..last} in one state; acquired ones with their member and lock deadline. */
    static final class Range {
        long first;
        long last;
        State state;
        short deliveryCount;
        String memberId;
        long lockDeadline;
        /**
         * An acknowledgement waiting for its write: the state the range takes once the write that carries it
         * ({@link #pendingWrite}) is held, or null. Until then the range stays acquired by its member.
         */
        State pendingState;
        long pendingWrite;

        Range(long first, long last, State state, short deliveryCount) {
            this.first = first;
            this.last = last;
            this.state = state;
            this.deliveryCount = deliveryCount;
        }

        long size() {
            return last - first + 1;
        }

        private Range tail(long from) {
            Range tail = new Range(from, last, state, deliveryCount);
            tail.memberId = memberId;
            tail.lockDeadline = lockDeadline;
            tail.pendingState = pendingState;
            tail.pendingWrite = pendingWrite;
            last = from - 1;
            return tail;
        }

        void acquire(String member, long deadline) {
            state = State.ACQUIRED;
            deliveryCount++;
            memberId = member;
            lockDeadline = deadline;
        }

        /** Back to the queue, or archived once it has been delivered {@code deliveryLimit} times. */
        void release(int deliveryLimit) {
            state = deliveryCount >= deliveryLimit ? State.ARCHIVED : State.AVAILABLE;
            memberId = null;
        }

        void finish(State done) {
            state = done;
            memberId = null;
            pendingState = null;
        }

        boolean isPending() {
            return pendingState != null;
        }

        /** The state a write stores: a pending acknowledgement's outcome, an acquired range as available. */
        State stored() {
            return pendingState != null ? pendingState : state;
        }
    }

    private final NavigableMap<Long, Range> ranges = new TreeMap<>();
    private long startOffset;
    private long endOffset;

    InFlightRecords(long startOffset) {
        this.startOffset = startOffset;
        this.endOffset = startOffset;
    }

    /** The records as a persisted state left them: what was acquired then is available again. */
    static InFlightRecords of(SharePartitionState state) {
        InFlightRecords records = new InFlightRecords(state.startOffset());
        for (ShareStateBatch batch : state.batches()) {
            long first = Math.max(batch.firstOffset(), records.endOffset);
            if (batch.lastOffset() < first) {
                continue;
            }
            if (first > records.endOffset) { // not written by us, but keep the coverage whole
                records.append(new Range(records.endOffset, first - 1, State.AVAILABLE, (short) 0));
            }
            State stored = switch (batch.deliveryState()) {
                case ShareStateBatch.ACKNOWLEDGED -> State.ACKNOWLEDGED;
                case ShareStateBatch.ARCHIVED -> State.ARCHIVED;
                default -> State.AVAILABLE;
            };
            records.append(new Range(first, batch.lastOffset(), stored, batch.deliveryCount()));
        }
        records.advanceStart();
        return records;
    }

    long startOffset() {
        return startOffset;
    }

    long endOffset() {
        return endOffset;
    }

    /** Appends a range that starts at the end offset. */
    void append(Range range) {
        if (range.first != endOffset) {
            throw new IllegalArgumentException("Range " + range.first + ".." + range.last + " does not start at " + endOffset);
        }
        ranges.put(range.first, range);
        endOffset = range.last + 1;
    }

    /** The first offset handed out again before new ones are read, or the end offset when none is. */
    long firstAvailableOffset() {
        for (Range range : ranges.values()) {
            if (range.state == State.AVAILABLE) {
                return range.first;
            }
        }
        return endOffset;
    }

    boolean hasAvailable() {
        return firstAvailableOffset() < endOffset;
    }

    /**
     * The ranges covering {@code first..last} (clamped to the in-flight offsets), split so that they start
     * and end inside it; in order.
     */
    List<Range> cut(long first, long last) {
        long from = Math.max(first, startOffset);
        long to = Math.min(last, endOffset - 1);
        if (from > to) {
            return List.of();
        }
        splitAt(from);
        splitAt(to + 1);
        return new ArrayList<>(ranges.subMap(from, true, to, true).values());
    }

    /** The ranges covering {@code first..last} as they are, without splitting: for checks before a change. */
    List<Range> overlapping(long first, long last) {
        List<Range> found = new ArrayList<>();
        Map.Entry<Long, Range> floor = ranges.floorEntry(first);
        long from = floor == null ? first : floor.getKey();
        for (Range range : ranges.subMap(from, true, last, true).values()) {
            if (range.last >= first) {
                found.add(range);
            }
        }
        return found;
    }

    private void splitAt(long offset) {
        Map.Entry<Long, Range> floor = ranges.floorEntry(offset);
        if (floor != null && floor.getKey() < offset && floor.getValue().last >= offset) {
            Range tail = floor.getValue().tail(offset);
            ranges.put(offset, tail);
        }
    }

    /** Every range, in order (to release a member's, or expire locks). */
    Iterable<Range> all() {
        return ranges.values();
    }

    /** Moves the start offset past the leading ranges that are done. */
    void advanceStart() {
        while (!ranges.isEmpty()) {
            Range first = ranges.firstEntry().getValue();
            if (!first.state.isDone()) {
                return;
            }
            ranges.pollFirstEntry();
            startOffset = first.last + 1;
        }
        startOffset = Math.max(startOffset, endOffset);
    }

    /** Drops every offset below {@code offset} (the log no longer has them) and starts there. */
    void startAt(long offset) {
        if (offset <= startOffset) {
            return;
        }
        splitAt(offset);
        ranges.headMap(offset, false).clear();
        startOffset = offset;
        endOffset = Math.max(endOffset, offset);
        advanceStart();
    }

    /** How many offsets are in flight (Kafka bounds this with {@code group.share.partition.max.record.locks}). */
    long size() {
        return endOffset - startOffset;
    }

    /**
     * The state to persist: ranges merged where neighbours agree, pending acknowledgements as they will be,
     * acquired ones stored as available (a new leader hands them out again).
     */
    List<ShareStateBatch> toBatches() {
        List<ShareStateBatch> batches = new ArrayList<>();
        long first = -1;
        long last = -1;
        byte state = 0;
        short count = 0;
        for (Range range : ranges.values()) {
            byte stored = switch (range.stored()) {
                case ACKNOWLEDGED -> ShareStateBatch.ACKNOWLEDGED;
                case ARCHIVED -> ShareStateBatch.ARCHIVED;
                default -> ShareStateBatch.AVAILABLE;
            };
            if (first >= 0 && stored == state && range.deliveryCount == count && range.first == last + 1) {
                last = range.last;
                continue;
            }
            if (first >= 0) {
                batches.add(new ShareStateBatch(first, last, state, count));
            }
            first = range.first;
            last = range.last;
            state = stored;
            count = range.deliveryCount;
        }
        if (first >= 0) {
            batches.add(new ShareStateBatch(first, last, state, count));
        }
        return batches;
    }
}
