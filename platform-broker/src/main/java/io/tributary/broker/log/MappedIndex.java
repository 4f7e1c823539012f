package io.tributary.broker.log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A memory-mapped file of fixed-size entries sorted by a key, searched by binary search. The file of
 * the active segment is preallocated to its maximum size and trimmed to its entries when the
 * segment is closed for appends.
 *
 * <p>Threading: one writer (the partition's appender) at a time; any number of concurrent readers.
 * A reader sees only entries that were complete when it read {@link #entries()}, because the count
 * is volatile and written after the entry's bytes.
 */
abstract class MappedIndex implements Closeable {

    private final int entrySize;
    protected final long baseOffset;
    private volatile Path path;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private int maxEntries;

    /**
     * Opens (or creates) the index file. A new file starts empty; an existing file is taken to hold
     * {@code length / entrySize} entries, which {@link #sanityCheck} or a rebuild confirms.
     *
     * @param maxIndexSize the size to preallocate when the index takes appends, or -1 to map it as it is
     */
    MappedIndex(Path path, long baseOffset, int maxIndexSize, int entrySize) throws IOException {
        this.path = path;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        boolean exists = Files.exists(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long existingLength = exists ? channel.size() : 0;
            int validEntries = (int) (existingLength / entrySize);
            long length = maxIndexSize < 0 ? (long) validEntries * entrySize
                    : Math.max(roundDown(maxIndexSize), (long) validEntries * entrySize);
            if (channel.size() != length) {
                setLength(channel, length);
            }
            this.mmap = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            this.maxEntries = (int) (length / entrySize);
            this.entries = validEntries;
        }
    }

    Path path() {
        return path;
    }

    int entries() {
        return entries;
    }

    /** Whether the segment should roll: the index has no room for regular entries. */
    boolean isFull() {
        return entries >= maxEntries - reservedEntries();
    }

    /** Entries kept free for a final entry written when the segment rolls. */
    protected int reservedEntries() {
        return 0;
    }

    protected MappedByteBuffer buffer() {
        return mmap;
    }

    protected int entrySize() {
        return entrySize;
    }

    /** The key entry {@code slot} is sorted by (relative offset or timestamp). */
    protected abstract long keyAt(MappedByteBuffer buffer, int slot);

    /** Throws {@link IllegalStateException} when the file cannot be this segment's index. */
    abstract void sanityCheck(long segmentSizeInBytes);

    /** The slot of the last entry whose key is at most {@code target}, or -1 when there is none. */
    protected int largestLowerBound(long target) {
        MappedByteBuffer buffer = mmap;
        int low = 0;
        int high = entries - 1;
        if (high < 0 || keyAt(buffer, 0) > target) {
            return -1;
        }
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (keyAt(buffer, mid) <= target) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    /** Called by subclasses after writing the entry's bytes at slot {@link #entries()}. */
    protected void entryWritten() {
        entries = entries + 1;
    }

    protected void checkNotFull() {
        if (entries >= maxEntries) {
            throw new IllegalStateException("Index " + path + " is full (" + entries + " entries)");
        }
    }

    /** Forgets every entry from {@code slot} on. */
    void truncateToEntries(int slot) {
        entries = Math.min(entries, Math.max(0, slot));
    }

    void reset() {
        truncateToEntries(0);
    }

    /** Shrinks the file to its entries, for a segment that takes no more appends. */
    void trimToValidSize() throws IOException {
        resize((long) entries * entrySize);
    }

    /** Grows the file back to its preallocated size, for a segment that takes appends again. */
    void resize(long newLength) throws IOException {
        long length = roundDown(newLength);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            mmap.force();
            setLength(channel, Math.max(length, (long) entries * entrySize));
            MappedByteBuffer remapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
            maxEntries = (int) (channel.size() / entrySize);
            mmap = remapped;
        }
    }

    void flush() {
        mmap.force();
    }

    void renameTo(Path target) throws IOException {
        if (Files.exists(path)) {
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
        }
        path = target;
    }

    void deleteIfExists() throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public void close() throws IOException {
        trimToValidSize();
    }

    /**
     * An index file is sparse until written, so on a full file system the first write to a new page of its
     * mapping finds no page to give it: the kernel sends SIGBUS, which the JVM throws as an
     * {@link InternalError} ("a fault occurred in a recent unsafe memory access operation"), at the write or
     * a little later in compiled code. It is the disk failing, as an ENOSPC from a write would say.
     */
    static IOException writeFault(InternalError fault) {
        return new IOException("Could not write a memory-mapped index (no space left on device for a new page?): "
                + fault.getMessage(), fault);
    }

    private long roundDown(long length) {
        return length - length % entrySize;
    }

    private static void setLength(FileChannel channel, long length) throws IOException {
        if (channel.size() > length) {
            channel.truncate(length);
        } else if (channel.size() < length) {
            // Writing the last byte extends the file; the gap reads as zeros and takes no disk space.
            channel.write(java.nio.ByteBuffer.wrap(new byte[1]), length - 1);
        }
    }
}
