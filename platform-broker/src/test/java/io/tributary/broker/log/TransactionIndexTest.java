package io.tributary.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-segment index of aborted transactions: entries go with the segment holding their marker,
 * survive a restart, follow truncation and segment deletion, and are rebuilt by recovery when a
 * crash or a lost file left them behind the log.
 */
class TransactionIndexTest {

    private static final TopicPartition TP = new TopicPartition("txn", 0);
    private static final LogConfig CONFIG = LogConfig.builder().segmentBytes(300).build();

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

    private PartitionLog open() throws IOException {
        log = PartitionLog.open(dir, TP, CONFIG, clock, FileChannelFactory.DEFAULT, null);
        return log;
    }

    private static MemoryRecords data(long producerId, int sequence, String value) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, (short) 0, sequence,
                new SimpleRecord(1_700_000_000_000L, value.getBytes(StandardCharsets.UTF_8)));
    }

    private static MemoryRecords marker(long producerId, ControlRecordType type) {
        return MemoryRecords.withEndTransactionMarker(1_700_000_000_000L, producerId, (short) 0,
                new EndTransactionMarker(type, 0));
    }

    /**
     * Producer 1 aborts 0..2 (marker at 2) while producer 2's transaction from 1 is open; producer 2
     * commits at 3; producer 3 aborts 4..5. Each marker is indexed as the partition does after the
     * append; small segments spread them over several segments.
     */
    private List<AbortedTxn> writeTransactions() {
        log.append(data(1, 0, "a1"), 0);
        log.append(data(2, 0, "b1"), 0);
        log.appendAbortedTxn(new AbortedTxn(1, 0, log.append(marker(1, ControlRecordType.ABORT), 0).lastOffset(), 1));
        log.append(marker(2, ControlRecordType.COMMIT), 0);
        log.append(data(3, 0, "c1"), 0);
        log.appendAbortedTxn(new AbortedTxn(3, 4, log.append(marker(3, ControlRecordType.ABORT), 0).lastOffset(), 6));
        log.updateHighWatermark(log.logEndOffset());
        return List.of(new AbortedTxn(1, 0, 2, 1), new AbortedTxn(3, 4, 5, 6));
    }

    private long txnIndexFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(TransactionIndex.SUFFIX)).count();
        }
    }

    @Test
    void abortedTransactionsAreCollectedByTheRangeTheyOverlap() throws IOException {
        open();
        List<AbortedTxn> expected = writeTransactions();
        assertThat(log.segmentCount()).isGreaterThan(1);

        assertThat(log.collectAbortedTransactions(0, 6)).containsExactlyElementsOf(expected);
        assertThat(log.collectAbortedTransactions(3, 6)).containsExactly(expected.get(1));
        assertThat(log.collectAbortedTransactions(0, 1)).containsExactly(expected.get(0));
        assertThat(log.collectAbortedTransactions(6, 7)).isEmpty();
    }

    @Test
    void theIndexSurvivesARestartAndFollowsTruncation() throws IOException {
        open();
        List<AbortedTxn> expected = writeTransactions();
        log.close();

        open();
        assertThat(log.collectAbortedTransactions(0, 6)).containsExactlyElementsOf(expected);

        log.truncateTo(4);
        assertThat(log.collectAbortedTransactions(0, Long.MAX_VALUE)).containsExactly(expected.get(0));
        log.close();
        open();
        assertThat(log.collectAbortedTransactions(0, Long.MAX_VALUE)).containsExactly(expected.get(0));
    }

    @Test
    void recoveryRebuildsTheIndexesOfTheSegmentsItScans() throws IOException {
        open();
        List<AbortedTxn> expected = writeTransactions();
        log.abandon(); // a crash: nothing flushed or checkpointed, so every segment is rescanned
        log = null;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(TransactionIndex.SUFFIX)).toList()) {
                Files.delete(file);
            }
        }

        open();

        assertThat(log.collectAbortedTransactions(0, Long.MAX_VALUE)).containsExactlyElementsOf(expected);
        assertThat(txnIndexFiles()).isEqualTo(2);
    }

    @Test
    void lostIndexFilesOfAFlushedSegmentAreRebuiltWithTheTransactionsOpenBeforeIt() throws IOException {
        open();
        List<AbortedTxn> expected = writeTransactions();
        log.close();
        // The segment holding the second abort lost all its index files: it is rebuilt though flushed,
        // and producer 3's transaction is found open from the segment before.
        long markerSegment = log.segmentBaseOffsets().stream().filter(base -> base <= 5).reduce((a, b) -> b).orElseThrow();
        for (String suffix : List.of(LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX, TransactionIndex.SUFFIX)) {
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(markerSegment, suffix)));
        }

        open();

        assertThat(log.collectAbortedTransactions(0, Long.MAX_VALUE)).containsExactlyElementsOf(expected);
    }

    @Test
    void retentionDeletesTheIndexWithItsSegment() throws IOException {
        open();
        List<AbortedTxn> expected = writeTransactions();
        log.append(data(4, 0, "later"), 0); // a segment after the second abort's
        log.updateHighWatermark(log.logEndOffset());

        log.advanceLogStartOffset(log.logEndOffset() - 1);

        assertThat(log.collectAbortedTransactions(0, Long.MAX_VALUE)).doesNotContain(expected.get(0));
        assertThat(txnIndexFiles()).isLessThan(2);
    }
}
