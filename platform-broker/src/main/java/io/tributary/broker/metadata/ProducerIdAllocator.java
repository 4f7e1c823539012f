package io.tributary.broker.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tributary.broker.log.AtomicFiles;

/**
 * Hands out producer ids for idempotent producers, never the same one twice, also across
 * restarts: ids are reserved in blocks whose end is persisted before any id of the block is used.
 *
 * <p>Thread-safe.
 */
public final class ProducerIdAllocator {

    static final int BLOCK_SIZE = 1000;
    private final Path file;
    private long next;
    private long blockEnd;

    public ProducerIdAllocator(Path dataDir) throws IOException {
        Path dir = dataDir.resolve(TopicStore.DIRECTORY);
        Files.createDirectories(dir);
        this.file = dir.resolve("producer-id-block");
        long reserved = Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim()) : 0;
        this.next = reserved;
        this.blockEnd = reserved;
    }

    public synchronized long nextProducerId() {
        if (next >= blockEnd) {
            try {
                AtomicFiles.write(file, Long.toString(blockEnd + BLOCK_SIZE));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not reserve producer ids", e);
            }
            blockEnd += BLOCK_SIZE;
        }
        return next++;
    }
}
