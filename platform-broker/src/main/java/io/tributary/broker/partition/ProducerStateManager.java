package io.tributary.broker.partition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.tributary.broker.log.AtomicFiles;
import io.tributary.broker.log.StoredBatch;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The idempotent producers of one partition: for each producer id, its epoch and the metadata of
 * its last five batches, so that a retried batch is recognised and answered with the offsets it
 * got the first time, and a batch out of sequence is refused (Kafka's rules).
 *
 * <p>Persisted as {@code producer-state.snapshot} in the partition's directory, with the offset it
 * covers; on start the state is the snapshot plus a scan of the batches appended after it.
 *
 * <p>Not thread-safe: the partition calls it under its append lock.
 */
final class ProducerStateManager {

    static final String SNAPSHOT_FILE = "producer-state.snapshot";
    static final int BATCHES_KEPT = 5;

    /** Where one batch of a producer went. */
    record BatchMetadata(int firstSequence, int lastSequence, long firstOffset, long lastOffset) {
    }

    private static final class ProducerEntry {
        short epoch;
        final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(BATCHES_KEPT);

        ProducerEntry(short epoch) {
            this.epoch = epoch;
        }

        int lastSequence() {
            return batches.isEmpty() ? -1 : batches.getLast().lastSequence();
        }
    }

    private final Path dir;
    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    /** The log offset the state reflects: every batch below it has been applied. */
    private long upToOffset;
    /** The offset the snapshot on disk reflects: a snapshot is written only when the state moved on. */
    private long snapshotOffset = -1;

    ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    int producerCount() {
        return producers.size();
    }

    /**
     * Checks a validated batch against the producer's state.
     *
     * @return where the batch went the first time, when it is a retry of one of the last five
     * @throws ProducerStateException for a fenced epoch or a sequence out of order
     */
    Optional<BatchMetadata> check(RecordBatch batch) {
        if (batch.isControlBatch()) {
            throw new ProducerStateException(Errors.INVALID_RECORD, "Clients cannot produce control batches");
        }
        if (batch.isTransactional()) {
            throw new ProducerStateException(Errors.INVALID_TXN_STATE, "Transactions are not supported by this broker");
        }
        if (!batch.hasProducerId()) {
            return Optional.empty();
        }
        if (batch.baseSequence() < 0) {
            throw new ProducerStateException(Errors.INVALID_RECORD, "Invalid sequence number " + batch.baseSequence()
                    + " in a batch of idempotent producer " + batch.producerId());
        }
        ProducerEntry entry = producers.get(batch.producerId());
        if (entry == null) {
            return Optional.empty(); // unknown producer (new, or its batches left with retention): any sequence
        }
        short epoch = batch.producerEpoch();
        if (epoch < entry.epoch) {
            throw new ProducerStateException(Errors.INVALID_PRODUCER_EPOCH, "Epoch of producer " + batch.producerId()
                    + " is " + epoch + ", which is smaller than the last seen epoch " + entry.epoch);
        }
        if (epoch > entry.epoch) {
            if (batch.baseSequence() != 0) {
                throw new ProducerStateException(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "Invalid sequence number for new epoch of producer "
                        + batch.producerId() + " (epoch " + epoch + "): " + batch.baseSequence() + " (expected 0)");
            }
            return Optional.empty();
        }
        for (BatchMetadata previous : entry.batches) {
            if (previous.firstSequence() == batch.baseSequence() && previous.lastSequence() == batch.lastSequence()) {
                return Optional.of(previous);
            }
        }
        int last = entry.lastSequence();
        if (last >= 0 && !inSequence(last, batch.baseSequence())) {
            throw new ProducerStateException(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "Out of order sequence number for producer "
                    + batch.producerId() + " at epoch " + epoch + ": " + batch.baseSequence() + " (incoming seq. number), "
                    + last + " (current end sequence number)");
        }
        return Optional.empty();
    }

    /**
     * Checks a coordinator's own batch: it carries no sequence numbers, the coordinator being its only
     * writer, so only a fenced epoch is refused.
     */
    Optional<BatchMetadata> checkCoordinatorBatch(RecordBatch batch) {
        ProducerEntry entry = producers.get(batch.producerId());
        if (entry != null && batch.producerEpoch() < entry.epoch) {
            throw new ProducerStateException(Errors.INVALID_PRODUCER_EPOCH, "Epoch of producer " + batch.producerId()
                    + " is " + batch.producerEpoch() + ", which is smaller than the last seen epoch " + entry.epoch);
        }
        return Optional.empty();
    }

    private static boolean inSequence(int lastSequence, int nextSequence) {
        return nextSequence == lastSequence + 1 || (lastSequence == Integer.MAX_VALUE && nextSequence == 0);
    }

    /** Records a batch that was appended (or found in the log at start). */
    void update(long producerId, short epoch, int firstSequence, int lastSequence, long firstOffset, long lastOffset) {
        if (producerId < 0) {
            upToOffset = Math.max(upToOffset, lastOffset + 1);
            return;
        }
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(epoch));
        if (epoch != entry.epoch) {
            entry.epoch = epoch;
            entry.batches.clear();
        }
        if (entry.batches.size() == BATCHES_KEPT) {
            entry.batches.removeFirst();
        }
        entry.batches.addLast(new BatchMetadata(firstSequence, lastSequence, firstOffset, lastOffset));
        upToOffset = Math.max(upToOffset, lastOffset + 1);
    }

    void replay(StoredBatch batch) {
        update(batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(), batch.baseOffset(),
                batch.lastOffset());
    }

    long upToOffset() {
        return upToOffset;
    }

    /**
     * Loads the snapshot if it is usable for a log ending at {@code logEndOffset}.
     *
     * @return the offset from which the log must be replayed
     */
    long loadSnapshot(long logStartOffset, long logEndOffset) throws IOException {
        producers.clear();
        upToOffset = logStartOffset;
        Path file = dir.resolve(SNAPSHOT_FILE);
        if (!Files.exists(file)) {
            snapshotOffset = logStartOffset; // an empty state needs no file until a batch arrives
            return logStartOffset;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).equals("version 0")) {
            return logStartOffset;
        }
        long snapshotOffset = Long.parseLong(lines.get(1).split(" ")[1]);
        if (snapshotOffset > logEndOffset || snapshotOffset < logStartOffset) {
            return logStartOffset; // the log was truncated or trimmed past the snapshot: rebuild from the log
        }
        for (String line : lines.subList(2, lines.size())) {
            String[] fields = line.trim().split(" ");
            long producerId = Long.parseLong(fields[0]);
            short epoch = Short.parseShort(fields[1]);
            for (int i = 2; i + 3 < fields.length; i += 4) {
                update(producerId, epoch, Integer.parseInt(fields[i]), Integer.parseInt(fields[i + 1]),
                        Long.parseLong(fields[i + 2]), Long.parseLong(fields[i + 3]));
            }
        }
        upToOffset = snapshotOffset;
        this.snapshotOffset = snapshotOffset;
        return snapshotOffset;
    }

    /**
     * Writes the state atomically, so that a restart replays only what came after it; nothing is
     * written when no batch was appended since the last snapshot.
     */
    void writeSnapshot() throws IOException {
        if (upToOffset == snapshotOffset) {
            return;
        }
        StringBuilder text = new StringBuilder("version 0\nupTo ").append(upToOffset).append('\n');
        producers.forEach((producerId, entry) -> {
            text.append(producerId).append(' ').append(entry.epoch);
            for (BatchMetadata batch : entry.batches) {
                text.append(' ').append(batch.firstSequence()).append(' ').append(batch.lastSequence()).append(' ')
                        .append(batch.firstOffset()).append(' ').append(batch.lastOffset());
            }
            text.append('\n');
        });
        AtomicFiles.write(dir.resolve(SNAPSHOT_FILE), text.toString());
        snapshotOffset = upToOffset;
    }
}
