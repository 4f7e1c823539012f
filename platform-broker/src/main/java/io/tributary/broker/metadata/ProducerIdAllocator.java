package io.tributary.broker.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import io.tributary.broker.log.AtomicFiles;

/**
 * Hands out producer ids for idempotent producers, never the same one twice, also across
 * restarts: ids are reserved in blocks of {@link #BLOCK_SIZE}, each reserved durably before any
 * id of it is used — on a single node in the data directory, in a cluster through the quorum, so
 * that no two brokers hand out the same id either.
 *
 * <p>Thread-safe.
 */
public final class ProducerIdAllocator {

    public static final int BLOCK_SIZE = 1000;
    private final LongSupplier reserveBlock;
    private long next;
    private long blockEnd;

    /** Reserves blocks in {@code <data-dir>/.metadata/producer-id-block}. */
    public ProducerIdAllocator(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(TopicStore.DIRECTORY);
        Files.createDirectories(dir);
        Path file = dir.resolve("producer-id-block");
        long[] reserved = {Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()) : 0};
        this.reserveBlock = () -> {
            try {
                AtomicFiles.write(file, Long.toString(reserved[0] + BLOCK_SIZE));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not reserve producer ids", e);
            }
            long first = reserved[0];
            reserved[0] += BLOCK_SIZE;
            return first;
        };
    }

    /** @param reserveBlock reserves a new block and returns its first id */
    public ProducerIdAllocator(LongSupplier reserveBlock) {
        this.reserveBlock = reserveBlock;
    }

    public synchronized long nextProducerId() {
        if (next >= blockEnd) {
            next = reserveBlock.getAsLong();
            blockEnd = next + BLOCK_SIZE;
        }
        return next++;
    }
}
