package io.tributary.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/**
 * Crash recovery of a partition log. A crash is {@link PartitionLog#abandon()}: the files keep every
 * byte written (the page cache survives a killed process) but nothing is flushed, trimmed or
 * checkpointed, so the checkpointed recovery point stays where the last open left it and recovery
 * scans the segments past it. Damage is then done to the files by hand before reopening.
 */
class LogRecoveryTest {

    private static final TopicPartition TP = new TopicPartition("recovery", 0);
    private static final int SEGMENT_INDEX_BYTES = 64 * 1024;
    private static final int INDEX_INTERVAL_BYTES = 100;
    private static final LogConfig CONFIG = LogConfig.builder()
            .segmentBytes(4096)
            .indexIntervalBytes(INDEX_INTERVAL_BYTES)
            .segmentIndexBytes(SEGMENT_INDEX_BYTES)
            .build();
    private static final int BATCHES = 60;
    private static final long BASE_TIMESTAMP = 1_000_000L;

    @TempDir
    Path tempDir;

    private final LogTestSupport.MutableClock clock = new LogTestSupport.MutableClock(1_700_000_000_000L);
    /** Recovery reports what it cut or rebuilt through the loader's logger. */
    private final Logger loaderLogger = (Logger) LoggerFactory.getLogger(LogLoader.class);
    private final ListAppender<ILoggingEvent> logEvents = new ListAppender<>();
    /** The log the test has open, closed after the test unless the test closed or abandoned it. */
    private PartitionLog log;

    @BeforeEach
    void captureLogs() {
        logEvents.start();
        loaderLogger.addAppender(logEvents);
    }

    @AfterEach
    void tearDown() throws IOException {
        loaderLogger.detachAppender(logEvents);
        logEvents.stop();
        if (log != null) {
            log.close();
            log = null;
        }
    }

    // ------------------------------------------------------------------------------------ cases

    @Test
    void aCutAtRandomPositionsOfTheLastSegmentKeepsExactlyTheCompleteBatchesBeforeTheCut() throws IOException {
        Crashed crashed = crashedLog(tempDir.resolve("template"), 7L);
        Random random = new Random(20240601L);
        TreeSet<Long> cuts = new TreeSet<>();
        while (cuts.size() < 30) {
            cuts.add(random.nextLong(crashed.lastSegmentSize()));
        }
        cuts.add(0L);
        for (long cut : cuts) {
            checkCut(crashed, cut);
        }
    }

    @Test
    void aCutAtEveryBytePositionInsideTheLastBatchKeepsTheBatchesBeforeIt() throws IOException {
        Crashed crashed = crashedLog(tempDir.resolve("template"), 11L);
        Written lastBatch = crashed.written().get(crashed.written().size() - 1);
        int start = crashed.positionInLastSegment(lastBatch);
        assertThat(start + lastBatch.sizeInBytes()).isEqualTo(crashed.lastSegmentSize());
        for (long cut = start; cut < start + lastBatch.sizeInBytes(); cut++) {
            checkCut(crashed, cut);
        }
    }

    enum Victim { FIRST, MIDDLE, LAST }

