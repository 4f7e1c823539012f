package io.tributary.broker.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A segment's {@code .txnindex}: the aborted transactions whose ABORT marker lies in the segment,
 * in marker order, in Kafka's file format (34-byte entries: version, producer id, first offset,
 * last offset, last stable offset). A read_committed fetch learns from it which data to skip.
 *
 * <p>The file is created with the first entry; the entries are also kept in memory (a segment
 * holds few aborted transactions). Not thread-safe for writers: the partition's append lock
 * serializes appends, truncation and renames; readers see a snapshot of the entry list.
 */
final class TransactionIndex {

    static final String SUFFIX = ".txnindex";
    private static final short VERSION = 0;
    private static final int ENTRY_SIZE = 34;

    private volatile Path file;
    private volatile List<AbortedTxn> entries;
    private FileChannel channel;

    TransactionIndex(Path file) throws IOException {
        this.file = file;
        this.entries = Files.exists(file) ? readAll(file) : List.of();
    }

    private static List<AbortedTxn> readAll(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        List<AbortedTxn> read = new ArrayList<>(bytes.length / ENTRY_SIZE);
        while (buffer.remaining() >= ENTRY_SIZE) { // a torn last entry is dropped
            short version = buffer.getShort();
            if (version != VERSION) {
                throw new IOException("Unknown version " + version + " of transaction index " + file);
            }
            read.add(new AbortedTxn(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong()));
        }
        return List.copyOf(read);
    }

    Path path() {
        return file;
    }

    List<AbortedTxn> entries() {
        return entries;
    }

    void append(AbortedTxn txn) throws IOException {
        List<AbortedTxn> current = entries;
        if (!current.isEmpty() && current.get(current.size() - 1).lastOffset() >= txn.lastOffset()) {
            throw new IllegalArgumentException("Aborted transaction " + txn + " does not follow the last one in " + file);
        }
        ByteBuffer buffer = ByteBuffer.allocate(ENTRY_SIZE);
        buffer.putShort(VERSION).putLong(txn.producerId()).putLong(txn.firstOffset()).putLong(txn.lastOffset())
                .putLong(txn.lastStableOffset()).flip();
        FileChannel out = channel();
        long position = out.size();
        while (buffer.hasRemaining()) {
            position += out.write(buffer, position);
        }
        List<AbortedTxn> next = new ArrayList<>(current);
        next.add(txn);
        entries = List.copyOf(next);
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            // Entries beyond those read (a torn tail) are cut off before writing after them.
            channel.truncate((long) entries.size() * ENTRY_SIZE);
        }
        return channel;
    }

    /**
     * Adds to {@code into} the aborted transactions that overlap {@code fetchOffset} (inclusive) to
     * {@code upperBoundOffset} (exclusive).
     */
    void collect(long fetchOffset, long upperBoundOffset, List<AbortedTxn> into) {
        for (AbortedTxn txn : entries) {
            if (txn.lastOffset() >= fetchOffset && txn.firstOffset() < upperBoundOffset) {
                into.add(txn);
            }
        }
    }

    /** Removes the transactions whose marker is at or past {@code offset}, as the log was cut there. */
    void truncateTo(long offset) throws IOException {
        List<AbortedTxn> kept = entries.stream().filter(txn -> txn.lastOffset() < offset).toList();
        if (kept.size() == entries.size()) {
            return;
        }
        entries = kept;
        if (Files.exists(file)) {
            channel().truncate((long) kept.size() * ENTRY_SIZE);
        }
    }

    /** Removes every entry, before the index is rebuilt by a scan of its segment. */
    void reset() throws IOException {
        truncateTo(Long.MIN_VALUE);
    }

    void flush() throws IOException {
        if (channel != null) {
            channel.force(true);
        }
    }

    void renameTo(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        }
        file = target;
    }

    void deleteIfExists() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
