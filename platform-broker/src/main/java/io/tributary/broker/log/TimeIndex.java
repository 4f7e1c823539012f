package io.tributary.broker.log;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse time index of a segment: entries of (timestamp, offset relative to the segment's base
 * offset), 12 bytes each, both increasing. An entry says that no record before that offset has a
 * larger timestamp, so a search by time can start there.
 */
final class TimeIndex extends MappedIndex {

    static final int ENTRY_SIZE = 12;

    /** The largest timestamp seen up to and including {@code offset}. */
    record Entry(long timestamp, long offset) {
    }

    TimeIndex(Path path, long baseOffset, int maxIndexSize) throws IOException {
        super(path, baseOffset, maxIndexSize, ENTRY_SIZE);
    }

    /** One entry stays free so that the final entry of a rolled segment always fits. */
    @Override
    protected int reservedEntries() {
        return 1;
    }

    @Override
    protected long keyAt(MappedByteBuffer buffer, int slot) {
        return buffer.getLong(slot * ENTRY_SIZE);
    }

    private long offsetAt(MappedByteBuffer buffer, int slot) {
        return baseOffset + buffer.getInt(slot * ENTRY_SIZE + 8);
    }

    /** The last entry with a timestamp at most {@code timestamp}; the segment's start when there is none. */
    Entry lookup(long timestamp) {
        int slot = largestLowerBound(timestamp);
        if (slot < 0) {
            return new Entry(-1, baseOffset);
        }
        MappedByteBuffer buffer = buffer();
        return new Entry(keyAt(buffer, slot), offsetAt(buffer, slot));
    }

    Entry lastEntry() {
        int count = entries();
        if (count == 0) {
            return new Entry(-1, baseOffset);
        }
        MappedByteBuffer buffer = buffer();
        return new Entry(keyAt(buffer, count - 1), offsetAt(buffer, count - 1));
    }

    /** Adds an entry when {@code timestamp} is newer than the last one; the index only grows in time. */
    void maybeAppend(long timestamp, long offset) {
        Entry last = lastEntry();
        if (timestamp <= last.timestamp() || (entries() > 0 && offset <= last.offset())) {
            return;
        }
        checkNotFull();
        MappedByteBuffer buffer = buffer();
        int count = entries();
        buffer.putLong(count * ENTRY_SIZE, timestamp);
        buffer.putInt(count * ENTRY_SIZE + 8, Math.toIntExact(offset - baseOffset));
        entryWritten();
    }

    /** Forgets entries for offsets at or past {@code offset}. */
    void truncateTo(long offset) {
        MappedByteBuffer buffer = buffer();
        int keep = entries();
        while (keep > 0 && offsetAt(buffer, keep - 1) >= offset) {
            keep--;
        }
        truncateToEntries(keep);
    }

    @Override
    void sanityCheck(long segmentSizeInBytes) {
        MappedByteBuffer buffer = buffer();
        for (int slot = 1; slot < entries(); slot++) {
            if (keyAt(buffer, slot) <= keyAt(buffer, slot - 1) || offsetAt(buffer, slot) <= offsetAt(buffer, slot - 1)) {
                throw new IllegalStateException("Time index " + path() + " is not increasing at entry " + slot);
            }
        }
        if (entries() > 0 && offsetAt(buffer, 0) < baseOffset) {
            throw new IllegalStateException("Time index " + path() + " starts before its segment");
        }
    }
}
