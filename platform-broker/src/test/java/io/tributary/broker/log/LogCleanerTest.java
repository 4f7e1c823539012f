package io.tributary.broker.log;

import static io.tributary.broker.log.CompactionTestSupport.entry;
import static io.tributary.broker.log.CompactionTestSupport.keyed;
import static io.tributary.broker.log.CompactionTestSupport.latest;
import static io.tributary.broker.log.CompactionTestSupport.latestOffsets;
import static io.tributary.broker.log.CompactionTestSupport.readLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.broker.log.CompactionTestSupport.Stored;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Log compaction: what the cleaner keeps and drops, and how it survives concurrency and crashes. */
class LogCleanerTest {

    private static final TopicPartition TP = new TopicPartition("compacted", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final LogConfig COMPACTED = LogConfig.builder().delete(false).compact(true).segmentBytes(1024)
            .fileDeleteDelayMs(0).build();

    @TempDir
    Path dir;

    private final LogTestSupport.MutableClock clock = new LogTestSupport.MutableClock(NOW);
    private final LogCleaner cleaner = new LogCleaner(clock);
    /** The log the test has open, closed after the test. */
    private PartitionLog log;

    @AfterEach
    void tearDown() throws IOException {
        cleaner.close();
        if (log != null) {
            log.close();
        }
    }

    private PartitionLog open(LogConfig config) throws IOException {
        return open(dir, config);
    }

    private PartitionLog open(Path logDir, LogConfig config) throws IOException {
        log = PartitionLog.open(logDir, TP, config, clock, FileChannelFactory.DEFAULT, null);
        return log;
    }

    private void reopen(LogConfig config) throws IOException {
        log.close();
        open(log.dir(), config);
    }

    /** Appends a batch and commits it (the high watermark moves to the log end). */
    private long append(MemoryRecords records) {
        long first = log.append(records, 0).firstOffset();
        log.updateHighWatermark(log.logEndOffset());
        return first;
    }

    /** {@code rounds} batches of 10 records over keys k0..k(keys-1), values naming round and position. */
    private void appendRounds(int fromRound, int rounds, int keys, long timestamp) {
        for (int round = fromRound; round < fromRound + rounds; round++) {
            List<Map.Entry<String, String>> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                records.add(entry("k" + ((round * 10 + i) % keys), "r" + round + "-" + i));
            }
            append(keyed(timestamp, records));
        }
    }

    private long activeBaseOffset() {
        List<Long> bases = log.segmentBaseOffsets();
        return bases.get(bases.size() - 1);
    }

    /** What compaction must leave of {@code before}: every record from {@code uncleanable} on, and before it only each key's latest. */
    private static List<Stored> compacted(List<Stored> before, long uncleanable) {
        Map<String, Long> latestOffsets = latestOffsets(before);
        return before.stream()
                .filter(record -> record.offset() >= uncleanable || latestOffsets.get(record.key()) == record.offset())
                .toList();
    }

    /**
     * A read at any offset skips no record: the records it returns from that offset on start with
     * the next record there is; or it returns only batches emptied by compaction, and a consumer's
     * next read, from after them, is still at or before that record.
     */
    private void assertReadsAtEveryOffsetSkipNothing(List<Stored> records) {
        for (long offset = log.logStartOffset(); offset < log.logEndOffset(); offset++) {
            long from = offset;
            Stored next = records.stream().filter(record -> record.offset() >= from).findFirst().orElseThrow();
            MemoryRecords read = log.read(offset, 64 * 1024, Long.MAX_VALUE, true).slice().toMemoryRecords();
            assertThat(read.sizeInBytes()).as("read at offset %d", offset).isPositive();
            Long first = null;
            long nextFetch = offset;
            for (RecordBatch batch : read.batches()) {
                assertThat(batch.lastOffset()).isGreaterThanOrEqualTo(offset);
                for (Record record : batch) {
                    if (first == null && record.offset() >= offset) {
                        first = record.offset();
                    }
                }
                nextFetch = batch.nextOffset();
            }
            if (first != null) {
                assertThat(first).as("first record read at offset %d", offset).isEqualTo(next.offset());
            } else {
                assertThat(nextFetch).as("next fetch after a read at offset %d", offset).isLessThanOrEqualTo(next.offset());
            }
        }
    }

