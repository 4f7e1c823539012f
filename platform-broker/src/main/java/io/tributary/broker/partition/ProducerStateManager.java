package io.tributary.broker.partition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import io.tributary.broker.log.AtomicFiles;
import io.tributary.broker.log.StoredBatch;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The idempotent and transactional producers of one partition: for each producer id, its epoch, the
 * metadata of its last five batches, the first offset of its ongoing transaction and the coordinator
 * epoch of the last transaction marker. A retried batch is recognised and answered with the offsets
 * it got the first time; a batch out of sequence or from a fenced epoch is refused (Kafka's rules).
 * The ongoing transactions give the first unstable offset, below which everything is decided.
 *
 * <p>Persisted as {@code producer-state.snapshot} in the partition's directory, with the offset it
 * covers; on start the state is the snapshot plus a replay of the batches (markers included)
 * appended after it.
 *
 * <p>Not thread-safe: the partition calls it under its lock.
 */
final class ProducerStateManager {

    static final String SNAPSHOT_FILE = "producer-state.snapshot";
    static final int BATCHES_KEPT = 5;
    /** Version 1 added each producer's ongoing transaction, coordinator epoch and last timestamp. */
    static final int SNAPSHOT_VERSION = 1;

    /** Where one batch of a producer went. */
    record BatchMetadata(int firstSequence, int lastSequence, long firstOffset, long lastOffset) {
    }

    /**
     * A transaction a marker ended: its data lies in {@code firstOffset..lastOffset}, the last being
     * the marker's offset.
     */
    record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean aborted) {
    }

    private static final class ProducerEntry {
        short epoch;
        final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(BATCHES_KEPT);
        long lastTimestamp = RecordBatch.NO_TIMESTAMP;
        int coordinatorEpoch = -1;
        /** The first offset of the ongoing transaction, or -1. */
        long currentTxnFirstOffset = -1;

        ProducerEntry(short epoch) {
            this.epoch = epoch;
        }

        int lastSequence() {
            return batches.isEmpty() ? -1 : batches.getLast().lastSequence();
        }

        /** A new epoch starts with no batches to deduplicate against. */
        void moveToEpoch(short newEpoch) {
            if (newEpoch != epoch) {
                epoch = newEpoch;
                batches.clear();
            }
        }
    }

    private final Path dir;
    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    /** The ongoing transactions: first offset to producer id. */
    private final TreeMap<Long, Long> ongoing = new TreeMap<>();
    /**
     * Transactions whose marker is written but not yet below the high watermark, first offset to
     * marker offset: as in Kafka they stay unstable until the marker is replicated, so a read_committed
     * consumer never reads a transaction whose outcome a new leader might not hold.
     */
    private final TreeMap<Long, Long> unreplicated = new TreeMap<>();
    /** The log offset the state reflects: every batch below it has been applied. */
    private long upToOffset;
    /** The offset the snapshot on disk reflects: a snapshot is written only when the state moved on. */
    private long snapshotOffset = -1;

    ProducerStateManager(Path dir) {
        this.dir = dir;
    }

    /** Whether the producer has a transaction open in this partition (its first transactional batch is here). */
    boolean hasOngoingTransaction(long producerId) {
        ProducerEntry entry = producers.get(producerId);
        return entry != null && entry.currentTxnFirstOffset >= 0;
    }

    int producerCount() {
        return producers.size();
    }

    /**
     * Checks a validated batch a client sent against the producer's state.
     *
     * @return where the batch went the first time, when it is a retry of one of the last five
     * @throws ProducerStateException for a fenced epoch, a sequence out of order, a control batch, or
     *                                a non-transactional batch from a producer in a transaction
     */
    Optional<BatchMetadata> check(RecordBatch batch) {
        if (batch.isControlBatch()) {
            throw new ProducerStateException(Errors.INVALID_RECORD, "Clients cannot produce control batches");
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
        } else {
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
        }
        if (entry.currentTxnFirstOffset >= 0 && !batch.isTransactional()) {
            throw new ProducerStateException(Errors.INVALID_TXN_STATE, "Expected transactional write from producer "
                    + batch.producerId() + ", whose transaction started at offset " + entry.currentTxnFirstOffset);
        }
        return Optional.empty();
    }

    /**
     * Checks a coordinator's own batch: its sequence numbers mean nothing, the coordinator being its
     * only writer, so only a fenced epoch is refused.
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

    /**
     * Checks a transaction marker the coordinator asks to write, as Kafka does for markers of
     * transaction versions 0 and 1: an epoch older than the producer's is fenced, and so is a
     * coordinator older than the one that wrote the last marker.
     */
    void checkMarker(long producerId, short producerEpoch, int coordinatorEpoch) {
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            return;
        }
        if (producerEpoch < entry.epoch) {
            throw new ProducerStateException(Errors.INVALID_PRODUCER_EPOCH, "Epoch of producer " + producerId + " in its"
                    + " transaction marker is " + producerEpoch + ", which is smaller than the last seen epoch " + entry.epoch);
        }
        if (coordinatorEpoch < entry.coordinatorEpoch) {
            throw new ProducerStateException(Errors.TRANSACTION_COORDINATOR_FENCED, "Invalid coordinator epoch for producer "
                    + producerId + ": " + coordinatorEpoch + " (zombie), " + entry.coordinatorEpoch + " (current)");
        }
    }

    /** Records a data batch that was appended (or found in the log at start). */
    void update(long producerId, short epoch, int firstSequence, int lastSequence, long firstOffset, long lastOffset) {
        update(producerId, epoch, firstSequence, lastSequence, firstOffset, lastOffset, RecordBatch.NO_TIMESTAMP, false);
    }

    /** As {@link #update(long, short, int, int, long, long)}; a transactional batch may start a transaction. */
    void update(long producerId, short epoch, int firstSequence, int lastSequence, long firstOffset, long lastOffset,
            long timestamp, boolean transactional) {
        upToOffset = Math.max(upToOffset, lastOffset + 1);
        if (producerId < 0) {
            return;
        }
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(epoch));
        entry.moveToEpoch(epoch);
        if (entry.batches.size() == BATCHES_KEPT) {
            entry.batches.removeFirst();
        }
        entry.batches.addLast(new BatchMetadata(firstSequence, lastSequence, firstOffset, lastOffset));
        entry.lastTimestamp = Math.max(entry.lastTimestamp, timestamp);
        if (transactional && entry.currentTxnFirstOffset < 0) {
            entry.currentTxnFirstOffset = firstOffset;
            ongoing.put(firstOffset, producerId);
        }
    }

    /**
     * Records a transaction marker written at {@code offset}: the producer's transaction, if one was
     * open, ends there.
     *
     * @return the transaction it ended, if any
     */
    Optional<CompletedTxn> completeTxn(long producerId, short epoch, EndTransactionMarker marker, long offset,
            long timestamp) {
        upToOffset = Math.max(upToOffset, offset + 1);
        ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(epoch));
        if (epoch > entry.epoch) {
            entry.moveToEpoch(epoch);
        }
        entry.coordinatorEpoch = Math.max(entry.coordinatorEpoch, marker.coordinatorEpoch());
        entry.lastTimestamp = Math.max(entry.lastTimestamp, timestamp);
        long firstOffset = entry.currentTxnFirstOffset;
        if (firstOffset < 0) {
            return Optional.empty();
        }
        entry.currentTxnFirstOffset = -1;
        ongoing.remove(firstOffset);
        unreplicated.put(firstOffset, offset);
        return Optional.of(new CompletedTxn(producerId, firstOffset, offset,
                marker.controlType() == ControlRecordType.ABORT));
    }

    /** Applies a batch found in the log, or replicated from the leader: data or marker. */
    Optional<CompletedTxn> replay(StoredBatch batch) {
        if (batch.control()) {
            if (batch.marker() == null) {
                upToOffset = Math.max(upToOffset, batch.lastOffset() + 1);
                return Optional.empty(); // a control batch compaction emptied
            }
            return completeTxn(batch.producerId(), batch.producerEpoch(), batch.marker(), batch.baseOffset(),
                    batch.maxTimestamp());
        }
        update(batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(), batch.baseOffset(),
                batch.lastOffset(), batch.maxTimestamp(), batch.transactional());
        return Optional.empty();
    }

    /** As {@link #replay(StoredBatch)} for a batch in memory. */
    Optional<CompletedTxn> replay(RecordBatch batch) {
        EndTransactionMarker marker = null;
        if (batch.isControlBatch()) {
            for (Record record : batch) {
                ControlRecordType type = ControlRecordType.parse(record.key());
                if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                    marker = EndTransactionMarker.deserialize(record);
                }
                break;
            }
        }
        return replay(new StoredBatch(batch.baseOffset(), batch.lastOffset(), batch.producerId(), batch.producerEpoch(),
                batch.baseSequence(), batch.maxTimestamp(), batch.isTransactional(), batch.isControlBatch(), marker));
    }

    /**
     * The first offset of the oldest transaction still open or whose marker is not yet replicated, or
     * -1 when there is none.
     */
    long firstUnstableOffset() {
        long first = ongoing.isEmpty() ? Long.MAX_VALUE : ongoing.firstKey();
        if (!unreplicated.isEmpty()) {
            first = Math.min(first, unreplicated.firstKey());
        }
        return first == Long.MAX_VALUE ? -1 : first;
    }

    /** Forgets the completed transactions whose marker the high watermark now covers. */
    void onHighWatermarkUpdated(long highWatermark) {
        unreplicated.values().removeIf(markerOffset -> markerOffset < highWatermark);
    }

    /**
     * The last stable offset right after {@code completed} ended, as Kafka records it with an aborted
     * transaction: the start of the oldest transaction still open, or the offset after the marker.
     */
    long lastStableOffsetAfter(CompletedTxn completed) {
        return ongoing.isEmpty() ? completed.lastOffset() + 1 : ongoing.firstKey();
    }

    /** Every producer known here, for DescribeProducers. */
    List<ProducerView> producers() {
        List<ProducerView> views = new ArrayList<>(producers.size());
        producers.forEach((id, entry) -> views.add(new ProducerView(id, entry.epoch, entry.lastSequence(),
                entry.lastTimestamp, entry.coordinatorEpoch, entry.currentTxnFirstOffset)));
        return views;
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
        ongoing.clear();
        unreplicated.clear();
        upToOffset = logStartOffset;
        Path file = dir.resolve(SNAPSHOT_FILE);
        if (!Files.exists(file)) {
            snapshotOffset = logStartOffset; // an empty state needs no file until a batch arrives
            return logStartOffset;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int version = lines.isEmpty() ? -1 : switch (lines.get(0)) {
            case "version 0" -> 0;
            case "version 1" -> 1;
            default -> -1;
        };
        if (lines.size() < 2 || version < 0) {
            return discardSnapshot(file, logStartOffset);
        }
        long snapshotOffset = Long.parseLong(lines.get(1).split(" ")[1]);
        if (snapshotOffset > logEndOffset || snapshotOffset < logStartOffset) {
            // The log was truncated or trimmed past the snapshot: rebuild from the log. The file goes too, else
            // once the log grew past its offset again, with other batches, a restart would load its stale state.
            return discardSnapshot(file, logStartOffset);
        }
        for (String line : lines.subList(2, lines.size())) {
            String[] fields = line.trim().split(" ");
            long producerId = Long.parseLong(fields[0]);
            short epoch = Short.parseShort(fields[1]);
            int batchesFrom = 2;
            ProducerEntry entry = producers.computeIfAbsent(producerId, id -> new ProducerEntry(epoch));
            if (version >= 1) {
                entry.currentTxnFirstOffset = Long.parseLong(fields[2]);
                entry.coordinatorEpoch = Integer.parseInt(fields[3]);
                entry.lastTimestamp = Long.parseLong(fields[4]);
                if (entry.currentTxnFirstOffset >= 0) {
                    ongoing.put(entry.currentTxnFirstOffset, producerId);
                }
                batchesFrom = 5;
            }
            for (int i = batchesFrom; i + 3 < fields.length; i += 4) {
                if (entry.batches.size() == BATCHES_KEPT) {
                    entry.batches.removeFirst();
                }
                entry.batches.addLast(new BatchMetadata(Integer.parseInt(fields[i]), Integer.parseInt(fields[i + 1]),
                        Long.parseLong(fields[i + 2]), Long.parseLong(fields[i + 3])));
            }
        }
        upToOffset = snapshotOffset;
        this.snapshotOffset = snapshotOffset;
        return snapshotOffset;
    }

    /** Deletes a snapshot that does not fit the log, so that the next one is written whatever its offset. */
    private long discardSnapshot(Path file, long logStartOffset) throws IOException {
        Files.deleteIfExists(file);
        snapshotOffset = -1;
        return logStartOffset;
    }

    /**
     * Writes the state atomically, so that a restart replays only what came after it; nothing is
     * written when no batch was appended since the last snapshot.
     */
    void writeSnapshot() throws IOException {
        if (upToOffset == snapshotOffset) {
            return;
        }
        StringBuilder text = new StringBuilder("version ").append(SNAPSHOT_VERSION).append("\nupTo ").append(upToOffset)
                .append('\n');
        producers.forEach((producerId, entry) -> {
            text.append(producerId).append(' ').append(entry.epoch).append(' ').append(entry.currentTxnFirstOffset)
                    .append(' ').append(entry.coordinatorEpoch).append(' ').append(entry.lastTimestamp);
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
