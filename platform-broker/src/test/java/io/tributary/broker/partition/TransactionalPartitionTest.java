package io.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.TransactionResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions at one partition: transactional batches open a producer's transaction, a marker
 * ends it, the last stable offset stays at the oldest open transaction, stale markers are fenced,
 * and the state survives a restart through the snapshot or a replay of the log.
 */
class TransactionalPartitionTest {

    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final long PRODUCER = 42;
    private static final long OTHER = 43;

    @TempDir
    Path dir;

    private final List<PartitionLog> logs = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (PartitionLog log : logs) {
            log.close();
        }
    }

    private Partition open(Path where) throws IOException {
        PartitionLog log = PartitionLog.open(where, TP, LogConfig.DEFAULT, Clock.systemUTC(), FileChannelFactory.DEFAULT,
                null);
        logs.add(log);
        return Partition.lead(TP, Uuid.ONE_UUID, log, 0);
    }

    private Partition reopen(Partition partition) throws IOException {
        partition.log().close();
        logs.remove(partition.log());
        return open(partition.log().dir());
    }

    static MemoryRecords transactional(long producerId, short epoch, int firstSequence, String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(1000L, values[i].getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, epoch, firstSequence, records);
    }

    private static MemoryRecords idempotent(long producerId, short epoch, int firstSequence, String value) {
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, epoch, firstSequence,
                new SimpleRecord(1000L, value.getBytes(StandardCharsets.UTF_8)));
    }

    private static ProducerView view(Partition partition, long producerId) {
        return partition.producerStates().stream().filter(p -> p.producerId() == producerId).findFirst().orElseThrow();
    }

    @Test
    void anOpenTransactionHoldsTheLastStableOffsetUntilItsMarker() throws IOException {
        Partition partition = open(dir);
        partition.appendAsLeader(idempotent(OTHER, (short) 0, 0, "plain"));
        partition.appendAsLeader(transactional(PRODUCER, (short) 0, 0, "t1", "t2"));
        partition.appendAsLeader(idempotent(OTHER, (short) 0, 1, "after"));

        assertThat(partition.log().highWatermark()).isEqualTo(4);
        assertThat(partition.lastStableOffset()).isEqualTo(1);
        assertThat(view(partition, PRODUCER).currentTxnStartOffset()).isEqualTo(1);

        Partition.ProduceOutcome marker = partition.appendTxnMarkerAsLeader(PRODUCER, (short) 0, 5,
                TransactionResult.COMMIT);

        assertThat(marker.baseOffset()).isEqualTo(4);
        assertThat(partition.lastStableOffset()).isEqualTo(5);
        ProducerView producer = view(partition, PRODUCER);
        assertThat(producer.currentTxnStartOffset()).isEqualTo(-1);
        assertThat(producer.coordinatorEpoch()).isEqualTo(5);
        assertThat(producer.lastSequence()).isEqualTo(1);
        RecordBatch control = partition.log().read(4, 1 << 20, Long.MAX_VALUE, true).slice().toMemoryRecords()
                .batches().iterator().next();
        assertThat(control.isControlBatch()).isTrue();
        assertThat(control.isTransactional()).isTrue();
        assertThat(control.partitionLeaderEpoch()).isZero();
    }

    @Test
    void theOldestOpenTransactionBoundsTheLastStableOffset() throws IOException {
        Partition partition = open(dir);
        partition.appendAsLeader(transactional(PRODUCER, (short) 0, 0, "a"));
        partition.appendAsLeader(transactional(OTHER, (short) 0, 0, "b"));
        partition.appendTxnMarkerAsLeader(OTHER, (short) 0, 0, TransactionResult.ABORT);
        assertThat(partition.lastStableOffset()).isZero();

        partition.appendTxnMarkerAsLeader(PRODUCER, (short) 0, 0, TransactionResult.COMMIT);
        assertThat(partition.lastStableOffset()).isEqualTo(4);
    }

    @Test
    void aProducerInATransactionCannotWriteOutsideIt() throws IOException {
        Partition partition = open(dir);
        partition.appendAsLeader(transactional(PRODUCER, (short) 0, 0, "a"));

        assertThatThrownBy(() -> partition.appendAsLeader(idempotent(PRODUCER, (short) 0, 1, "plain")))
                .isInstanceOfSatisfying(ProducerStateException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.INVALID_TXN_STATE));
        assertThat(partition.appendAsLeader(transactional(PRODUCER, (short) 0, 0, "a")).duplicate()).isTrue();
        partition.appendAsLeader(transactional(PRODUCER, (short) 0, 1, "b"));
        assertThat(view(partition, PRODUCER).currentTxnStartOffset()).isZero();
    }

    @Test
    void staleMarkersAreFencedByProducerEpochAndCoordinatorEpoch() throws IOException {
        Partition partition = open(dir);
        partition.appendAsLeader(transactional(PRODUCER, (short) 3, 0, "a"));
        partition.appendTxnMarkerAsLeader(PRODUCER, (short) 3, 7, TransactionResult.COMMIT);

        assertThatThrownBy(() -> partition.appendTxnMarkerAsLeader(PRODUCER, (short) 2, 7, TransactionResult.ABORT))
                .isInstanceOfSatisfying(ProducerStateException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH));
        assertThatThrownBy(() -> partition.appendTxnMarkerAsLeader(PRODUCER, (short) 3, 6, TransactionResult.ABORT))
                .isInstanceOfSatisfying(ProducerStateException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED));
        assertThat(partition.log().logEndOffset()).isEqualTo(2);
        // An older epoch's data is fenced as for idempotent producers.
        assertThatThrownBy(() -> partition.appendAsLeader(transactional(PRODUCER, (short) 2, 0, "zombie")))
                .isInstanceOfSatisfying(ProducerStateException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH));
        // A marker of a newer epoch (the coordinator bumped it to abort) moves the producer on.
        partition.appendAsLeader(transactional(PRODUCER, (short) 3, 1, "b"));
        partition.appendTxnMarkerAsLeader(PRODUCER, (short) 4, 8, TransactionResult.ABORT);
        assertThat(view(partition, PRODUCER).epoch()).isEqualTo((short) 4);
        assertThat(partition.lastStableOffset()).isEqualTo(partition.log().logEndOffset());
    }

    @Test
    void theSnapshotKeepsOpenTransactionsAndCoordinatorEpochs() throws IOException {
        Partition partition = open(dir);
        partition.appendAsLeader(transactional(OTHER, (short) 0, 0, "done"));
        partition.appendTxnMarkerAsLeader(OTHER, (short) 0, 9, TransactionResult.COMMIT);
        partition.appendAsLeader(transactional(PRODUCER, (short) 1, 0, "open"));
        partition.snapshotProducerState();
        assertThat(Files.readAllLines(dir.resolve(ProducerStateManager.SNAPSHOT_FILE)).get(0)).isEqualTo("version 1");

        Partition reopened = reopen(partition);

        assertThat(reopened.lastStableOffset()).isEqualTo(2);
        assertThat(view(reopened, PRODUCER).currentTxnStartOffset()).isEqualTo(2);
        assertThat(view(reopened, OTHER).coordinatorEpoch()).isEqualTo(9);
        assertThatThrownBy(() -> reopened.appendTxnMarkerAsLeader(OTHER, (short) 0, 8, TransactionResult.COMMIT))
                .isInstanceOf(ProducerStateException.class);
        assertThat(reopened.appendAsLeader(transactional(PRODUCER, (short) 1, 0, "open")).duplicate()).isTrue();
    }

    @Test
    void withoutASnapshotTheLogIsReplayedMarkersIncluded() throws IOException {
        Partition partition = open(dir);
        partition.appendAsLeader(transactional(OTHER, (short) 0, 0, "aborted"));
        partition.appendTxnMarkerAsLeader(OTHER, (short) 0, 4, TransactionResult.ABORT);
        partition.appendAsLeader(transactional(PRODUCER, (short) 0, 0, "open"));
        Files.deleteIfExists(dir.resolve(ProducerStateManager.SNAPSHOT_FILE));

        Partition reopened = reopen(partition);

        assertThat(reopened.lastStableOffset()).isEqualTo(2);
        assertThat(view(reopened, OTHER).coordinatorEpoch()).isEqualTo(4);
        assertThat(view(reopened, OTHER).currentTxnStartOffset()).isEqualTo(-1);
    }

    @Test
    void aVersionZeroSnapshotIsStillRead() throws IOException {
        Files.createDirectories(dir);
        Partition partition = open(dir);
        partition.appendAsLeader(idempotent(PRODUCER, (short) 2, 0, "a"));
        partition.appendAsLeader(idempotent(PRODUCER, (short) 2, 1, "b"));
        partition.log().close();
        logs.remove(partition.log());
        // As a broker before transactions wrote it: producer id, epoch, then four numbers per batch.
        Files.writeString(dir.resolve(ProducerStateManager.SNAPSHOT_FILE), "version 0\nupTo 2\n" + PRODUCER
                + " 2 0 0 0 0 1 1 1 1\n");

        Partition reopened = open(dir);

        assertThat(reopened.appendAsLeader(idempotent(PRODUCER, (short) 2, 1, "b")).duplicate()).isTrue();
        ProducerView view = view(reopened, PRODUCER);
        assertThat(view.lastSequence()).isEqualTo(1);
        assertThat(view.currentTxnStartOffset()).isEqualTo(-1);
        assertThat(view.coordinatorEpoch()).isEqualTo(-1);
    }

    @Test
    void aTransactionStaysUnstableUntilItsMarkerIsReplicated() throws IOException {
        PartitionLog leaderLog = PartitionLog.open(dir.resolve("leader"), TP, LogConfig.DEFAULT, Clock.systemUTC(),
                FileChannelFactory.DEFAULT, null);
        logs.add(leaderLog);
        Partition leader = Partition.open(TP, Uuid.ONE_UUID, leaderLog, 0, 1, 0, List.of(0, 1), List.of(0, 1), () -> 0L);
        leader.appendAsLeader(transactional(PRODUCER, (short) 0, 0, "a", "b"));
        leader.followerFetched(1, 2);
        assertThat(leader.log().highWatermark()).isEqualTo(2);
        assertThat(leader.lastStableOffset()).isZero();

        leader.appendTxnMarkerAsLeader(PRODUCER, (short) 0, 0, TransactionResult.COMMIT);
        assertThat(leader.lastStableOffset()).as("the marker at 2 is not replicated yet").isZero();

        leader.followerFetched(1, 3);
        assertThat(leader.log().highWatermark()).isEqualTo(3);
        assertThat(leader.lastStableOffset()).isEqualTo(3);
    }

    @Test
    void aFollowerTakesMarkersFromItsLeader() throws IOException {
        PartitionLog leaderLog = PartitionLog.open(dir.resolve("leader"), TP, LogConfig.DEFAULT, Clock.systemUTC(),
                FileChannelFactory.DEFAULT, null);
        PartitionLog followerLog = PartitionLog.open(dir.resolve("follower"), TP, LogConfig.DEFAULT, Clock.systemUTC(),
                FileChannelFactory.DEFAULT, null);
        logs.add(leaderLog);
        logs.add(followerLog);
        Partition leader = Partition.open(TP, Uuid.ONE_UUID, leaderLog, 0, 1, 0, List.of(0, 1), List.of(0, 1), () -> 0L);
        Partition follower = Partition.open(TP, Uuid.ONE_UUID, followerLog, 1, 1, 0, List.of(0, 1), List.of(0, 1),
                () -> 0L);
        leader.appendAsLeader(transactional(PRODUCER, (short) 0, 0, "a"));
        leader.appendAsLeader(transactional(OTHER, (short) 0, 0, "b"));
        leader.appendTxnMarkerAsLeader(PRODUCER, (short) 0, 2, TransactionResult.COMMIT);

        // A fetch reads one segment at a time (the marker's timestamp may roll a new one).
        while (follower.log().logEndOffset() < leader.log().logEndOffset()) {
            follower.appendAsFollower(1, leader.log().read(follower.log().logEndOffset(), 1 << 20, Long.MAX_VALUE, true)
                    .slice().toMemoryRecords(), 3);
        }

        assertThat(follower.log().logEndOffset()).isEqualTo(3);
        assertThat(view(follower, PRODUCER).currentTxnStartOffset()).isEqualTo(-1);
        assertThat(view(follower, PRODUCER).coordinatorEpoch()).isEqualTo(2);
        assertThat(view(follower, OTHER).currentTxnStartOffset()).isEqualTo(1);
        assertThat(follower.lastStableOffset()).isEqualTo(1);

        // An abort reaches the follower's transaction index as it reached the leader's.
        leader.appendTxnMarkerAsLeader(OTHER, (short) 0, 2, TransactionResult.ABORT);
        while (follower.log().logEndOffset() < leader.log().logEndOffset()) {
            follower.appendAsFollower(1, leader.log().read(follower.log().logEndOffset(), 1 << 20, Long.MAX_VALUE, true)
                    .slice().toMemoryRecords(), 4);
        }
        assertThat(follower.log().collectAbortedTransactions(0, Long.MAX_VALUE))
                .containsExactly(new io.tributary.broker.log.AbortedTxn(OTHER, 1, 3, 4))
                .isEqualTo(leader.log().collectAbortedTransactions(0, Long.MAX_VALUE));
        assertThat(follower.lastStableOffset()).isEqualTo(4);
    }
}
