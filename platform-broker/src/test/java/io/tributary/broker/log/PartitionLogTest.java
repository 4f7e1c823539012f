package io.tributary.broker.log;

import static io.tributary.broker.log.LogTestSupport.batch;
import static io.tributary.broker.log.LogTestSupport.concat;
import static io.tributary.broker.log.LogTestSupport.offsets;
import static io.tributary.broker.log.LogTestSupport.readAll;
import static io.tributary.broker.log.LogTestSupport.sizedBatch;
import static io.tributary.broker.log.LogTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {

    private static final TopicPartition TP = new TopicPartition("orders", 3);

    @TempDir
    Path dir;

    private final LogTestSupport.MutableClock clock = new LogTestSupport.MutableClock(1_700_000_000_000L);
    private PartitionLog log;

    @AfterEach
    void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    private PartitionLog open(LogConfig config) throws IOException {
        log = PartitionLog.open(dir.resolve("orders-3"), TP, config, clock, FileChannelFactory.DEFAULT, null);
        return log;
    }

    private PartitionLog reopen(LogConfig config) throws IOException {
        log.close();
        return open(config);
    }

    @Test
    void appendAssignsContiguousOffsetsAndTheLeaderEpochInPlace() throws IOException {
        open(LogConfig.DEFAULT);

        AppendResult first = log.append(batch("a", 3), 5);
        AppendResult second = log.append(concat(batch("b", 2), batch("c", 4)), 5);

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(8);
        assertThat(second.recordCount()).isEqualTo(6);
        assertThat(log.logEndOffset()).isEqualTo(9);
        LogSlice all = log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true).slice();
        assertThat(offsets(all)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(values(all)).containsExactly("a-0", "a-1", "a-2", "b-0", "b-1", "c-0", "c-1", "c-2", "c-3");
        for (RecordBatch batch : all.toMemoryRecords().batches()) {
            assertThat(batch.partitionLeaderEpoch()).isEqualTo(5);
            assertThat(batch.isValid()).isTrue();
        }
        assertThat(log.latestEpoch()).isEqualTo(5);
    }

    @Test
    void aReadStartingInsideABatchReturnsTheWholeBatch() throws IOException {
        open(LogConfig.DEFAULT);
        log.append(batch("a", 5), 0);
        log.append(batch("b", 5), 0);

        LogSlice slice = log.read(7, Integer.MAX_VALUE, Long.MAX_VALUE, true).slice();

        assertThat(offsets(slice)).containsExactly(5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void readsHonourMaxBytesButReturnAtLeastOneWholeBatch() throws IOException {
        open(LogConfig.DEFAULT);
        MemoryRecords one = sizedBatch(4, 100, 1_000);
        int batchSize = one.sizeInBytes();
        for (int i = 0; i < 5; i++) {
            log.append(sizedBatch(4, 100, 1_000), 0);
        }

        assertThat(log.read(0, batchSize * 2 + 10, Long.MAX_VALUE, true).slice().sizeInBytes()).isEqualTo(batchSize * 2);
        assertThat(log.read(0, 10, Long.MAX_VALUE, true).slice().sizeInBytes()).isEqualTo(batchSize);
        assertThat(log.read(0, 10, Long.MAX_VALUE, false).slice().isEmpty()).isTrue();
        assertThat(log.read(4, Integer.MAX_VALUE, Long.MAX_VALUE, true).slice().sizeInBytes()).isEqualTo(batchSize * 4);
    }

    @Test
    void readsStopAtTheGivenUpperOffsetSuchAsTheHighWatermark() throws IOException {
        open(LogConfig.DEFAULT);
        log.append(batch("a", 2), 0);
        log.append(batch("b", 2), 0);
        log.append(batch("c", 2), 0);
        log.updateHighWatermark(4);

        LogReadResult result = log.read(0, Integer.MAX_VALUE, log.highWatermark(), true);

        assertThat(values(result.slice())).containsExactly("a-0", "a-1", "b-0", "b-1");
        assertThat(result.highWatermark()).isEqualTo(4);
        assertThat(result.logEndOffset()).isEqualTo(6);
        assertThat(log.read(4, Integer.MAX_VALUE, 4, true).slice().isEmpty()).isTrue();
    }

    @Test
    void readsOutsideTheLogAreOutOfRangeAndAReadAtTheEndIsEmpty() throws IOException {
        open(LogConfig.DEFAULT);
        log.append(batch("a", 2), 0);

        assertThat(log.read(2, 1000, Long.MAX_VALUE, true).slice().isEmpty()).isTrue();
        assertThatThrownBy(() -> log.read(3, 1000, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class)
                .hasMessageContaining("[0, 2)");
        assertThatThrownBy(() -> log.read(-1, 1000, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);
    }

    @Test
    void rollsBySizeIntoSegmentsNamedByBaseOffset() throws IOException {
        LogConfig config = LogConfig.builder().segmentBytes(1024).build();
        open(config);
        for (int i = 0; i < 10; i++) {
            log.append(sizedBatch(3, 100, 1_000), 0);
        }

        assertThat(log.segmentCount()).isGreaterThan(3);
        for (long base : log.segmentBaseOffsets()) {
            assertThat(dir.resolve("orders-3").resolve(String.format("%020d.log", base))).exists();
            assertThat(dir.resolve("orders-3").resolve(String.format("%020d.index", base))).exists();
            assertThat(dir.resolve("orders-3").resolve(String.format("%020d.timeindex", base))).exists();
            assertThat(base % 3).isZero();
        }
        try (var files = Files.list(dir.resolve("orders-3"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                assertThat(Files.size(file)).isLessThanOrEqualTo(1024);
            }
        }
        assertThat(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true).slice().sizeInBytes()).isPositive();
        assertThat(readAll(log, 0)).hasSize(30);
    }

    @Test
    void rollsByAgeOfTheFirstRecord() throws IOException {
        open(LogConfig.builder().segmentMs(60_000).build());
        log.append(batch("a", 1, clock.millis()), 0);
        clock.advance(30_000);
        log.append(batch("b", 1, clock.millis()), 0);
        assertThat(log.segmentCount()).isEqualTo(1);

        clock.advance(31_000);
        log.append(batch("c", 1, clock.millis()), 0);

        assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L);
    }

    @Test
    void everythingSurvivesACleanRestart() throws IOException {
        LogConfig config = LogConfig.builder().segmentBytes(2048).indexIntervalBytes(200).build();
        open(config);
        for (int i = 0; i < 20; i++) {
            log.append(batch("r" + i, 5, 1_000 + i * 10L), 2);
        }
        log.updateHighWatermark(77);
        List<String> before = readAll(log, 0);

        reopen(config);

        assertThat(log.logEndOffset()).isEqualTo(100);
        assertThat(log.highWatermark()).isEqualTo(77);
        assertThat(log.recoveryPoint()).isEqualTo(100);
        assertThat(readAll(log, 0)).isEqualTo(before);
        assertThat(log.latestEpoch()).isEqualTo(2);
        assertThat(log.append(batch("after", 1), 2).firstOffset()).isEqualTo(100);
    }

    @Test
    void logAppendTimeTopicsStampTheBrokersClock() throws IOException {
        open(LogConfig.builder().timestampType(TimestampType.LOG_APPEND_TIME).build());

        AppendResult result = log.append(batch("a", 2, 5), 0);

        assertThat(result.logAppendTime()).isEqualTo(clock.millis());
        RecordBatch stored = log.read(0, 1000, Long.MAX_VALUE, true).slice().toMemoryRecords().batches().iterator().next();
        assertThat(stored.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(stored.maxTimestamp()).isEqualTo(clock.millis());
        assertThat(stored.isValid()).isTrue();
    }

    @Test
    void findsOffsetsByTimestampAndTheMaxTimestamp() throws IOException {
        open(LogConfig.builder().segmentBytes(1024).indexIntervalBytes(100).build());
        for (int i = 0; i < 30; i++) {
            log.append(batch("t" + i, 3, 10_000 + i * 100L), 0); // timestamps t, t+1, t+2
        }

        assertThat(log.offsetForTimestamp(0)).contains(new TimestampOffset(10_000, 0));
        assertThat(log.offsetForTimestamp(10_001)).contains(new TimestampOffset(10_001, 1));
        assertThat(log.offsetForTimestamp(11_050)).contains(new TimestampOffset(11_100, 33));
        assertThat(log.offsetForTimestamp(12_902)).contains(new TimestampOffset(12_902, 89));
        assertThat(log.offsetForTimestamp(12_903)).isEmpty();
        assertThat(log.maxTimestamp()).contains(new TimestampOffset(12_902, 89));
    }

    @Test
    void invalidBatchesAreRefusedAndLeaveTheLogUnchanged() throws IOException {
        open(LogConfig.builder().maxMessageBytes(2000).build());
        log.append(batch("good", 2), 0);
        long sizeBefore = log.sizeInBytes();

        MemoryRecords badCrc = batch("x", 3);
        badCrc.buffer().put(badCrc.sizeInBytes() - 2, (byte) 0x7f);
        assertRefused(badCrc, InvalidBatchException.Reason.CORRUPT, "CRC");

        MemoryRecords truncated = batch("x", 3);
        ByteBuffer cut = truncated.buffer();
        cut.limit(cut.limit() - 5);
        assertRefused(MemoryRecords.readableRecords(cut.slice()), InvalidBatchException.Reason.CORRUPT, "Truncated");

        MemoryRecords oldMagic = MemoryRecords.withRecords(RecordBatch.MAGIC_VALUE_V1, Compression.NONE,
                new SimpleRecord(1L, "k".getBytes(), "v".getBytes()));
        assertRefused(oldMagic, InvalidBatchException.Reason.INVALID, "magic");

        assertRefused(sizedBatch(1, 5000, 1), InvalidBatchException.Reason.TOO_LARGE, "max.message.bytes");

        // A good batch followed by a corrupt one: neither is written.
        MemoryRecords secondBad = batch("y", 2);
        secondBad.buffer().put(secondBad.sizeInBytes() - 1, (byte) 0x01);
        assertRefused(concat(batch("z", 2), secondBad), InvalidBatchException.Reason.CORRUPT, "CRC");

        assertRefused(MemoryRecords.EMPTY, InvalidBatchException.Reason.INVALID, "no record batch");

        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.sizeInBytes()).isEqualTo(sizeBefore);
        assertThat(readAll(log, 0)).containsExactly("good-0", "good-1");
    }

    @Test
    void aBatchWhoseRecordCountDisagreesWithItsBytesIsInvalid() throws IOException {
        open(LogConfig.DEFAULT);
        MemoryRecords lying = batch("x", 3);
        ByteBuffer buffer = lying.buffer();
        buffer.putInt(BatchHeader.RECORDS_COUNT, 4);
        fixCrc(buffer);
        assertRefused(lying, InvalidBatchException.Reason.INVALID, "4 records");

        MemoryRecords deltaMismatch = batch("x", 3);
        deltaMismatch.buffer().putInt(BatchHeader.LAST_OFFSET_DELTA, 5);
        fixCrc(deltaMismatch.buffer());
        assertRefused(deltaMismatch, InvalidBatchException.Reason.INVALID, "last offset delta");
        assertThat(log.logEndOffset()).isZero();
    }

    private static void fixCrc(ByteBuffer batch) {
        long crc = org.apache.kafka.common.utils.Crc32C.compute(batch, BatchHeader.ATTRIBUTES,
                batch.limit() - BatchHeader.ATTRIBUTES);
        batch.putInt(17, (int) crc);
    }

    private void assertRefused(MemoryRecords records, InvalidBatchException.Reason reason, String message) {
        assertThatThrownBy(() -> log.append(records, 0)).isInstanceOfSatisfying(InvalidBatchException.class,
                e -> assertThat(e.reason()).isEqualTo(reason)).hasMessageContaining(message);
    }

    @Test
    void deleteRecordsMovesTheLogStartOffsetAndDropsWholeSegmentsBeforeIt() throws IOException {
        open(LogConfig.builder().segmentBytes(600).build());
        for (int i = 0; i < 10; i++) {
            log.append(sizedBatch(2, 100, 1_000), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        List<Long> segmentsBefore = log.segmentBaseOffsets();

        log.advanceLogStartOffset(7);

        assertThat(log.logStartOffset()).isEqualTo(7);
        assertThat(log.segmentBaseOffsets().get(0)).isLessThanOrEqualTo(7);
        assertThat(log.segmentCount()).isLessThan(segmentsBefore.size());
        assertThatThrownBy(() -> log.read(6, 1000, Long.MAX_VALUE, true)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(offsets(log.read(7, 100_000, Long.MAX_VALUE, true).slice())).contains(7L);
        assertThatThrownBy(() -> log.advanceLogStartOffset(21)).isInstanceOf(OffsetOutOfRangeException.class);

        reopen(LogConfig.builder().segmentBytes(600).build());
        assertThat(log.logStartOffset()).isEqualTo(7);
    }

    @Test
    void truncationRemovesWholeBatchesFromTheEndAndForgetsTheirEpochs() throws IOException {
        open(LogConfig.builder().segmentBytes(700).build());
        for (int i = 0; i < 10; i++) {
            log.append(batch("e" + i, 3), i < 5 ? 1 : 2);
        }
        assertThat(log.latestEpoch()).isEqualTo(2);
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 15));

        log.truncateTo(12);

        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(log.latestEpoch()).isEqualTo(1);
        assertThat(readAll(log, 0)).hasSize(12).endsWith("e3-2");
        assertThat(log.append(batch("new", 2), 3).firstOffset()).isEqualTo(12);
        assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(1, 12));
        assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 14));
    }
}
