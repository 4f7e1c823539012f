package io.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.PartitionLog;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The idempotent producer's guarantees at one partition: no duplicates, no reordering, fencing. */
class PartitionTest {

    private static final TopicPartition TP = new TopicPartition("payments", 0);
    private static final long PRODUCER = 4711;

    @TempDir
    Path dir;

    private PartitionLog log;
    private Partition partition;

    @AfterEach
    void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    private Partition open() throws IOException {
        log = PartitionLog.open(dir, TP, LogConfig.DEFAULT, Clock.systemUTC(), FileChannelFactory.DEFAULT, null);
        partition = Partition.lead(TP, Uuid.randomUuid(), log, 0);
        return partition;
    }

    /** A batch as an idempotent producer sends it: producer id, epoch and the sequence of its first record. */
    private static MemoryRecords idempotentBatch(short epoch, int firstSequence, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1000L, values[i].getBytes());
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, PRODUCER, epoch, firstSequence, records);
    }

    private List<String> values() {
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true).slice().toMemoryRecords().batches()) {
            for (Record record : batch) {
                values.add(new String(org.apache.kafka.common.utils.Utils.toArray(record.value())));
            }
        }
        return values;
    }

    @Test
    void aRetriedBatchIsAcknowledgedWithItsFirstOffsetAndNotWrittenAgain() throws IOException {
        open();
        partition.appendAsLeader(idempotentBatch((short) 0, 0, "a", "b"));
        Partition.ProduceOutcome second = partition.appendAsLeader(idempotentBatch((short) 0, 2, "c"));

        Partition.ProduceOutcome retry = partition.appendAsLeader(idempotentBatch((short) 0, 2, "c"));

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.baseOffset()).isEqualTo(second.baseOffset()).isEqualTo(2);
        assertThat(values()).containsExactly("a", "b", "c");
        assertThat(log.highWatermark()).isEqualTo(3);
    }

    @Test
    void sequencesOutOfOrderAndFencedEpochsAreRefused() throws IOException {
        open();
        partition.appendAsLeader(idempotentBatch((short) 3, 0, "a"));

        assertThatThrownBy(() -> partition.appendAsLeader(idempotentBatch((short) 3, 5, "gap")))
                .isInstanceOfSatisfying(ProducerStateException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThatThrownBy(() -> partition.appendAsLeader(idempotentBatch((short) 2, 1, "old epoch")))
                .isInstanceOfSatisfying(ProducerStateException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH));
        assertThatThrownBy(() -> partition.appendAsLeader(idempotentBatch((short) 4, 1, "new epoch, not from 0")))
                .isInstanceOfSatisfying(ProducerStateException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        partition.appendAsLeader(idempotentBatch((short) 4, 0, "b"));

        assertThat(values()).containsExactly("a", "b");
    }

    @Test
    void onlyTheLastFiveBatchesAreRememberedAsKafkaDoes() throws IOException {
        open();
        for (int sequence = 0; sequence < 6; sequence++) {
            partition.appendAsLeader(idempotentBatch((short) 0, sequence, "r" + sequence));
        }
        assertThat(partition.appendAsLeader(idempotentBatch((short) 0, 1, "r1")).duplicate()).isTrue();
        assertThatThrownBy(() -> partition.appendAsLeader(idempotentBatch((short) 0, 0, "r0")))
                .isInstanceOf(ProducerStateException.class);
    }

    @Test
    void deduplicationSurvivesACleanRestartThroughTheSnapshot() throws IOException {
        open();
        partition.appendAsLeader(idempotentBatch((short) 0, 0, "a"));
        partition.appendAsLeader(idempotentBatch((short) 0, 1, "b"));
        partition.snapshotProducerState();
        log.close();
        assertThat(dir.resolve(ProducerStateManager.SNAPSHOT_FILE)).exists();

        open();

        assertThat(partition.appendAsLeader(idempotentBatch((short) 0, 1, "b")).duplicate()).isTrue();
        assertThat(partition.appendAsLeader(idempotentBatch((short) 0, 2, "c")).baseOffset()).isEqualTo(2);
        assertThat(values()).containsExactly("a", "b", "c");
    }

    @Test
    void deduplicationSurvivesACrashWithoutSnapshotByReplayingTheLog() throws IOException {
        open();
        partition.appendAsLeader(idempotentBatch((short) 0, 0, "a"));
        partition.snapshotProducerState(); // covers "a" only
        partition.appendAsLeader(idempotentBatch((short) 0, 1, "b"));
        log.close();

        open();

        assertThat(partition.appendAsLeader(idempotentBatch((short) 0, 1, "b")).duplicate()).isTrue();
        assertThatThrownBy(() -> partition.appendAsLeader(idempotentBatch((short) 0, 3, "gap")))
                .isInstanceOf(ProducerStateException.class);
        Files.delete(dir.resolve(ProducerStateManager.SNAPSHOT_FILE));
        log.close();

        open();
        assertThat(partition.appendAsLeader(idempotentBatch((short) 0, 0, "a")).duplicate()).isTrue();
        assertThat(values()).containsExactly("a", "b");
    }

    @Test
    void clientsCannotProduceControlBatches() throws IOException {
        open();
        MemoryRecords marker = MemoryRecords.withEndTransactionMarker(PRODUCER, (short) 0,
                new org.apache.kafka.common.record.EndTransactionMarker(
                        org.apache.kafka.common.record.ControlRecordType.COMMIT, 0));
        assertThatThrownBy(() -> partition.appendAsLeader(marker))
                .isInstanceOfSatisfying(ProducerStateException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.INVALID_RECORD));
        assertThat(log.logEndOffset()).isZero();
    }
}
