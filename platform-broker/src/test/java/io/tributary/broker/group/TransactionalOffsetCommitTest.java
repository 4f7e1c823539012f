package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offsets committed inside a transaction (TxnOffsetCommit), through the coordinator runtime onto a real
 * {@code __consumer_offsets} log: pending until the transaction's marker, then taking effect on commit
 * and dropped on abort, the same after a reload from disk; and Kafka's checks of who may commit.
 */
class TransactionalOffsetCommitTest {

    private static final String GROUP = "g";
    private static final TopicPartition P0 = new TopicPartition("events", 0);
    private static final GroupCoordinatorConfig CONFIG = new GroupCoordinatorConfig(3, 1024 * 1024, 1_000, 600_000, 0,
            3_600_000, 60_000, 64);

    @TempDir
    Path dir;

    private CoordinatorHarness harness;

    @BeforeEach
    void start() {
        harness = new CoordinatorHarness(dir, CONFIG);
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private GroupCoordinator coordinator() {
        return harness.coordinator();
    }

    private Errors commitInTransaction(long producerId, long offset) {
        return coordinator().commitTransactionalOffsetsAsync(GROUP, producerId, (short) 0, -1, "", null,
                List.of(new GroupCoordinator.OffsetToCommit(P0, offset, -1, "txn"))).join().get(P0);
    }

    private void commit(long offset) {
        assertThat(coordinator().commitOffsets(GROUP, -1, "", null,
                List.of(new GroupCoordinator.OffsetToCommit(P0, offset, -1, "")))).containsEntry(P0, Errors.NONE);
    }

    private long committed() {
        return coordinator().committedOffsets(GROUP, List.of(P0)).get(P0).offset();
    }

    private void endTransaction(long producerId, TransactionResult result) {
        TopicPartition offsetsPartition = new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, coordinator().partitionFor(GROUP));
        assertThat(harness.partitions().appendTxnMarker(offsetsPartition, producerId, (short) 0, 0, result).join())
                .isEqualTo(Errors.NONE);
    }

    @Test
    void offsetsOfATransactionArePendingUntilItCommitsAndSurviveAReloadEitherWay() {
        commit(5);
        assertThat(commitInTransaction(1_000, 10)).isEqualTo(Errors.NONE);
        assertThat(committed()).as("not before the commit marker").isEqualTo(5);
        assertThat(coordinator().pendingTransactionalOffsets(GROUP)).containsExactly(P0);

        harness.restart();
        assertThat(committed()).isEqualTo(5);
        assertThat(coordinator().pendingTransactionalOffsets(GROUP)).as("loaded as pending").containsExactly(P0);

        endTransaction(1_000, TransactionResult.COMMIT);
        assertThat(committed()).isEqualTo(10);
        assertThat(coordinator().pendingTransactionalOffsets(GROUP)).isEmpty();

        harness.restart();
        assertThat(committed()).as("the marker is replayed at a load").isEqualTo(10);
        assertThat(coordinator().pendingTransactionalOffsets(GROUP)).isEmpty();
    }

    @Test
    void anAbortedTransactionsOffsetsNeverTakeEffect() {
        commit(5);
        assertThat(commitInTransaction(1_001, 20)).isEqualTo(Errors.NONE);
        endTransaction(1_001, TransactionResult.ABORT);
        assertThat(committed()).isEqualTo(5);
        assertThat(coordinator().pendingTransactionalOffsets(GROUP)).isEmpty();
        harness.restart();
        assertThat(committed()).isEqualTo(5);
    }

    @Test
    void aCommitWrittenAfterTheTransactionsOffsetWinsWhenTheTransactionCommits() {
        assertThat(commitInTransaction(1_002, 30)).isEqualTo(Errors.NONE);
        commit(40);
        endTransaction(1_002, TransactionResult.COMMIT);
        assertThat(committed()).isEqualTo(40);
        harness.restart();
        assertThat(committed()).isEqualTo(40);
    }

    @Test
    void membersOfAConsumerGroupCommitWithTheirCurrentEpochElseIllegalGeneration() {
        ConsumerGroupHeartbeatResponseData joined = coordinator().consumerGroupHeartbeat(new ConsumerGroupHeartbeatRequestData()
                .setGroupId(GROUP).setMemberId("m").setMemberEpoch(0).setRebalanceTimeoutMs(5_000)
                .setSubscribedTopicNames(List.of("events")).setTopicPartitions(List.of()), "client", "/127.0.0.1", (short) 1).join();
        assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code());
        int epoch = joined.memberEpoch();

        assertThat(commitAs(epoch, "m")).isEqualTo(Errors.NONE);
        assertThat(commitAs(epoch - 1, "m")).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(commitAs(epoch, "stranger")).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(commitAs(-1, "")).as("TxnOffsetCommit before v3 carries no member").isEqualTo(Errors.NONE);
    }

    @Test
    void aGenerationForAGroupThatDoesNotExistIsIllegal() {
        assertThat(coordinator().commitTransactionalOffsetsAsync("nobody", 7, (short) 0, 3, "m", null,
                List.of(new GroupCoordinator.OffsetToCommit(P0, 1, -1, ""))).join()).isEqualTo(Map.of(P0, Errors.ILLEGAL_GENERATION));
    }

    private Errors commitAs(int epoch, String memberId) {
        return coordinator().commitTransactionalOffsetsAsync(GROUP, 2_000, (short) 0, epoch, memberId, null,
                List.of(new GroupCoordinator.OffsetToCommit(P0, 1, -1, ""))).join().get(P0);
    }
}