    @ParameterizedTest
    @EnumSource(Victim.class)
    void aFlippedByteInABatchOfAMiddleSegmentTruncatesTheLogRightBeforeThatBatch(Victim victim) throws IOException {
        Path dir = tempDir.resolve("recovery-0");
        Crashed crashed = crashedLog(dir, 3L);
        List<Long> bases = crashed.bases();
        assertThat(bases).hasSizeGreaterThanOrEqualTo(4);
        int middle = bases.size() / 2;
        long segmentBase = bases.get(middle);
        List<Written> inSegment = crashed.written().stream()
                .filter(w -> w.baseOffset() >= segmentBase && w.baseOffset() < bases.get(middle + 1)).toList();
        assertThat(inSegment).hasSizeGreaterThanOrEqualTo(3);
        Written damaged = switch (victim) {
            case FIRST -> inSegment.get(0);
            case MIDDLE -> inSegment.get(inSegment.size() / 2);
            case LAST -> inSegment.get(inSegment.size() - 1);
        };
        int position = positionIn(inSegment, damaged);
        // The precondition of the scenario: the crash left the checkpointed recovery point before the segment.
        assertThat(checkpointedRecoveryPoint(dir)).isLessThanOrEqualTo(segmentBase);
        Path segmentFile = dir.resolve(LogSegment.fileName(segmentBase, LogSegment.LOG_SUFFIX));
        flipByte(segmentFile, position + damaged.sizeInBytes() / 2);

        open(dir);

        List<Written> survivors = crashed.written().stream()
                .filter(w -> w.baseOffset() < damaged.baseOffset()).toList();
        assertThat(log.segmentBaseOffsets()).containsExactlyElementsOf(bases.subList(0, middle + 1));
        for (long later : bases.subList(middle + 1, bases.size())) {
            for (String suffix : List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
                assertThat(dir.resolve(LogSegment.fileName(later, suffix))).doesNotExist();
            }
        }
        assertThat(Files.size(segmentFile)).isEqualTo(position);
        assertThat(log.logEndOffset()).isEqualTo(damaged.baseOffset());
        assertThat(readRecords(log)).containsExactlyElementsOf(records(survivors));
        assertReadsAtEveryOffset(log, survivors);
        assertThat(warnings()).anySatisfy(message -> assertThat(message)
                .contains("truncated").contains(segmentFile.getFileName().toString()));

        Written after = append(log, new Random(99), "after");
        assertThat(after.baseOffset()).isEqualTo(damaged.baseOffset());
        List<Written> expected = new ArrayList<>(survivors);
        expected.add(after);
        assertThat(readRecords(log)).containsExactlyElementsOf(records(expected));

        // Recovery left a consistent log: a clean restart finds nothing more to repair.
        closeLog();
        logEvents.list.clear();
        open(dir);
        assertThat(warnings()).isEmpty();
        assertThat(readRecords(log)).containsExactlyElementsOf(records(expected));
    }

    @Test
    void deletedIndexFilesAreRebuiltOnOpenAndLookupsByOffsetAndTimeStayCorrect() throws IOException {
        Path dir = tempDir.resolve("recovery-0");
        open(dir);
        List<Written> written = appendBatches(log, BATCHES, new Random(5));
        List<Long> bases = log.segmentBaseOffsets();
        assertThat(bases).hasSizeGreaterThanOrEqualTo(4);
        closeLog();
        for (long base : bases) {
            Files.delete(dir.resolve(LogSegment.fileName(base, LogSegment.INDEX_SUFFIX)));
            Files.delete(dir.resolve(LogSegment.fileName(base, LogSegment.TIME_INDEX_SUFFIX)));
        }

        open(dir);

        assertThat(log.segmentBaseOffsets()).containsExactlyElementsOf(bases);
        assertIndexFilesPresent(dir, bases, written);
        assertThat(log.logEndOffset()).isEqualTo(last(written).lastOffset() + 1);
        assertThat(readRecords(log)).containsExactlyElementsOf(records(written));
        assertReadsAtEveryOffset(log, written);
        assertTimeLookups(log, written);
        assertThat(warnings()).noneMatch(message -> message.contains("truncated"));

        // The rebuilt indexes are what the log goes on with: after appends, a clean restart, more appends
        // and a crash, lookups are still right.
        List<Written> all = new ArrayList<>(written);
        all.addAll(appendBatches(log, 10, new Random(6)));
        List<Long> basesBeforeClose = log.segmentBaseOffsets();
        closeLog();
        assertIndexFilesPresent(dir, basesBeforeClose, all);
        open(dir);
        all.addAll(appendBatches(log, 10, new Random(7)));
        crash();
        open(dir);
        assertThat(readRecords(log)).containsExactlyElementsOf(records(all));
        assertReadsAtEveryOffset(log, all);
        assertTimeLookups(log, all);
    }

