package io.tributary.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
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
 * Compaction removes a transaction marker once no batch of its transaction is left before it and
 * its delete horizon has passed, like a tombstone; an ABORT marker takes its transaction index
 * entry with it; the last marker of each producer stays.
 */
class TransactionMarkerCompactionTest {

    private static final TopicPartition TP = new TopicPartition("compacted-markers", 0);
    private static final long NOW = 1_700_000_000_000L;
    private static final long RETENTION_MS = 60_000;
    private static final LogConfig COMPACTED = LogConfig.builder().delete(false).compact(true).segmentBytes(2000)
            .deleteRetentionMs(RETENTION_MS).fileDeleteDelayMs(0).build();

    @TempDir
    Path dir;

    private final LogTestSupport.MutableClock clock = new LogTestSupport.MutableClock(NOW);
    private final LogCleaner cleaner = new LogCleaner(clock);
    private final Map<Long, Integer> sequences = new HashMap<>();
    private PartitionLog log;
    private int fillers;

    @AfterEach
    void tearDown() throws IOException {
        cleaner.close();
        if (log != null) {
            log.close();
        }
    }

    private void open() throws IOException {
        log = PartitionLog.open(dir, TP, COMPACTED, clock, FileChannelFactory.DEFAULT, null);
    }

    private static SimpleRecord record(String key, String value) {
        return new SimpleRecord(NOW, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    }

    private long transactional(long producerId, String key, String value) {
        int sequence = sequences.merge(producerId, 1, Integer::sum) - 1;
        return log.append(MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, (short) 0, sequence,
                record(key, value)), 0).firstOffset();
    }

    private long marker(long producerId, ControlRecordType type) {
        return log.append(MemoryRecords.withEndTransactionMarker(NOW, producerId, (short) 0,
                new EndTransactionMarker(type, 0)), 0).lastOffset();
    }

    private long commit(long producerId, String key, String value) {
        transactional(producerId, key, value);
        return marker(producerId, ControlRecordType.COMMIT);
    }

    private long abort(long producerId, String key, String value) {
        long first = transactional(producerId, key, value);
        long marker = marker(producerId, ControlRecordType.ABORT);
        log.appendAbortedTxn(new AbortedTxn(producerId, first, marker, marker + 1));
        return marker;
    }

