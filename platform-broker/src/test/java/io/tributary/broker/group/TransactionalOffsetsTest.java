package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offsets committed in transactions (TxnOffsetCommit) on a real {@code __consumer_offsets}: pending until
 * the transaction's marker, then committed or dropped; across restarts; zombies of older epochs refused.
 */
class TransactionalOffsetsTest {

    private static final GroupCoordinatorConfig CONFIG = new GroupCoordinatorConfig(1, 1024 * 1024, 1_000, 600_000, 0,
            3_600_000, 60_000, 64);
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final long PRODUCER = 7;

    @TempDir
    Path dir;
    CoordinatorHarness harness;

    @BeforeEach
    void open() {
        harness = new CoordinatorHarness(dir, CONFIG);
        harness.coordinator().ensureOffsetsTopic();
    }

    @AfterEach
    void close() {
        harness.close();
    }

    private Map<TopicPartition, Errors> commit(short epoch, long offset) {
        return harness.coordinator().commitTransactionalOffsets("pipeline", PRODUCER, epoch, -1, "", null,
                List.of(new GroupCoordinator.OffsetToCommit(P0, offset, -1, "m"))).join();
    }

    private Errors end(short epoch, boolean commit) {
        GroupCoordinator coordinator = harness.coordinator();
        return coordinator.completeTransaction(coordinator.partitionFor("pipeline"), PRODUCER, epoch, commit).join();
    }

    private long committed() {
        return harness.coordinator().committedOffsets("pipeline", List.of(P0)).get(P0).offset();
    }

    @Test
    void pendingOffsetsBecomeCommittedWithTheCommitEvenAcrossARestart() {
        assertThat(commit((short) 0, 5)).containsEntry(P0, Errors.NONE);
        assertThat(committed()).isEqualTo(-1);
        assertThat(harness.coordinator().hasPendingTransactionalOffset("pipeline", P0)).isTrue();

        harness.restart();
        assertThat(harness.coordinator().hasPendingTransactionalOffset("pipeline", P0)).isTrue();
        assertThat(end((short) 0, true)).isEqualTo(Errors.NONE);

        assertThat(committed()).isEqualTo(5);
        assertThat(harness.coordinator().hasPendingTransactionalOffset("pipeline", P0)).isFalse();
        assertThat(end((short) 0, true)).isEqualTo(Errors.NONE); // a repeated marker changes nothing
        harness.restart();
        assertThat(committed()).isEqualTo(5);
    }

    @Test
    void anAbortDropsThemAndTheFencedEpochIsRefusedAfterwards() {
        commit((short) 0, 5);
        end((short) 0, true);
        commit((short) 0, 9);

        assertThat(end((short) 1, false)).isEqualTo(Errors.NONE); // aborted by a newer producer, epoch bumped
        assertThat(committed()).isEqualTo(5);
        assertThat(harness.coordinator().hasPendingTransactionalOffset("pipeline", P0)).isFalse();
        assertThat(commit((short) 0, 11)).containsEntry(P0, Errors.INVALID_PRODUCER_EPOCH);
        harness.restart();
        assertThat(commit((short) 0, 11)).containsEntry(P0, Errors.INVALID_PRODUCER_EPOCH);
        assertThat(commit((short) 1, 12)).containsEntry(P0, Errors.NONE);
        end((short) 1, true);
        assertThat(committed()).isEqualTo(12);
    }
}