    // ------------------------------------------------------------------------------------ what is kept

    @Test
    void keepsOnlyTheLatestRecordOfEachKeyAtItsOriginalOffsetAndLeavesTheActiveSegmentAlone() throws IOException {
        open(COMPACTED);
        appendRounds(0, 30, 50, NOW); // 300 records, every key written 6 times, over several segments
        List<Stored> before = readLog(log);
        long activeBase = activeBaseOffset();
        Path activeFile = dir.resolve(LogSegment.fileName(activeBase, LogSegment.LOG_SUFFIX));
        byte[] activeBytes = Files.readAllBytes(activeFile);
        assertThat(log.segmentCount()).isGreaterThan(4);

        CleaningResult result = cleaner.clean(log).orElseThrow();

        List<Stored> after = readLog(log);
        assertThat(after).containsExactlyElementsOf(compacted(before, activeBase));
        assertThat(after.size()).isLessThan(before.size() / 2);
        assertThat(latest(after)).isEqualTo(latest(before));
        assertThat(Files.readAllBytes(activeFile)).isEqualTo(activeBytes);
        assertThat(log.logEndOffset()).isEqualTo(300);
        assertThat(result.cleanedUpTo()).isEqualTo(activeBase);
        assertThat(result.recordsRetained()).isLessThan(result.recordsRead());
        assertThat(result.bytesWritten()).isLessThan(result.bytesRead());
        assertReadsAtEveryOffsetSkipNothing(after);

        reopen(COMPACTED);
        assertThat(readLog(log)).containsExactlyElementsOf(after);
        assertReadsAtEveryOffsetSkipNothing(after);
    }

    @Test
    void smallCleanedSegmentsAreGroupedIntoOne() throws IOException {
        open(COMPACTED);
        appendRounds(0, 30, 20, NOW);
        cleaner.clean(log).orElseThrow(); // each segment shrinks, but groups are formed from the sizes before
        List<Stored> once = readLog(log);
        int segments = log.segmentCount();

        cleaner.clean(log).orElseThrow();

        assertThat(log.segmentCount()).isLessThan(segments);
        assertThat(readLog(log)).containsExactlyElementsOf(once);
        assertReadsAtEveryOffsetSkipNothing(once);
    }

    @Test
    void anOlderRecordWhoseKeyWasWrittenAgainInTheActiveSegmentGoesTooButTheActiveSegmentKeepsAll() throws IOException {
        open(COMPACTED);
        appendRounds(0, 20, 10, NOW);
        append(keyed(NOW, "k3", "in-active-1"));
        append(keyed(NOW, "k3", "in-active-2"));
        long activeBase = activeBaseOffset();
        List<Stored> before = readLog(log);

        cleaner.clean(log).orElseThrow();

        List<Stored> after = readLog(log);
        assertThat(after.stream().filter(r -> r.key().equals("k3")).map(Stored::value).toList())
                .containsExactly("in-active-1", "in-active-2");
        assertThat(after).containsExactlyElementsOf(compacted(before, activeBase));
    }

    @Test
    void compressedBatchesAreCleanedAndStayCompressed() throws IOException {
        open(COMPACTED);
        for (int round = 0; round < 30; round++) {
            List<Map.Entry<String, String>> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                records.add(entry("k" + ((round * 10 + i) % 40), "value-" + round + "-" + i));
            }
            append(keyed(Compression.gzip().build(), NOW, records));
        }
        List<Stored> before = readLog(log);
        long activeBase = activeBaseOffset();