    /**
     * New keys that roll the segments, so what came before is closed, and mark it all committed.
     * Each test writes its transactions first, within the first segment: so the batch that ends a
     * rewritten segment, which the cleaner keeps (emptied) for recovery, is never a transaction's
     * data batch, which would hold its marker back until the segments are regrouped.
     */
    private void fillAndCommit() {
        for (int i = 0; i < 30; i++) {
            log.append(MemoryRecords.withRecords(Compression.NONE, record("filler-" + fillers++, "x")), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
    }

    private void clean() {
        fillAndCommit();
        cleaner.clean(log).orElseThrow();
    }

    /** The offsets of the control batches that still hold a marker (compaction may leave empty ones). */
    private List<Long> markers() {
        List<Long> markers = new ArrayList<>();
        log.scanBatches(log.logStartOffset(), batch -> {
            if (batch.control() && batch.marker() != null) {
                markers.add(batch.baseOffset());
            }
        });
        return markers;
    }

    /** Data records by offset as "key=value". */
    private Map<Long, String> dataRecords() {
        Map<Long, String> records = new HashMap<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            MemoryRecords read = log.read(next, 64 * 1024, Long.MAX_VALUE, true).slice().toMemoryRecords();
            for (RecordBatch batch : read.batches()) {
                if (!batch.isControlBatch()) {
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

    /**
     * The producers a replay of the log leaves inside a transaction, as a rebuild of the producer
     * state would: a transactional data batch opens one, the next marker of its producer ends it.
     */
    private List<Long> transactionsLeftOpen() {
        Map<Long, Long> open = new HashMap<>();
        log.scanBatches(log.logStartOffset(), batch -> {
            if (batch.transactional() && !batch.control()) {
                open.putIfAbsent(batch.producerId(), batch.baseOffset());
            } else if (batch.marker() != null) {
                open.remove(batch.producerId());
            }
        });
        return List.copyOf(open.keySet());
    }

    @Test
    void markersOfOverwrittenCommittedTransactionsGoOnlyAfterTheDeleteHorizon() throws IOException {
        open();
        List<Long> early = new ArrayList<>();
        for (long producer = 1; producer <= 3; producer++) {
            early.add(commit(producer, "k" + producer, "old"));
        }
        List<Long> late = new ArrayList<>();
        for (long producer = 1; producer <= 3; producer++) {
            late.add(commit(producer, "k" + producer, "new"));
        }

        clean(); // removes the old values; their markers stay while their batches were still read
        assertThat(dataRecords()).doesNotContainValue("k1=old").containsValue("k1=new");
        assertThat(markers()).containsAll(early).containsAll(late);

        clean(); // finds the early markers with nothing left before them: stamps their horizon
        clock.advance(RETENTION_MS - 1);
        clean();
        assertThat(markers()).containsAll(early);

        log.close(); // the horizon is in the batches, not in memory
        open();
        clock.advance(1);
        clean();
        assertThat(markers()).doesNotContainAnyElementsOf(early)
                .as("the last marker of each producer stays, and so do those with data").containsAll(late);
        assertThat(dataRecords()).containsValues("k1=new", "k2=new", "k3=new");
        assertThat(transactionsLeftOpen()).isEmpty();
    }

    @Test
    void anAbortMarkerGoesAfterItsDataAndTakesItsIndexEntryAlong() throws IOException {
        open();
        long abortMarker = abort(1, "k", "aborted");
        long commitMarker = commit(1, "k", "committed");

        clean(); // removes the aborted record, keeps its marker and entry
        assertThat(dataRecords()).doesNotContainValue("k=aborted").containsValue("k=committed");
        assertThat(markers()).contains(abortMarker, commitMarker);
        assertThat(log.collectAbortedTransactions(0, Long.MAX_VALUE)).hasSize(1);

        clean();
        clock.advance(RETENTION_MS);
        clean();
        assertThat(markers()).doesNotContain(abortMarker).contains(commitMarker);
        // Were the entry left without its marker, a read_committed consumer fetching from before it would
        // skip producer 1's batches until an ABORT marker that never comes: its committed value.
        assertThat(log.collectAbortedTransactions(0, Long.MAX_VALUE)).isEmpty();
        assertThat(dataRecords()).containsValue("k=committed");
        assertThat(transactionsLeftOpen()).isEmpty();
    }

    @Test
    void aMarkerWhoseTransactionStillHasRecordsStays() throws IOException {
        open();
        long kept = commit(1, "k", "survives");
        long abortedLater = abort(1, "k", "aborted"); // never wins over the committed value
        commit(1, "other", "last");

        for (int i = 0; i < 3; i++) {
            clean();
            clock.advance(RETENTION_MS);
        }
        clean();
        assertThat(dataRecords()).containsValue("k=survives").doesNotContainValue("k=aborted");
        assertThat(markers()).contains(kept).doesNotContain(abortedLater);
        assertThat(transactionsLeftOpen()).isEmpty();
    }

    @Test
    void aRestartRebuildingTheIndexesAgreesWithTheCleanedLog() throws IOException {
        open();
        long abortMarker = abort(1, "k", "aborted");
        long openAbort = abort(2, "j", "aborted-kept"); // the last batch of producer 2: its marker stays
        commit(1, "k", "committed");
        for (int i = 0; i < 3; i++) {
            clean();
            clock.advance(RETENTION_MS);
        }
        assertThat(markers()).doesNotContain(abortMarker).contains(openAbort);
        List<AbortedTxn> aborted = log.collectAbortedTransactions(0, Long.MAX_VALUE);
        assertThat(aborted).extracting(AbortedTxn::lastOffset).containsExactly(openAbort);

        log.close();
        open();
        assertThat(log.collectAbortedTransactions(0, Long.MAX_VALUE)).isEqualTo(aborted);
        assertThat(markers()).doesNotContain(abortMarker).contains(openAbort);

        // Without its indexes the log is rescanned and the transaction indexes rebuilt from the markers.
        log.close();
        log = null;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(LogSegment.INDEX_SUFFIX) || name.endsWith(".txnindex")) {
                    Files.delete(file);
                }
            }
        }
        open();
        // The aborted data is gone, so no aborted transaction is found open at any marker that is left.
        assertThat(log.collectAbortedTransactions(0, Long.MAX_VALUE)).isEmpty();
        assertThat(transactionsLeftOpen()).isEmpty();
        assertThat(dataRecords()).containsValue("k=committed").doesNotContainValue("k=aborted")
                .doesNotContainValue("j=aborted-kept");
    }
}