    @Test
    void rebuiltIndexesOfClosedSegmentsAreTrimmedToTheirEntriesLikeAnyClosedSegmentsIndexes() throws IOException {
        Path dir = tempDir.resolve("recovery-0");
        open(dir);
        appendBatches(log, BATCHES, new Random(5));
        List<Long> bases = log.segmentBaseOffsets();
        closeLog();
        for (long base : bases) {
            Files.delete(dir.resolve(LogSegment.fileName(base, LogSegment.INDEX_SUFFIX)));
            Files.delete(dir.resolve(LogSegment.fileName(base, LogSegment.TIME_INDEX_SUFFIX)));
        }

        open(dir);

        // A closed segment takes no appends: its indexes hold their entries and no preallocated room, as
        // after a roll or a recovery scan. A sparse index has at most one entry per index.interval.bytes.
        for (long base : bases.subList(0, bases.size() - 1)) {
            long logBytes = Files.size(dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX)));
            long maxEntries = logBytes / INDEX_INTERVAL_BYTES + 1;
            assertThat(Files.size(dir.resolve(LogSegment.fileName(base, LogSegment.INDEX_SUFFIX))))
                    .as("offset index of closed segment %d", base)
                    .isLessThanOrEqualTo(maxEntries * OffsetIndex.ENTRY_SIZE);
            assertThat(Files.size(dir.resolve(LogSegment.fileName(base, LogSegment.TIME_INDEX_SUFFIX))))
                    .as("time index of closed segment %d", base)
                    .isLessThanOrEqualTo(maxEntries * TimeIndex.ENTRY_SIZE);
        }
    }

    @Test
    void preallocatedIndexesOfTheActiveSegmentLeftByACrashDoNotConfuseLookups() throws IOException {
        Path dir = tempDir.resolve("recovery-0");
        open(dir);
        List<Written> written = new ArrayList<>(appendBatches(log, BATCHES, new Random(13)));
        Random random = new Random(14);
        for (int cycle = 0; cycle < 4; cycle++) {
            long activeBase = last(log.segmentBaseOffsets());
            crash();

            Path index = dir.resolve(LogSegment.fileName(activeBase, LogSegment.INDEX_SUFFIX));
            Path timeIndex = dir.resolve(LogSegment.fileName(activeBase, LogSegment.TIME_INDEX_SUFFIX));
            assertThat(Files.size(index)).isEqualTo(SEGMENT_INDEX_BYTES);
            assertThat(Files.size(timeIndex)).isEqualTo(SEGMENT_INDEX_BYTES - SEGMENT_INDEX_BYTES % TimeIndex.ENTRY_SIZE);
            assertThat(tail(index, 64)).containsOnly(0);
            assertThat(tail(timeIndex, 64)).containsOnly(0);

            open(dir);

            assertThat(log.logEndOffset()).isEqualTo(last(written).lastOffset() + 1);
            assertThat(readRecords(log)).containsExactlyElementsOf(records(written));
            assertReadsAtEveryOffset(log, written);
            assertTimeLookups(log, written);
            assertThat(warnings()).noneMatch(message -> message.contains("truncated"));
            written.addAll(appendBatches(log, 3 + random.nextInt(12), random));
            assertThat(readRecords(log)).containsExactlyElementsOf(records(written));
            if (cycle % 2 == 1) {
                // A clean restart trims the indexes; the reopened active segment grows them back with zeros.
                closeLog();
                open(dir);
                written.addAll(appendBatches(log, 5, random));
            }
        }
        assertReadsAtEveryOffset(log, written);
        assertTimeLookups(log, written);
    }

    @Test
    void aCleanCloseNeedsNoRecoveryAndKeepsTheCheckpointedOffsets() throws IOException {
        Path dir = tempDir.resolve("recovery-0");
        open(dir);
        List<Written> written = appendBatches(log, BATCHES, new Random(21));
        List<Long> bases = log.segmentBaseOffsets();
        assertThat(bases).hasSizeGreaterThanOrEqualTo(4);
        long highWatermark = bases.get(2) + 3;
        long logStart = bases.get(1) + 1; // inside a batch of the second segment, so it is not a segment base
        log.updateHighWatermark(highWatermark);
        log.advanceLogStartOffset(logStart);
        List<Long> keptBases = bases.subList(1, bases.size());
        assertThat(log.segmentBaseOffsets()).containsExactlyElementsOf(keptBases);
        long logEnd = log.logEndOffset();
        List<Long> fileSizes = logFileSizes(dir, keptBases);
        closeLog();

        assertThat(Files.readAllLines(dir.resolve(PartitionCheckpoint.FILE_NAME), StandardCharsets.UTF_8))
                .contains("log-start-offset=" + logStart, "high-watermark=" + highWatermark, "recovery-point=" + logEnd);
        logEvents.list.clear();

        open(dir);

        assertThat(logEvents.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
        assertThat(log.segmentBaseOffsets()).containsExactlyElementsOf(keptBases);
        assertThat(logFileSizes(dir, keptBases)).containsExactlyElementsOf(fileSizes);
        assertThat(log.logStartOffset()).isEqualTo(logStart);
        assertThat(log.highWatermark()).isEqualTo(highWatermark);
        assertThat(log.logEndOffset()).isEqualTo(logEnd);
        assertThat(log.recoveryPoint()).isEqualTo(logEnd);
        List<Rec> expected = records(written).stream().filter(r -> r.offset() >= logStart).toList();
        assertThat(readRecords(log)).containsExactlyElementsOf(expected);
        assertThatThrownBy(() -> log.read(logStart - 1, 1000, Long.MAX_VALUE, true))
                .isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.read(logStart, 1000, highWatermark, true).logStartOffset()).isEqualTo(logStart);
        assertThat(log.offsetForTimestamp(0)).contains(new TimestampOffset(expected.get(0).timestamp(), logStart));
        assertReadsAtEveryOffset(log, written);
        assertTimeLookups(log, written);
        assertThat(append(log, new Random(1), "next").baseOffset()).isEqualTo(logEnd);
    }

    // ------------------------------------------------------------------------------------ the cut

    /** Copies the crashed log, cuts its last segment file at {@code cut}, reopens and checks what is left. */
    private void checkCut(Crashed crashed, long cut) throws IOException {
        Path dir = tempDir.resolve("cut-" + cut);
        copyDirectory(crashed.dir(), dir);
        long lastBase = last(crashed.bases());
        Path lastFile = dir.resolve(LogSegment.fileName(lastBase, LogSegment.LOG_SUFFIX));
        try (FileChannel channel = FileChannel.open(lastFile, StandardOpenOption.WRITE)) {
            channel.truncate(cut);
        }
        List<Written> kept = crashed.written().stream()
                .filter(w -> w.baseOffset() < lastBase
                        || crashed.positionInLastSegment(w) + w.sizeInBytes() <= cut)
                .toList();
        long keptBytesInLast = kept.stream().filter(w -> w.baseOffset() >= lastBase)
                .mapToLong(Written::sizeInBytes).sum();
        boolean atBatchBoundary = keptBytesInLast == cut;
        long expectedEnd = last(kept).lastOffset() + 1;
        logEvents.list.clear();

        open(dir);
        try {
            String at = "cut at byte " + cut + " of " + crashed.lastSegmentSize();
            assertThat(log.segmentBaseOffsets()).as(at).containsExactlyElementsOf(crashed.bases());
            assertThat(log.logEndOffset()).as(at).isEqualTo(expectedEnd);
            assertThat(Files.size(lastFile)).as(at).isEqualTo(keptBytesInLast);
            assertThat(readRecords(log)).as(at).containsExactlyElementsOf(records(kept));
            String fileName = lastFile.getFileName().toString();
            if (atBatchBoundary) {
                assertThat(warnings()).as(at).noneMatch(message -> message.contains("truncated"));
            } else {
                assertThat(warnings()).as(at).anyMatch(message -> message.contains("truncated")
                        && message.contains(fileName));
            }

            Written after = append(log, new Random(cut), "after");
            assertThat(after.baseOffset()).as(at).isEqualTo(expectedEnd);
            assertThat(log.logEndOffset()).as(at).isEqualTo(after.lastOffset() + 1);
            List<Rec> readBack = recordsOf(log.read(expectedEnd, 1, Long.MAX_VALUE, true).slice());
            assertThat(readBack).as(at).containsExactlyElementsOf(records(List.of(after)));
        } finally {
            crash(); // the copy goes away: no need to pay for the fsyncs of a clean close
            deleteRecursively(dir);
        }
    }

    /** A log of {@link #BATCHES} batches over several segments, abandoned as a killed process leaves it. */
    private record Crashed(Path dir, List<Written> written, List<Long> bases, long lastSegmentSize) {

        int positionInLastSegment(Written batch) {
            return positionIn(written.stream().filter(w -> w.baseOffset() >= last(bases)).toList(), batch);
        }
    }

    private Crashed crashedLog(Path dir, long seed) throws IOException {
        open(dir);
        List<Written> written = appendBatches(log, BATCHES, new Random(seed));
        List<Long> bases = log.segmentBaseOffsets();
        assertThat(bases).hasSizeGreaterThanOrEqualTo(3);
        long lastBase = last(bases);
        assertThat(written.stream().filter(w -> w.baseOffset() >= lastBase)).hasSizeGreaterThanOrEqualTo(2);
        crash();
        long lastSegmentSize = Files.size(dir.resolve(LogSegment.fileName(lastBase, LogSegment.LOG_SUFFIX)));
        assertThat(written.stream().filter(w -> w.baseOffset() >= lastBase).mapToLong(Written::sizeInBytes).sum())
                .isEqualTo(lastSegmentSize);
        return new Crashed(dir, written, bases, lastSegmentSize);
    }

    // ------------------------------------------------------------------------------------ opening and crashing

    private void open(Path dir) throws IOException {
        assertThat(log).as("a log is already open").isNull();
        log = PartitionLog.open(dir, TP, CONFIG, clock, FileChannelFactory.DEFAULT, null);
    }

    private void closeLog() throws IOException {
        PartitionLog closing = log;
        log = null;
        closing.close();
    }

    private void crash() {
        PartitionLog crashing = log;
        log = null;
        crashing.abandon();
    }

    private List<String> warnings() {
        return logEvents.list.stream()
                .filter(event -> event.getLevel() == Level.WARN)
                .filter(event -> event.getLoggerName().equals(LogLoader.class.getName()))
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    // ------------------------------------------------------------------------------------ writing

    /** What was appended: one batch, its offsets, values, timestamps and size. */
    record Written(long baseOffset, List<String> values, List<Long> timestamps, int sizeInBytes) {
        long lastOffset() {
            return baseOffset + values.size() - 1;
        }
    }

    /** A record as read back. */
    record Rec(long offset, String value, long timestamp) {
    }

    private static List<Written> appendBatches(PartitionLog log, int count, Random random) {
        List<Written> written = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            written.add(append(log, random, "b" + log.logEndOffset()));
        }
        return written;
    }

    /**
     * Appends one batch of 1..8 records with values of varied length and timestamps that grow with
     * the offset but jitter, so that the time index matters and is not trivially monotonic.
     */
    private static Written append(PartitionLog log, Random random, String prefix) {
        int count = 1 + random.nextInt(8);
        long baseOffset = log.logEndOffset();
        SimpleRecord[] records = new SimpleRecord[count];
        List<String> values = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = prefix + "-" + i + "-" + "x".repeat(random.nextInt(60));
            long timestamp = BASE_TIMESTAMP + 10 * (baseOffset + i) + random.nextInt(61) - 30;
            values.add(value);
            timestamps.add(timestamp);
            records[i] = new SimpleRecord(timestamp, null, value.getBytes(StandardCharsets.UTF_8));
        }
        MemoryRecords batch = MemoryRecords.withRecords(Compression.NONE, records);
        int size = batch.sizeInBytes();
        AppendResult result = log.append(batch, 0);
        assertThat(result.firstOffset()).isEqualTo(baseOffset);
        assertThat(result.lastOffset()).isEqualTo(baseOffset + count - 1);
        return new Written(baseOffset, List.copyOf(values), List.copyOf(timestamps), size);
    }

    private static int positionIn(List<Written> segmentBatches, Written batch) {
        int position = 0;
        for (Written w : segmentBatches) {
            if (w.baseOffset() == batch.baseOffset()) {
                return position;
            }
            position += w.sizeInBytes();
        }
        throw new AssertionError("batch " + batch.baseOffset() + " is not in the segment");
    }

    // ------------------------------------------------------------------------------------ reading and checking

    private static List<Rec> records(List<Written> batches) {
        List<Rec> records = new ArrayList<>();
        for (Written w : batches) {
            for (int i = 0; i < w.values().size(); i++) {
                records.add(new Rec(w.baseOffset() + i, w.values().get(i), w.timestamps().get(i)));
            }
        }
        return records;
    }

    private static List<Rec> recordsOf(LogSlice slice) {
        List<Rec> records = new ArrayList<>();
        for (RecordBatch batch : slice.toMemoryRecords().batches()) {
            batch.ensureValid();
            for (Record record : batch) {
                records.add(new Rec(record.offset(), StandardCharsets.UTF_8.decode(record.value()).toString(),
                        record.timestamp()));
            }
        }
        return records;
    }

    /** Every record from the log start to the log end, read batch-wise as a consumer does. */
    private static List<Rec> readRecords(PartitionLog log) {
        List<Rec> records = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            List<Rec> batchRecords = recordsOf(log.read(next, 16 * 1024, Long.MAX_VALUE, true).slice());
            assertThat(batchRecords).as("read at %d", next).isNotEmpty();
            for (Rec record : batchRecords) {
                if (record.offset() >= next) {
                    records.add(record);
                }
            }
            next = batchRecords.get(batchRecords.size() - 1).offset() + 1;
        }
        return records;
    }

    /** A read at any offset returns exactly the batch that holds it first (maxBytes 1 with minOneBatch). */
    private static void assertReadsAtEveryOffset(PartitionLog log, List<Written> written) {
        for (Written w : written) {
            for (long offset = Math.max(w.baseOffset(), log.logStartOffset()); offset <= w.lastOffset(); offset++) {
                List<Rec> read = recordsOf(log.read(offset, 1, Long.MAX_VALUE, true).slice());
                assertThat(read).as("read at offset %d", offset).containsExactlyElementsOf(records(List.of(w)));
            }
        }
    }

    /** offsetForTimestamp finds the first record, at or after the log start, with a timestamp at least the target. */
    private static void assertTimeLookups(PartitionLog log, List<Written> written) {
        List<Rec> records = records(written).stream().filter(r -> r.offset() >= log.logStartOffset()).toList();
        long min = records.stream().mapToLong(Rec::timestamp).min().orElseThrow();
        long max = records.stream().mapToLong(Rec::timestamp).max().orElseThrow();
        for (long target = min - 5; target <= max + 5; target += 3) {
            long t = target;
            Optional<TimestampOffset> expected = records.stream().filter(r -> r.timestamp() >= t).findFirst()
                    .map(r -> new TimestampOffset(r.timestamp(), r.offset()));
            assertThat(log.offsetForTimestamp(target)).as("offsetForTimestamp(%d)", target).isEqualTo(expected);
        }
        Rec newest = records.stream().filter(r -> r.timestamp() == max).findFirst().orElseThrow();
        assertThat(log.maxTimestamp()).contains(new TimestampOffset(max, newest.offset()));
    }

    private static void assertIndexFilesPresent(Path dir, List<Long> bases, List<Written> written) throws IOException {
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            long next = i + 1 < bases.size() ? bases.get(i + 1) : Long.MAX_VALUE;
            List<Written> inSegment = written.stream()
                    .filter(w -> w.baseOffset() >= base && w.baseOffset() < next).toList();
            Path index = dir.resolve(LogSegment.fileName(base, LogSegment.INDEX_SUFFIX));
            Path timeIndex = dir.resolve(LogSegment.fileName(base, LogSegment.TIME_INDEX_SUFFIX));
            assertThat(index).exists();
            assertThat(timeIndex).exists();
            // An index entry is due for the first batch that starts more than index.interval.bytes in.
            boolean entryDue = inSegment.stream().anyMatch(w -> positionIn(inSegment, w) > INDEX_INTERVAL_BYTES);
            if (entryDue) {
                assertThat(Files.size(index)).as("offset index of segment %d", base)
                        .isGreaterThanOrEqualTo(OffsetIndex.ENTRY_SIZE);
            }
            if (!inSegment.isEmpty()) {
                assertThat(Files.size(timeIndex)).as("time index of segment %d", base)
                        .isGreaterThanOrEqualTo(TimeIndex.ENTRY_SIZE);
            }
        }
    }

    // ------------------------------------------------------------------------------------ files

    private static long checkpointedRecoveryPoint(Path dir) throws IOException {
        return Files.readAllLines(dir.resolve(PartitionCheckpoint.FILE_NAME), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("recovery-point="))
                .mapToLong(line -> Long.parseLong(line.substring("recovery-point=".length()).trim()))
                .findFirst().orElseThrow();
    }

    private static void flipByte(Path file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, position);
            one.put(0, (byte) (one.get(0) ^ 0xFF)).rewind();
            channel.write(one, position);
        }
    }

    private static byte[] tail(Path file, int bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(bytes);
            channel.read(buffer, channel.size() - bytes);
            return buffer.array();
        }
    }

    private static List<Long> logFileSizes(Path dir, List<Long> bases) throws IOException {
        List<Long> sizes = new ArrayList<>();
        for (long base : bases) {
            sizes.add(Files.size(dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX))));
        }
        return sizes;
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
