package io.tributary.broker.log;

import static io.tributary.broker.log.LogTestSupport.sizedBatch;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

class RetentionTest {

    private static final TopicPartition TP = new TopicPartition("metrics", 0);
    /** Each append below is one batch of this many bytes, and a segment holds exactly three of them. */
    private static final int BATCH_BYTES = sizedBatch(2, 100, 0).sizeInBytes();
    private static final LogConfig THREE_BATCHES_PER_SEGMENT = LogConfig.builder().segmentBytes(3 * BATCH_BYTES)
            .fileDeleteDelayMs(0).build();

    @TempDir
    Path dir;

    private final LogTestSupport.MutableClock clock = new LogTestSupport.MutableClock(1_000_000);
    private PartitionLog log;

    @AfterEach
    void close() throws IOException {
        log.close();
    }

    /** Appends batches with the given timestamps; every record is committed (high watermark at the end). */
    private void appendBatches(long... timestamps) {
        for (long timestamp : timestamps) {
            log.append(sizedBatch(2, 100, timestamp), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    @Test
    void timeRetentionDeletesExactlyTheSegmentsWhoseNewestRecordIsTooOld() throws IOException {
        log = PartitionLog.open(dir, TP, THREE_BATCHES_PER_SEGMENT.toBuilder().retentionMs(10_000).build(), clock,
                FileChannelFactory.DEFAULT, null);
        // segments [0..5] newest 990_000, [6..11] newest 995_000, [12..17] newest 999_000, active [18..19]
        appendBatches(980_000, 985_000, 990_000, 991_000, 992_000, 995_000, 996_000, 997_000, 999_000, 999_500);
        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 6L, 12L, 18L);

        clock.advance(1_000); // now 1_001_000: 990_000 is 11 s old, 995_000 only 6 s
        assertThat(log.applyRetention()).isEqualTo(1);
        assertThat(log.segmentBaseOffsets()).containsExactly(6L, 12L, 18L);
        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(Files.exists(dir.resolve("00000000000000000000.log"))).isFalse();

        clock.advance(100_000); // everything is old now, but the active segment stays
        assertThat(log.applyRetention()).isEqualTo(2);
        assertThat(log.segmentBaseOffsets()).containsExactly(18L);
        assertThat(log.logStartOffset()).isEqualTo(18);
        assertThat(LogTestSupport.readAll(log, 18)).hasSize(2);
    }

    @Test
    void sizeRetentionDeletesTheOldestSegmentsWhileTheLogIsTooLarge() throws IOException {
        log = PartitionLog.open(dir, TP, THREE_BATCHES_PER_SEGMENT.toBuilder().retentionBytes(7L * BATCH_BYTES).build(),
                clock, FileChannelFactory.DEFAULT, null);
        appendBatches(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11); // 11 batches: 3 full segments + 2 in the active one

        // As Kafka does, a segment goes only if the log stays at least retention.bytes large without it:
        // 11 batches against a limit of 7 leave 8 after the first segment; without the second there would be 5.
        assertThat(log.applyRetention()).isEqualTo(1);
        assertThat(log.segmentBaseOffsets()).containsExactly(6L, 12L, 18L);
        assertThat(log.sizeInBytes()).isEqualTo(8L * BATCH_BYTES);
        appendBatches(12, 13); // 10 batches: now the oldest segment of 3 can go
        assertThat(log.applyRetention()).isEqualTo(1);
        assertThat(log.segmentBaseOffsets()).containsExactly(12L, 18L, 24L);
        assertThat(log.sizeInBytes()).isEqualTo(7L * BATCH_BYTES);
        assertThat(log.applyRetention()).isZero();
    }

    @Test
    void segmentsWithRecordsAboveTheHighWatermarkAreKept() throws IOException {
        log = PartitionLog.open(dir, TP, THREE_BATCHES_PER_SEGMENT.toBuilder().retentionMs(0).build(), clock,
                FileChannelFactory.DEFAULT, null);
        appendBatches(1, 2, 3, 4, 5, 6, 7);
        log.updateHighWatermark(8); // inside the second segment [6..11]
        clock.advance(1);

        assertThat(log.applyRetention()).isEqualTo(1);
        assertThat(log.segmentBaseOffsets()).containsExactly(6L, 12L);
    }

    @Test
    void unlimitedRetentionKeepsEverything() throws IOException {
        log = PartitionLog.open(dir, TP, THREE_BATCHES_PER_SEGMENT.toBuilder().retentionMs(-1).retentionBytes(-1).build(),
                clock, FileChannelFactory.DEFAULT, null);
        appendBatches(1, 2, 3, 4, 5, 6, 7);
        clock.advance(365L * 24 * 3600 * 1000);

        assertThat(log.applyRetention()).isZero();
        assertThat(log.segmentCount()).isEqualTo(3);
    }

    @Test
    void deletedSegmentsStayReadableForTheDelayThenDisappear() throws IOException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            log = PartitionLog.open(dir, TP, THREE_BATCHES_PER_SEGMENT.toBuilder().retentionBytes(0)
                    .fileDeleteDelayMs(200).build(), clock, FileChannelFactory.DEFAULT, scheduler);
            appendBatches(1, 2, 3, 4);
            LogSlice inFlight = log.read(0, 100_000, Long.MAX_VALUE, true).slice();

            assertThat(log.applyRetention()).isEqualTo(1);

            assertThat(dir.resolve("00000000000000000000.log.deleted")).exists();
            assertThat(LogTestSupport.values(inFlight)).hasSize(6);
            // The segment's files go one after the other: wait for the last of them, whichever it is.
            await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
                try (var files = Files.list(dir)) {
                    List<String> names = files.map(f -> f.getFileName().toString()).toList();
                    assertThat(names).noneMatch(name -> name.startsWith("00000000000000000000."));
                }
            });
        } finally {
            scheduler.shutdownNow();
        }
    }
}
