package io.tributary.broker.log;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of a segment: entries of (offset relative to the segment's base offset,
 * byte position of a batch whose last offset it is), 4 bytes each, in increasing order. A lookup
 * gives a position from which a short forward scan reaches any offset.
 */
final class OffsetIndex extends MappedIndex {

    static final int ENTRY_SIZE = 8;

    /** A position in the segment file where a batch with this last offset starts. */
    record Entry(long offset, int position) {
    }

    OffsetIndex(Path path, long baseOffset, int maxIndexSize) throws IOException {
        super(path, baseOffset, maxIndexSize, ENTRY_SIZE);
    }

    @Override
    protected long keyAt(MappedByteBuffer buffer, int slot) {
        return buffer.getInt(slot * ENTRY_SIZE);
    }

    private int positionAt(MappedByteBuffer buffer, int slot) {
        return buffer.getInt(slot * ENTRY_SIZE + 4);
    }

    /** The last entry at or before {@code targetOffset}; the segment's start when there is none. */
    Entry lookup(long targetOffset) {
        MappedByteBuffer buffer = buffer();
        int slot = largestLowerBound(targetOffset - baseOffset);
        if (slot < 0) {
            return new Entry(baseOffset, 0);
        }
        return new Entry(baseOffset + keyAt(buffer, slot), positionAt(buffer, slot));
    }

    Entry lastEntry() {
        int count = entries();
        if (count == 0) {
            return new Entry(baseOffset, 0);
        }
        MappedByteBuffer buffer = buffer();
        return new Entry(baseOffset + keyAt(buffer, count - 1), positionAt(buffer, count - 1));
    }

    void append(long offset, int position) {
        checkNotFull();
        int count = entries();
        if (count > 0 && offset <= lastEntry().offset()) {
            throw new IllegalArgumentException("Offset index entries must increase: " + offset + " after "
                    + lastEntry().offset() + " in " + path());
        }
        MappedByteBuffer buffer = buffer();
        buffer.putInt(count * ENTRY_SIZE, Math.toIntExact(offset - baseOffset));
        buffer.putInt(count * ENTRY_SIZE + 4, position);
        entryWritten();
    }

    /** Forgets entries for offsets at or past {@code offset}. */
    void truncateTo(long offset) {
        int slot = largestLowerBound(offset - baseOffset);
        if (slot >= 0 && keyAt(buffer(), slot) == offset - baseOffset) {
            truncateToEntries(slot);
        } else {
            truncateToEntries(slot + 1);
        }
    }

    @Override
    void sanityCheck(long segmentSizeInBytes) {
        int count = entries();
        if (count == 0) {
            return;
        }
        MappedByteBuffer buffer = buffer();
        if (keyAt(buffer, 0) < 0 || positionAt(buffer, count - 1) >= Math.max(segmentSizeInBytes, 1)) {
            throw new IllegalStateException(describe("points past the end of its segment"));
        }
        for (int slot = 1; slot < count; slot++) {
            if (keyAt(buffer, slot) <= keyAt(buffer, slot - 1) || positionAt(buffer, slot) <= positionAt(buffer, slot - 1)) {
                throw new IllegalStateException(describe("is not increasing at entry " + slot));
            }
        }
    }

    private String describe(String problem) {
        return "Offset index " + path() + " with " + entries() + " entries " + problem;
    }
}
