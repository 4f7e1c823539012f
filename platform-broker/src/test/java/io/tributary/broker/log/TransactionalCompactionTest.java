package io.tributary.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.EndTransactionMarker;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of a log with transactions: aborted records go and never win over a committed value of
 * their key, markers stay with their index entries within {@code delete.retention.ms} (see
 * {@link TransactionMarkerCompactionTest} for after), and nothing from the first open transaction on
 * is cleaned.
 */
class TransactionalCompactionTest {

    private static final TopicPartition TP = new TopicPartition("compacted-txn", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final LogConfig COMPACTED = LogConfig.builder().delete(false).compact(true).segmentBytes(400)
            .fileDeleteDelayMs(0).build();

    @TempDir
    Path dir;

    private final LogTestSupport.MutableClock clock = new LogTestSupport.MutableClock(NOW);
    private final LogCleaner cleaner = new LogCleaner(clock);
    private PartitionLog log;

    @AfterEach
    void tearDown() throws IOException {
        cleaner.close();
        if (log != null) {
            log.close();
        }
    }

    private static SimpleRecord record(String key, String value) {
        return new SimpleRecord(NOW, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private long plain(String key, String value) {
        return log.append(MemoryRecords.withRecords(Compression.NONE, record(key, value)), 0).lastOffset();
    }

    private long transactional(long producerId, int sequence, String key, String value) {
        return log.append(MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, (short) 0, sequence,
                record(key, value)), 0).firstOffset();
    }

    private long marker(long producerId, ControlRecordType type) {
        return log.append(MemoryRecords.withEndTransactionMarker(NOW, producerId, (short) 0,
                new EndTransactionMarker(type, 0)), 0).lastOffset();
    }

    /** Data records by offset as "key=value", and the number of control batches, from the log start. */
    private Map<Long, String> dataRecords(List<Integer> markers) {
        Map<Long, String> records = new LinkedHashMap<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            MemoryRecords read = log.read(next, 64 * 1024, Long.MAX_VALUE, true).slice().toMemoryRecords();
            for (RecordBatch batch : read.batches()) {
                if (batch.isControlBatch()) {
                    markers.add(1);
                } else {
                    for (Record record : batch) {
                        records.put(record.offset(), StandardCharsets.UTF_8.decode(record.key()) + "="
                                + StandardCharsets.UTF_8.decode(record.value()));
                    }
                }
                next = batch.nextOffset();
            }
        }
        return records;
    }

    private void fill(int count) {
        for (int i = 0; i < count; i++) {
            plain("filler-" + i, "x");
        }
    }

    @Test
    void abortedRecordsAreRemovedAndNeverWinOverCommittedValues() throws IOException {
        log = PartitionLog.open(dir, TP, COMPACTED, clock, FileChannelFactory.DEFAULT, null);
        plain("k", "committed-1");                                 // 0
        long abortedFirst = transactional(1, 0, "k", "aborted");   // 1
        long abortMarker = marker(1, ControlRecordType.ABORT);      // 2
        log.appendAbortedTxn(new AbortedTxn(1, abortedFirst, abortMarker, abortMarker + 1));
        transactional(2, 0, "j", "committed-in-txn");              // 3
        marker(2, ControlRecordType.COMMIT);                       // 4
        transactional(1, 1, "j", "aborted-too");                   // 5, after the newer value of j
        long secondAbort = marker(1, ControlRecordType.ABORT);     // 6
        log.appendAbortedTxn(new AbortedTxn(1, 5, secondAbort, secondAbort + 1));
        fill(12);
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.segmentCount()).isGreaterThan(2);

        cleaner.clean(log).orElseThrow();

        List<Integer> markers = new ArrayList<>();
        Map<Long, String> kept = dataRecords(markers);
        assertThat(kept).containsEntry(0L, "k=committed-1").containsEntry(3L, "j=committed-in-txn")
                .doesNotContainValue("k=aborted").doesNotContainValue("j=aborted-too");
        assertThat(markers).as("markers are kept until their delete horizon").hasSize(3);
        assertThat(log.collectAbortedTransactions(0, Long.MAX_VALUE))
                .containsExactly(new AbortedTxn(1, 1, 2, 3), new AbortedTxn(1, 5, 6, 7));

        log.close(); // the cleaned segments' transaction indexes are on disk under their final names
        log = PartitionLog.open(dir, TP, COMPACTED, clock, FileChannelFactory.DEFAULT, null);
        assertThat(log.collectAbortedTransactions(0, Long.MAX_VALUE))
                .containsExactly(new AbortedTxn(1, 1, 2, 3), new AbortedTxn(1, 5, 6, 7));
    }

    @Test
    void nothingFromTheFirstOpenTransactionOnIsCleaned() throws IOException {
        log = PartitionLog.open(dir, TP, COMPACTED, clock, FileChannelFactory.DEFAULT, null);
        plain("k", "old");                                           // 0
        long open = transactional(3, 0, "k", "open");              // 1, may still abort
        log.updateFirstUnstableOffset(open);
        fill(12);
        plain("k", "newest");
        fill(12);
        log.updateHighWatermark(log.logEndOffset());

        cleaner.clean(log);

        Map<Long, String> kept = dataRecords(new ArrayList<>());
        assertThat(kept).containsEntry(0L, "k=old").containsEntry(1L, "k=open");

        // Once the transaction is decided the log is cleaned as usual.
        marker(3, ControlRecordType.COMMIT);
        log.updateFirstUnstableOffset(-1);
        fill(12);
        log.updateHighWatermark(log.logEndOffset());
        cleaner.clean(log).orElseThrow();
        assertThat(dataRecords(new ArrayList<>())).doesNotContainValue("k=old").doesNotContainValue("k=open")
                .containsValue("k=newest");
    }
}