        cleaner.clean(log).orElseThrow();

        assertThat(readLog(log)).containsExactlyElementsOf(compacted(before, activeBase));
        for (RecordBatch batch : log.read(0, 1024 * 1024, activeBase, true).slice().toMemoryRecords().batches()) {
            if (batch.countOrNull() > 0) { // batches emptied by compaction are bare headers
                assertThat(batch.compressionType().name).isEqualTo("gzip");
            }
        }
    }

    @Test
    void theLastBatchOfAnIdempotentProducerStaysEvenWhenAllItsRecordsAreSuperseded() throws IOException {
        open(COMPACTED);
        append(MemoryRecords.withIdempotentRecords(Compression.NONE, 7L, (short) 3, 0,
                new SimpleRecord(NOW, bytes("a"), bytes("1")), new SimpleRecord(NOW, bytes("b"), bytes("2"))));
        appendRounds(0, 20, 10, NOW);
        for (String key : List.of("a", "b")) {
            append(keyed(NOW, key, "later"));
        }
        appendRounds(20, 10, 10, NOW);

        cleaner.clean(log).orElseThrow();

        assertThat(readLog(log)).noneMatch(record -> record.offset() < 2);
        List<StoredBatch> batches = new ArrayList<>();
        log.scanBatches(0, batches::add);
        assertThat(batches.get(0)).isEqualTo(new StoredBatch(0, 1, 7L, (short) 3, 0, NOW));
    }

    // ------------------------------------------------------------------------------------ tombstones and lag

    @Test
    void aTombstoneOutlivesDeleteRetentionMsFromTheFirstCleaningThatKeptIt() throws IOException {
        LogConfig config = COMPACTED.toBuilder().deleteRetentionMs(60_000).build();
        open(config);
        append(keyed(NOW, "gone", "a"));
        append(keyed(NOW, "kept", "b"));
        long tombstone = append(keyed(NOW, "gone", null));
        appendRounds(0, 20, 10, NOW); // rolls the tombstone into a closed segment

        cleaner.clean(log).orElseThrow();
        assertThat(readLog(log)).filteredOn(r -> r.key().equals("gone"))
                .containsExactly(new Stored(tombstone, "gone", null));

        clock.advance(59_999);
        cleaner.clean(log).orElseThrow();
        assertThat(readLog(log)).filteredOn(r -> r.key().equals("gone")).hasSize(1);

        reopen(config); // the horizon is stored in the batch, not in memory
        clock.advance(1);
        cleaner.clean(log).orElseThrow();
        assertThat(readLog(log)).noneMatch(r -> r.key().equals("gone"));
        assertThat(latest(readLog(log))).containsEntry("kept", "b");
    }

    @Test
    void recordsYoungerThanMinCompactionLagStayUncompacted() throws IOException {
        open(COMPACTED.toBuilder().minCompactionLagMs(60_000).build());
        appendRounds(0, 30, 50, NOW);
        List<Stored> before = readLog(log);

        assertThat(cleaner.clean(log)).isEmpty();
        assertThat(readLog(log)).containsExactlyElementsOf(before);

        clock.advance(60_001);
        cleaner.clean(log).orElseThrow();
        assertThat(readLog(log)).containsExactlyElementsOf(compacted(before, activeBaseOffset()));
    }

    @Test
    void onlySegmentsOlderThanTheLagAreRewrittenThoughNewerRecordsSupersedeOlderOnes() throws IOException {
        open(COMPACTED.toBuilder().minCompactionLagMs(60_000).build());
        appendRounds(0, 15, 20, NOW - 120_000);
        appendRounds(15, 15, 20, NOW);
        List<Stored> before = readLog(log);
        long firstUncleanable = LogToClean.of(log, clock.millis()).firstUncleanableOffset();
        assertThat(firstUncleanable).isPositive().isLessThan(activeBaseOffset());

        cleaner.clean(log).orElseThrow();

        assertThat(readLog(log)).containsExactlyElementsOf(compacted(before, firstUncleanable));
        assertThat(log.cleanerView().firstDirtyOffset()).isEqualTo(firstUncleanable);
    }

    // ------------------------------------------------------------------------------------ policies and thresholds

    @Test
    void aCompactedTopicRefusesRecordsWithoutKeysAndWritesNothingOfTheAppend() throws IOException {
        open(COMPACTED);
        append(keyed(NOW, "a", "1"));
        MemoryRecords keyless = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(NOW, null, bytes("v")));
        MemoryRecords compressedWithOneKeyless = MemoryRecords.withRecords(Compression.gzip().build(),
                new SimpleRecord(NOW, bytes("k"), bytes("v")), new SimpleRecord(NOW, null, bytes("v")));
        MemoryRecords secondBatchKeyless = LogTestSupport.concat(keyed(NOW, "b", "2"), keyless);

        for (MemoryRecords refused : List.of(keyless, compressedWithOneKeyless, secondBatchKeyless)) {
            assertThatThrownBy(() -> log.append(refused, 0))
                    .isInstanceOfSatisfying(InvalidBatchException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvalidBatchException.Reason.INVALID))
                    .hasMessageContaining("Compacted topic cannot accept message without key");
        }
        assertThat(log.logEndOffset()).isEqualTo(1);
        append(keyed(NOW, "a", null)); // a tombstone has a key
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void aTopicThatDeletesTakesRecordsWithoutKeys() throws IOException {
        open(LogConfig.DEFAULT);
        append(MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(NOW, null, bytes("v"))));
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(cleaner.clean(log)).isEmpty(); // and the cleaner leaves it alone
    }

    @Test
    void aCompactOnlyLogKeepsWhatRetentionByTimeAndSizeWouldDelete() throws IOException {
        open(COMPACTED.toBuilder().retentionMs(1_000).retentionBytes(100).build());
        appendRounds(0, 30, 50, NOW - 3_600_000);

        assertThat(log.applyRetention()).isZero();
        assertThat(log.logStartOffset()).isZero();
    }

    @Test
    void compactAndDeleteRunsRetentionAndCompactionBoth() throws IOException {
        open(COMPACTED.toBuilder().delete(true).retentionMs(60_000).build());
        appendRounds(0, 10, 50, NOW - 120_000);
        appendRounds(10, 20, 50, NOW);

        assertThat(log.applyRetention()).isPositive();
        long logStart = log.logStartOffset();
        assertThat(logStart).isPositive();
        List<Stored> before = readLog(log);

        cleaner.clean(log).orElseThrow();

        assertThat(log.logStartOffset()).isEqualTo(logStart);
        assertThat(readLog(log)).containsExactlyElementsOf(compacted(before, activeBaseOffset()));
    }

    @Test
    void onlyLogsAsDirtyAsTheirMinCleanableDirtyRatioAreCleanedInTheBackground() throws IOException {
        open(COMPACTED);
        appendRounds(0, 30, 50, NOW);
        assertThat(cleaner.cleanDirtyLogs(List.of(log))).isEqualTo(1); // all dirty: ratio 1
        appendRounds(30, 6, 50, NOW); // a little dirt on a clean log
        LogToClean toClean = LogToClean.of(log, clock.millis());
        assertThat(toClean.dirtyBytes()).isPositive();
        double ratio = toClean.dirtyRatio();

        log.updateConfig(COMPACTED.toBuilder().minCleanableDirtyRatio(Math.min(1, ratio + 0.01)).build());
        assertThat(cleaner.cleanDirtyLogs(List.of(log))).isZero();

        log.updateConfig(COMPACTED.toBuilder().minCleanableDirtyRatio(ratio).build());
        assertThat(cleaner.cleanDirtyLogs(List.of(log))).isEqualTo(1);
        assertThat(LogToClean.of(log, clock.millis()).dirtyBytes()).isZero();
    }

    @Test
    void theCleanerCheckpointSurvivesARestartSoNothingIsCleanedTwice() throws IOException {
        open(COMPACTED);
        appendRounds(0, 30, 50, NOW);
        CleaningResult first = cleaner.clean(log).orElseThrow();
        assertThat(log.cleanerView().firstDirtyOffset()).isEqualTo(first.cleanedUpTo());
        assertThat(dir.resolve(CleanerCheckpoint.FILE_NAME)).exists();

        reopen(COMPACTED);

        assertThat(log.cleanerView().firstDirtyOffset()).isEqualTo(first.cleanedUpTo());
        assertThat(LogToClean.of(log, clock.millis()).dirtyBytes()).isZero();
        assertThat(cleaner.cleanDirtyLogs(List.of(log))).isZero();

        List<Stored> compactedOnce = readLog(log);
        appendRounds(30, 30, 50, NOW);
        List<Stored> before = readLog(log);
        assertThat(cleaner.cleanDirtyLogs(List.of(log))).isEqualTo(1);
        assertThat(log.cleanerView().firstDirtyOffset()).isGreaterThan(first.cleanedUpTo());
        assertThat(readLog(log)).containsExactlyElementsOf(compacted(before, activeBaseOffset()));
        assertThat(compactedOnce).isNotEmpty();
    }

    @Test
    void aSmallOffsetMapCleansInSeveralStepsAndEndsCompacted() throws IOException {
        LogCleaner smallMap = new LogCleaner(clock, 24 * 20, 4096); // 18 keys per cleaning
        try {
            open(COMPACTED);
            appendRounds(0, 30, 50, NOW);
            List<Stored> before = readLog(log);
            long activeBase = activeBaseOffset();
            int cleanings = 0;
            while (log.cleanerView().firstDirtyOffset() < activeBase) {
                long checkpoint = log.cleanerView().firstDirtyOffset();
                smallMap.clean(log).orElseThrow();
                assertThat(log.cleanerView().firstDirtyOffset()).isGreaterThan(checkpoint);
                List<Stored> after = readLog(log);
                assertThat(before).containsAll(after);
                assertThat(latest(after)).isEqualTo(latest(before));
                assertThat(++cleanings).isLessThan(40);
            }
            assertThat(cleanings).isGreaterThan(1);
            // Every closed segment was dirty once: each key is left there once at most, its latest
            // closed record, or not at all when the active segment wrote it again; the active segment keeps all.
            List<Stored> after = readLog(log);
            List<Stored> closedBefore = before.stream().filter(r -> r.offset() < activeBase).toList();
            Map<String, Long> latestClosed = latestOffsets(closedBefore);
            Map<String, Long> latestOverall = latestOffsets(before);
            assertThat(after).filteredOn(r -> r.offset() >= activeBase)
                    .containsExactlyElementsOf(before.stream().filter(r -> r.offset() >= activeBase).toList());
            assertThat(after).filteredOn(r -> r.offset() < activeBase)
                    .allMatch(r -> latestClosed.get(r.key()) == r.offset())
                    .containsAll(closedBefore.stream().filter(r -> latestOverall.get(r.key()) == r.offset()).toList());
        } finally {
            smallMap.close();
        }
    }

    // ------------------------------------------------------------------------------------ concurrency

    @Test
    void appendsWhileTheCleanerRunsAllLand() throws Exception {
        open(COMPACTED.toBuilder().segmentBytes(2048).build());
        AtomicInteger cleanings = new AtomicInteger();
        Map<Long, Stored> appended = new ConcurrentSkipListMap<>();
        ExecutorService appenderThread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> appender = appenderThread.submit(() -> {
                Random random = new Random(42);
                int batches = 0;
                // Appends go on until the cleaner has cleaned several times under them.
                while ((cleanings.get() < 5 || batches < 500) && batches < 200_000) {
                    List<Map.Entry<String, String>> records = new ArrayList<>();
                    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                        records.add(entry("k" + random.nextInt(100), "b" + batches + "-" + i));
                    }
                    long first = append(keyed(NOW, records));
                    for (int i = 0; i < records.size(); i++) {
                        appended.put(first + i, new Stored(first + i, records.get(i).getKey(), records.get(i).getValue()));
                    }
                    batches++;
                }
                return batches;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!appender.isDone() && System.nanoTime() < deadline) {
                if (cleaner.clean(log).isPresent()) {
                    cleanings.incrementAndGet();
                }
            }
            assertThat(appender.get(1, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(500);
        } finally {
            appenderThread.shutdownNow();
        }
        assertThat(cleanings.get()).isGreaterThanOrEqualTo(5);
        assertThat(log.logEndOffset()).isEqualTo(appended.size());
        List<Stored> all = List.copyOf(appended.values());

        cleaner.clean(log).orElseThrow();

        List<Stored> after = readLog(log);
        assertThat(after).containsExactlyElementsOf(compacted(all, activeBaseOffset()));
        assertReadsAtEveryOffsetSkipNothing(after);
    }

    @Test
    void aReaderHoldingASliceOfAReplacedSegmentReadsItToTheEnd() throws IOException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            log = PartitionLog.open(dir, TP, COMPACTED.toBuilder().fileDeleteDelayMs(60_000).build(), clock,
                    FileChannelFactory.DEFAULT, scheduler);
            appendRounds(0, 30, 50, NOW);
            LogSlice held = log.read(0, 64 * 1024, Long.MAX_VALUE, true).slice();
            List<Long> heldOffsets = LogTestSupport.offsets(held);

            cleaner.clean(log).orElseThrow();

            assertThat(dir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX + LogSegment.DELETED_SUFFIX))).exists();
            assertThat(LogTestSupport.offsets(held)).isEqualTo(heldOffsets);
            assertThat(LogTestSupport.offsets(log.read(0, 64 * 1024, Long.MAX_VALUE, true).slice()))
                    .isNotEqualTo(heldOffsets);
        } finally {
            log.close();
            log = null;
            scheduler.shutdownNow();
        }
    }

    @Test
    void theLogManagerRunsTheCleanerInTheBackground() throws IOException {
        try (LogManager manager = new LogManager(dir, topic -> COMPACTED, clock, FileChannelFactory.DEFAULT,
                new LogManager.Schedule(300_000, 1_000, 60_000, 20))) {
            manager.startup();
            PartitionLog compacted = manager.getOrCreateLog(TP);
            for (int round = 0; round < 30; round++) {
                List<Map.Entry<String, String>> records = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    records.add(entry("k" + ((round * 10 + i) % 50), "r" + round + "-" + i));
                }
                compacted.append(keyed(NOW, records), 0);
            }
            compacted.updateHighWatermark(compacted.logEndOffset());
            List<Stored> before = readLog(compacted);
            List<Long> bases = compacted.segmentBaseOffsets();
            long activeBase = bases.get(bases.size() - 1);

            await().atMost(Duration.ofSeconds(10)).until(() -> compacted.cleanerView().firstDirtyOffset() == activeBase);

            assertThat(readLog(compacted)).containsExactlyElementsOf(compacted(before, activeBase));
        }
    }

    // ------------------------------------------------------------------------------------ crashes

    @Test
    void cleanedFilesLeftByACrashAreDeletedAtTheNextStart() throws IOException {
        open(COMPACTED);
        appendRounds(0, 30, 50, NOW);
        List<Stored> before = readLog(log);
        log.abandon();
        log = null;
        for (String suffix : List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
            Files.write(dir.resolve(LogSegment.fileName(0, suffix) + LogSegment.CLEANED_SUFFIX), bytes("half-written"));
        }

        open(COMPACTED);

        assertThat(filesEndingWith(dir, LogSegment.CLEANED_SUFFIX)).isEmpty();
        assertThat(readLog(log)).containsExactlyElementsOf(before);
    }

    /** Where a crash interrupted a swap of a cleaned segment (see CleanerView#replaceSegments). */
    enum SwapCrash {
        /** The cleaned segment became .swap; the old segments are untouched. */
        AFTER_THE_SWAP_FILES_WERE_NAMED,
        /** The old segments became .deleted too. */
        AFTER_THE_OLD_SEGMENTS_WERE_RENAMED,
        /** The cleaned log file took its final name; its indexes are still .swap. */
        HALFWAY_THROUGH_THE_FINAL_RENAMES
    }

    @ParameterizedTest
    @EnumSource(SwapCrash.class)
    void aCrashDuringASwapIsCompletedAtTheNextStart(SwapCrash crash) throws IOException {
        Path cleanedDir = dir.resolve("cleaned-0");
        Path crashedDir = dir.resolve("crashed-0");
        open(cleanedDir, COMPACTED);
        appendRounds(0, 30, 50, NOW);
        List<Stored> original = readLog(log);
        log.close();
        copyDirectory(cleanedDir, crashedDir);
        open(cleanedDir, COMPACTED);
        cleaner.clean(log).orElseThrow();
        List<Stored> cleaned = readLog(log);
        long firstGroupEnd = log.segmentBaseOffsets().get(1); // the cleaned segment 0 replaced the segments below
        log.close();
        log = null;

        // The crashed copy holds the old segments plus the first cleaned segment under .swap names.
        for (String suffix : List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
            Files.copy(cleanedDir.resolve(LogSegment.fileName(0, suffix)),
                    crashedDir.resolve(LogSegment.fileName(0, suffix) + LogSegment.SWAP_SUFFIX));
        }
        if (crash != SwapCrash.AFTER_THE_SWAP_FILES_WERE_NAMED) {
            for (Path file : filesEndingWith(crashedDir, "")) {
                String name = file.getFileName().toString();
                if (name.matches("\\d{20}\\.(log|index|timeindex)") && Long.parseLong(name.substring(0, 20)) < firstGroupEnd) {
                    Files.move(file, file.resolveSibling(name + LogSegment.DELETED_SUFFIX));
                }
            }
        }
        if (crash == SwapCrash.HALFWAY_THROUGH_THE_FINAL_RENAMES) {
            Files.move(crashedDir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX) + LogSegment.SWAP_SUFFIX),
                    crashedDir.resolve(LogSegment.fileName(0, LogSegment.LOG_SUFFIX)));
        }

        open(crashedDir, COMPACTED);

        List<Stored> expected = Stream.concat(cleaned.stream().filter(r -> r.offset() < firstGroupEnd),
                original.stream().filter(r -> r.offset() >= firstGroupEnd)).toList();
        List<Stored> recovered = readLog(log);
        assertThat(recovered).containsExactlyElementsOf(expected);
        assertThat(latest(recovered)).isEqualTo(latest(original));
        assertThat(log.logEndOffset()).isEqualTo(original.size());
        assertThat(filesEndingWith(crashedDir, LogSegment.SWAP_SUFFIX)).isEmpty();
        assertThat(filesEndingWith(crashedDir, LogSegment.DELETED_SUFFIX)).isEmpty();
        assertReadsAtEveryOffsetSkipNothing(recovered);
        cleaner.clean(log).orElseThrow(); // and the recovered log cleans on
        assertThat(readLog(log)).containsExactlyElementsOf(compacted(original, activeBaseOffset()));
    }

    // ------------------------------------------------------------------------------------ helpers

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Path> filesEndingWith(Path directory, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(suffix)).toList();
        }
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path file : filesEndingWith(from, "")) {
            Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
