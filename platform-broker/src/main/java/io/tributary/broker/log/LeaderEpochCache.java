package io.tributary.broker.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which leader epoch wrote which offsets: a list of (epoch, start offset) in increasing order of
 * both, persisted in {@code leader-epoch-checkpoint} in Kafka's text format. Followers use it to
 * find where their log diverges from a new leader's (OffsetForLeaderEpoch).
 *
 * <p>Threading: changed by the partition's appender only; reads are synchronized with changes.
 */
final class LeaderEpochCache {

    static final String FILE_NAME = "leader-epoch-checkpoint";
    private static final int VERSION = 0;

    /** Epoch {@code epoch} wrote its first record at {@code startOffset}. */
    record EpochEntry(int epoch, long startOffset) {
    }

    private final Path file;
    private final List<EpochEntry> entries = new ArrayList<>();

    private LeaderEpochCache(Path file) {
        this.file = file;
    }

    static LeaderEpochCache load(Path dir) throws IOException {
        LeaderEpochCache cache = new LeaderEpochCache(dir.resolve(FILE_NAME));
        if (Files.exists(cache.file)) {
            List<String> lines = Files.readAllLines(cache.file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new IOException("Unreadable leader epoch checkpoint " + cache.file);
            }
            int count = Integer.parseInt(lines.get(1).trim());
            for (int i = 0; i < count; i++) {
                String[] parts = lines.get(2 + i).trim().split("\\s+");
                cache.entries.add(new EpochEntry(Integer.parseInt(parts[0]), Long.parseLong(parts[1])));
            }
        }
        return cache;
    }

    synchronized List<EpochEntry> entries() {
        return List.copyOf(entries);
    }

    synchronized Optional<EpochEntry> latest() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1));
    }

    /** Records that {@code epoch} starts at {@code startOffset}, if it is newer than the latest epoch. */
    synchronized void assign(int epoch, long startOffset) throws IOException {
        if (epoch < 0) {
            return;
        }
        Optional<EpochEntry> latest = latest();
        if (latest.isPresent() && latest.get().epoch() >= epoch) {
            return;
        }
        entries.removeIf(entry -> entry.startOffset() >= startOffset);
        entries.add(new EpochEntry(epoch, startOffset));
        persist();
    }

    /**
     * The largest epoch at most {@code requestedEpoch} and the offset where it ended: the next
     * epoch's start offset, or the log end offset for the latest epoch. Kafka's rules for
     * OffsetForLeaderEpoch.
     */
    synchronized EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (entries.isEmpty() || requestedEpoch < 0) {
            return EpochEndOffset.UNDEFINED;
        }
        EpochEntry latest = entries.get(entries.size() - 1);
        if (requestedEpoch == latest.epoch()) {
            return new EpochEndOffset(latest.epoch(), logEndOffset);
        }
        if (requestedEpoch > latest.epoch()) {
            return EpochEndOffset.UNDEFINED;
        }
        int higher = 0;
        while (entries.get(higher).epoch() <= requestedEpoch) {
            higher++;
        }
        int floorEpoch = higher == 0 ? requestedEpoch : entries.get(higher - 1).epoch();
        return new EpochEndOffset(floorEpoch, entries.get(higher).startOffset());
    }

    /** Forgets the epochs that start at or after {@code endOffset}, after the log was truncated there. */
    synchronized void truncateFromEnd(long endOffset) throws IOException {
        if (entries.removeIf(entry -> entry.startOffset() >= endOffset)) {
            persist();
        }
    }

    /**
     * Moves the first epoch's start to {@code startOffset} after the log's start moved there,
     * dropping epochs that ended before it.
     */
    synchronized void truncateFromStart(long startOffset) throws IOException {
        int lastBefore = -1;
        for (int i = 0; i < entries.size() && entries.get(i).startOffset() <= startOffset; i++) {
            lastBefore = i;
        }
        if (lastBefore < 0 || (lastBefore == 0 && entries.get(0).startOffset() == startOffset)) {
            return;
        }
        EpochEntry kept = new EpochEntry(entries.get(lastBefore).epoch(), startOffset);
        entries.subList(0, lastBefore + 1).clear();
        entries.add(0, kept);
        persist();
    }

    private void persist() throws IOException {
        StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(entries.size()).append('\n');
        for (EpochEntry entry : entries) {
            text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
        }
        AtomicFiles.write(file, text.toString());
    }
}
