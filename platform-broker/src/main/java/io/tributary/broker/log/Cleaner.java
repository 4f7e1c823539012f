package io.tributary.broker.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MutableRecordBatch;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.CloseableIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compacts one partition log: keeps, of every key, only the record with the latest offset, and
 * drops tombstones (records with a null value) once {@code delete.retention.ms} has passed since
 * the first cleaning that kept them. Offsets never change: a cleaned batch keeps its base and last
 * offsets and every kept record its own offset, so the log is left with gaps.
 *
 * <p>A cleaning (after Kafka's {@code Cleaner}):
 * <ol>
 *   <li>builds an {@link OffsetMap} of key → latest offset over the dirty segments, from the
 *       checkpoint up to the first uncleanable offset (or less, where the map fills up), then adds
 *       the records after them up to the high watermark, including the active segment: an old
 *       record whose key was written again there goes too, though nothing there is removed;
 *   <li>rewrites the cleanable segments from the oldest up to where the map ends, in groups of
 *       consecutive segments that together fit in {@code segment.bytes}, each group into one
 *       {@code .cleaned} segment through kafka-clients' {@link MemoryRecords#filterTo}, which
 *       rebuilds only the batches that lose records and keeps producer ids, epochs and sequences;
 *   <li>swaps each cleaned segment in ({@link CleanerView#replaceSegments}), and finally moves the
 *       checkpoint.
 * </ol>
 *
 * <p>Tombstones follow Kafka's v2 rule: the first cleaning that keeps a tombstone stamps its batch
 * with a delete horizon ({@code now + delete.retention.ms}, stored in the batch header by
 * {@code filterTo}); a later cleaning past that horizon drops it. A consumer that reads the log
 * from the start within {@code delete.retention.ms} of the first cleaning thus sees every delete.
 *
 * <p>The last batch of each producer in the rewritten range is kept, emptied if need be, so that a
 * rebuild of the idempotent producers' state from the log still finds their last sequence.
 *
 * <p>Transactions as Kafka handles them: nothing at or past the first open transaction is cleaned
 * (see {@link LogToClean}); the records of aborted transactions (the transaction index says which)
 * are removed and never count as a key's latest value. A transaction marker goes like a tombstone
 * once no batch of its transaction is left before it ({@link CleanedTransactions}): the first
 * cleaning that finds it so stamps its batch with a delete horizon, a cleaning past the horizon
 * removes it, and with an ABORT marker its transaction index entry (a read_committed consumer
 * told of an aborted transaction skips its producer's batches until it meets the ABORT marker, so
 * an entry without its marker would hide that producer's later committed records).
 *
 * <p>Not thread-safe: the {@link LogCleaner} runs one cleaning at a time.
 */
final class Cleaner {

    private static final Logger log = LoggerFactory.getLogger(Cleaner.class);

    /** Thrown from deep inside a cleaning when it must stop; the cleaning's files are deleted. */
    static final class AbortedException extends RuntimeException {
        AbortedException() {
            super("cleaning aborted", null, false, false);
        }
    }

    private final OffsetMap map;
    private final Clock clock;
    private final int ioBufferBytes;
    private final BufferSupplier decompression = BufferSupplier.create();
    private ByteBuffer readBuffer;
    private ByteBuffer writeBuffer;
    /** The aborted transactions of the log being cleaned, for the cleaning under way. */
    private AbortedBatches abortedBatches = new AbortedBatches(List.of());

    Cleaner(OffsetMap map, int ioBufferBytes, Clock clock) {
        this.map = map;
        this.clock = clock;
        this.ioBufferBytes = ioBufferBytes;
        this.readBuffer = ByteBuffer.allocate(ioBufferBytes);
        this.writeBuffer = ByteBuffer.allocate(ioBufferBytes);
    }

    /** Running totals of one cleaning. */
    private static final class Stats {
        int segmentsRead;
        int segmentsWritten;
        long bytesRead;
        long bytesWritten;
        long recordsRead;
        long recordsRetained;
    }

    /**
     * Cleans the log's cleanable segments.
     *
     * @param aborted polled between chunks of work; when it turns true the cleaning stops with
     *                {@link AbortedException} and its files are deleted
     * @return empty when there was nothing to clean, or when the log changed under the cleaner (it
     *         was truncated, or a segment was deleted): then nothing changed and a later cleaning starts over
     */
    Optional<CleaningResult> clean(LogToClean toClean, BooleanSupplier aborted) throws IOException {
        if (toClean.segments().isEmpty()) {
            return Optional.empty();
        }
        PartitionLog partitionLog = toClean.log();
        LogConfig config = partitionLog.config();
        long now = clock.millis();
        try {
            abortedBatches = new AbortedBatches(partitionLog.collectAbortedTransactions(Long.MIN_VALUE, Long.MAX_VALUE));
            Map<Long, Long> lastBatchOfProducer = new HashMap<>();
            CleanedTransactions transactions = new CleanedTransactions();
            long cleanUpTo = buildOffsetMap(toClean, lastBatchOfProducer, aborted);
            if (cleanUpTo == toClean.firstUncleanableOffset()) {
                addLaterKeys(partitionLog, cleanUpTo, aborted);
            }
            Stats stats = new Stats();
            for (List<LogToClean.CleanableSegment> group : groups(toClean.segments(), cleanUpTo, config)) {
                if (!cleanGroup(toClean, group, cleanUpTo, lastBatchOfProducer, transactions, config, now, stats,
                        aborted)) {
                    log.info("{}: the log changed during its cleaning; it starts over later", partitionLog.topicPartition());
                    return Optional.empty();
                }
            }
            partitionLog.cleanerView().updateFirstDirtyOffset(cleanUpTo, toClean.truncationsSeen());
            CleaningResult result = new CleaningResult(toClean.firstDirtyOffset(), cleanUpTo, stats.segmentsRead,
                    stats.segmentsWritten, stats.bytesRead, stats.bytesWritten, stats.recordsRead, stats.recordsRetained);
            log.info("{}: cleaned offsets up to {}: {} segment(s) of {} bytes became {} of {} bytes; kept {} of {} records",
                    partitionLog.topicPartition(), cleanUpTo, stats.segmentsRead, stats.bytesRead,
                    stats.segmentsWritten, stats.bytesWritten, stats.recordsRetained, stats.recordsRead);
            return Optional.of(result);
        } finally {
            if (readBuffer.capacity() > ioBufferBytes) {
                readBuffer = ByteBuffer.allocate(ioBufferBytes);
                writeBuffer = ByteBuffer.allocate(ioBufferBytes);
            }
        }
    }

    // ---------------------------------------------------------------- the offset map

    /**
     * Puts the latest offset of every key of the dirty segments in the map, and notes the last
     * batch of every producer in the segments. Returns the offset the map covers up to: the first
     * uncleanable offset, or the first batch that did not fit when the map filled up.
     */
    private long buildOffsetMap(LogToClean toClean, Map<Long, Long> lastBatchOfProducer, BooleanSupplier aborted)
            throws IOException {
        map.clear();
        long firstDirty = toClean.firstDirtyOffset();
        for (LogToClean.CleanableSegment cleanable : toClean.segments()) {
            LogSegment segment = cleanable.segment();
            if (!cleanable.dirty()) {
                segment.scanBatches(segment.baseOffset(), segment.size(), batch -> {
                    if (batch.producerId() != RecordBatch.NO_PRODUCER_ID) {
                        lastBatchOfProducer.put(batch.producerId(), batch.lastOffset());
                    }
                });
                continue;
            }
            int position = 0;
            while (position < segment.size()) {
                checkAborted(aborted);
                for (MutableRecordBatch batch : readChunk(segment, position).batches()) {
                    if (batch.lastOffset() >= firstDirty && !batch.isControlBatch() && !abortedBatches.contains(batch)) {
                        Integer count = batch.countOrNull();
                        if (!map.hasRoomFor(count == null ? 0 : count)) {
                            if (map.size() == 0) {
                                throw new IllegalStateException("The cleaner's offset map of " + map.capacity()
                                        + " keys cannot hold a batch of " + count + " records");
                            }
                            return batch.baseOffset();
                        }
                        try (CloseableIterator<Record> records = batch.streamingIterator(decompression)) {
                            while (records.hasNext()) {
                                Record record = records.next();
                                if (record.offset() >= firstDirty && record.hasKey()) {
                                    map.put(record.key(), record.offset());
                                }
                            }
                        }
                    }
                    if (batch.hasProducerId()) {
                        lastBatchOfProducer.put(batch.producerId(), batch.lastOffset());
                    }
                    position += batch.sizeInBytes();
                }
            }
        }
        return toClean.firstUncleanableOffset();
    }

    /**
     * Adds the keys of the committed records after the cleanable segments, up to the high watermark
     * and the first open transaction, while the map has room: records there are never removed, but
     * older records of their keys are. Records of aborted transactions are no one's latest value.
     */
    private void addLaterKeys(PartitionLog partitionLog, long from, BooleanSupplier aborted) {
        long highWatermark = Math.min(partitionLog.highWatermark(), partitionLog.firstUnstableOffset());
        long offset = from;
        while (offset < highWatermark) {
            checkAborted(aborted);
            MemoryRecords records;
            try {
                records = partitionLog.read(offset, readBuffer.capacity(), highWatermark, true).slice().toMemoryRecords();
            } catch (OffsetOutOfRangeException | UncheckedIOException e) {
                return; // the log moved under us: what was added so far is still true
            }
            long next = offset;
            for (MutableRecordBatch batch : records.batches()) {
                if (!batch.isControlBatch() && !abortedBatches.contains(batch)) {
                    try (CloseableIterator<Record> iterator = batch.streamingIterator(decompression)) {
                        while (iterator.hasNext()) {
                            Record record = iterator.next();
                            if (record.offset() >= offset && record.hasKey() && !map.put(record.key(), record.offset())) {
                                return; // the map is full
                            }
                        }
                    }
                }
                next = batch.nextOffset();
            }
            if (next == offset) {
                return;
            }
            offset = next;
        }
    }

    // ---------------------------------------------------------------- rewriting segments

    /**
     * The segments to rewrite, those starting below {@code cleanUpTo}, in runs of consecutive
     * segments that fit together in {@code segment.bytes} and whose offsets fit one segment's index.
     */
    private static List<List<LogToClean.CleanableSegment>> groups(List<LogToClean.CleanableSegment> segments,
            long cleanUpTo, LogConfig config) {
        List<List<LogToClean.CleanableSegment>> groups = new ArrayList<>();
        List<LogToClean.CleanableSegment> group = new ArrayList<>();
        long groupBytes = 0;
        for (LogToClean.CleanableSegment cleanable : segments) {
            if (cleanable.segment().baseOffset() >= cleanUpTo) {
                break;
            }
            if (!group.isEmpty() && (groupBytes + cleanable.segment().size() > config.segmentBytes()
                    || cleanable.nextBaseOffset() - 1 - group.get(0).segment().baseOffset() > Integer.MAX_VALUE)) {
                groups.add(group);
                group = new ArrayList<>();
                groupBytes = 0;
            }
            group.add(cleanable);
            groupBytes += cleanable.segment().size();
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    /** Cleans one group into a new segment and swaps it in; false when the log changed meanwhile. */
    private boolean cleanGroup(LogToClean toClean, List<LogToClean.CleanableSegment> group, long cleanUpTo,
            Map<Long, Long> lastBatchOfProducer, CleanedTransactions transactions, LogConfig config, long now,
            Stats stats, BooleanSupplier aborted) throws IOException {
        CleanerView view = toClean.log().cleanerView();
        long groupBytes = group.stream().mapToLong(cleanable -> cleanable.segment().size()).sum();
        LogSegment first = group.get(0).segment();
        LogSegment cleaned = view.createCleanedSegment(first.baseOffset(),
                indexBytesFor(groupBytes, config.indexIntervalBytes()));
        boolean handedOver = false;
        try {
            RetainLatest filter = new RetainLatest(now, config.deleteRetentionMs(), cleanUpTo,
                    group.get(group.size() - 1).nextBaseOffset(), lastBatchOfProducer, transactions);
            for (LogToClean.CleanableSegment cleanable : group) {
                LogSegment segment = cleanable.segment();
                int position = 0;
                while (position < segment.size()) {
                    checkAborted(aborted);
                    MemoryRecords chunk = readChunk(segment, position);
                    writeBuffer.clear();
                    MemoryRecords.FilterResult result = chunk.filterTo(filter, writeBuffer, decompression);
                    position += result.bytesRead();
                    stats.recordsRead += result.messagesRead();
                    stats.recordsRetained += result.messagesRetained();
                    ByteBuffer retained = result.outputBuffer();
                    if (retained.position() > 0) {
                        retained.flip();
                        cleaned.append(result.maxOffset(), result.maxTimestamp(), result.shallowOffsetOfMaxTimestamp(),
                                retained);
                    }
                }
            }
            for (LogToClean.CleanableSegment cleanable : group) {
                // An aborted transaction stays in the index exactly as long as its ABORT marker.
                for (AbortedTxn txn : cleanable.segment().txnIndex().entries()) {
                    if (!filter.removedMarkers.contains(txn.lastOffset())) {
                        cleaned.txnIndex().append(txn);
                    }
                }
            }
            cleaned.onBecomeInactive();
            cleaned.flush();
            keepModificationTime(group.get(group.size() - 1).segment(), cleaned);
            List<LogSegment> replaced = group.stream().map(LogToClean.CleanableSegment::segment).toList();
            handedOver = true;
            if (!view.replaceSegments(cleaned, replaced, toClean.truncationsSeen())) {
                cleaned.deleteFiles();
                return false;
            }
            stats.segmentsRead += group.size();
            stats.segmentsWritten++;
            stats.bytesRead += groupBytes;
            stats.bytesWritten += cleaned.size();
            return true;
        } catch (IOException | RuntimeException e) {
            if (!handedOver) {
                try {
                    cleaned.deleteFiles();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** Retention by time falls back on a segment file's age when its records carry no timestamps. */
    private static void keepModificationTime(LogSegment from, LogSegment to) {
        try {
            Files.setLastModifiedTime(to.logFile(), Files.getLastModifiedTime(from.logFile()));
        } catch (IOException e) {
            // The old segment was renamed or deleted meanwhile; the swap will find out and give up.
        }
    }

    /**
     * The size to preallocate a cleaned segment's indexes to: an entry follows more than
     * {@code index.interval.bytes} of batches, and at most one entry per batch of at least a
     * header's size. Sized for time index entries, the larger; trimmed when the segment is done.
     */
    static int indexBytesFor(long segmentBytes, int indexIntervalBytes) {
        long entries = segmentBytes / Math.max((long) indexIntervalBytes + 1, BatchHeader.SIZE) + 2;
        return (int) Math.min(entries * TimeIndex.ENTRY_SIZE, Integer.MAX_VALUE - TimeIndex.ENTRY_SIZE);
    }

    /**
     * The whole batches from {@code position} that fit the read buffer, at least one: the buffers
     * grow to fit a batch larger than they are.
     */
    private MemoryRecords readChunk(LogSegment segment, int position) throws IOException {
        while (true) {
            segment.readInto(readBuffer, position);
            MemoryRecords records = MemoryRecords.readableRecords(readBuffer);
            Integer firstBatchSize = records.firstBatchSize();
            if (firstBatchSize == null || firstBatchSize < BatchHeader.SIZE
                    || (long) position + firstBatchSize > segment.size()) {
                throw new IOException("Segment " + segment.logFile() + " holds no whole batch at position " + position);
            }
            if (firstBatchSize <= readBuffer.remaining()) {
                return records;
            }
            readBuffer = ByteBuffer.allocate(firstBatchSize);
            writeBuffer = ByteBuffer.allocate(firstBatchSize);
        }
    }

    private static void checkAborted(BooleanSupplier aborted) {
        if (aborted.getAsBoolean()) {
            throw new AbortedException();
        }
    }

    /**
     * Keeps a record when it is the latest of its key (or past what the offset map covers), and a
     * tombstone only until its batch's delete horizon. Keeps, emptied if need be, the last batch of
     * each producer, every batch past what the map covers, and the last batch of the group: so a
     * cleaned segment's offsets still reach the next segment's base offset, which lets a crashed
     * swap be completed by offsets alone (see {@link CleanedSegmentRecovery}).
     *
     * <p>A transaction marker left with no batch of its transaction before it goes once past its
     * delete horizon, stamped by the first cleaning that found it so. Kafka keeps the last data
     * batch of each producer (a marker is none), so that a state rebuilt from the log still knows
     * its sequence; here the last batch of a producer is kept whatever it is, and a marker whole:
     * it carries the producer's epoch and the coordinator epoch that fences stale markers, which a
     * state rebuilt from the log would otherwise roll back. A producer thus keeps at most its last
     * marker, however many transactions it ran. A removed marker that ends the group stays as an
     * empty control batch (no marker any more: readers and the producer state skip it), which the
     * next cleaning drops. Likewise a transactional data batch kept emptied because it ends a group
     * still counts as its transaction's data and holds its marker back (a replay would otherwise
     * find its transaction open), until the segments are grouped otherwise: one marker at most per
     * rewritten segment.
     */
    private final class RetainLatest extends MemoryRecords.RecordFilter {
        private final long cleanUpTo;
        private final long groupEnd;
        private final Map<Long, Long> lastBatchOfProducer;
        private final CleanedTransactions transactions;
        /** The offsets of the markers this group lost: their aborted transactions leave the index. */
        final Set<Long> removedMarkers = new HashSet<>();

        RetainLatest(long now, long deleteRetentionMs, long cleanUpTo, long groupEnd,
                Map<Long, Long> lastBatchOfProducer, CleanedTransactions transactions) {
            super(now, deleteRetentionMs);
            this.cleanUpTo = cleanUpTo;
            this.groupEnd = groupEnd;
            this.lastBatchOfProducer = lastBatchOfProducer;
            this.transactions = transactions;
        }

        @Override
        protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            boolean lastOfProducer = batch.hasProducerId()
                    && Long.valueOf(batch.lastOffset()).equals(lastBatchOfProducer.get(batch.producerId()));
            boolean keep = batch.baseOffset() >= cleanUpTo || batch.nextOffset() == groupEnd || lastOfProducer;
            if (!batch.isControlBatch()) {
                transactions.onDataBatch(batch);
                return new BatchRetentionResult(keep ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE_EMPTY, false);
            }
            boolean endsNothing = transactions.onMarker(batch) && batch.baseOffset() < cleanUpTo;
            Integer count = batch.countOrNull();
            if (endsNothing && count != null && count == 0) {
                // Emptied by an earlier cleaning: no marker any more, nothing for a horizon to protect.
                return new BatchRetentionResult(keep ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE, false);
            }
            boolean pastHorizon = batch.deleteHorizonMs().isPresent() && batch.deleteHorizonMs().getAsLong() <= currentTime;
            if (!endsNothing || !pastHorizon || lastOfProducer) {
                // Kept whole; when it ends nothing, filterTo stamps it with a delete horizon if it has none.
                return new BatchRetentionResult(BatchRetention.RETAIN_EMPTY, endsNothing);
            }
            removedMarkers.add(batch.baseOffset());
            return new BatchRetentionResult(keep ? BatchRetention.RETAIN_EMPTY : BatchRetention.DELETE, false);
        }

        @Override
        protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            if (batch.isControlBatch()) {
                return !removedMarkers.contains(batch.baseOffset());
            }
            if (record.offset() >= cleanUpTo) {
                return true;
            }
            if (abortedBatches.contains(batch)) {
                return false;
            }
            if (!record.hasKey()) {
                return false; // written before the topic was compacted; compaction has no use for it
            }
            if (record.offset() < map.get(record.key())) {
                return false;
            }
            return record.hasValue() || batch.deleteHorizonMs().isEmpty()
                    || currentTime < batch.deleteHorizonMs().getAsLong();
        }
    }
}
