package io.tributary.broker.transaction;

import static io.tributary.broker.transaction.TransactionState.COMPLETE_ABORT;
import static io.tributary.broker.transaction.TransactionState.COMPLETE_COMMIT;
import static io.tributary.broker.transaction.TransactionState.DEAD;
import static io.tributary.broker.transaction.TransactionState.EMPTY;
import static io.tributary.broker.transaction.TransactionState.ONGOING;
import static io.tributary.broker.transaction.TransactionState.PREPARE_ABORT;
import static io.tributary.broker.transaction.TransactionState.PREPARE_COMMIT;
import static io.tributary.broker.transaction.TransactionState.PREPARE_EPOCH_FENCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TransactionStateTest {

    /** Kafka's TransactionState: each state and the states it may be entered from. */
    private static final Map<TransactionState, Set<TransactionState>> KAFKA = Map.of(
            EMPTY, EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT),
            ONGOING, EnumSet.of(ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT),
            PREPARE_COMMIT, EnumSet.of(ONGOING),
            PREPARE_ABORT, EnumSet.of(ONGOING, PREPARE_EPOCH_FENCE),
            COMPLETE_COMMIT, EnumSet.of(PREPARE_COMMIT),
            COMPLETE_ABORT, EnumSet.of(PREPARE_ABORT),
            DEAD, EnumSet.of(EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT),
            PREPARE_EPOCH_FENCE, EnumSet.of(ONGOING));

    @Test
    void everyTransitionIsAllowedExactlyAsKafkaAllowsIt() {
        Map<String, Boolean> actual = new TreeMap<>();
        Map<String, Boolean> expected = new TreeMap<>();
        for (TransactionState from : TransactionState.values()) {
            for (TransactionState to : TransactionState.values()) {
                actual.put(from + "->" + to, to.canTransitionFrom(from));
                expected.put(from + "->" + to, KAFKA.get(to).contains(from));
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void aForbiddenTransitionIsACoordinatorBug() {
        assertThatThrownBy(() -> EMPTY.checkTransitionTo(PREPARE_COMMIT)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Empty").hasMessageContaining("PrepareCommit");
        assertThatThrownBy(() -> COMPLETE_COMMIT.checkTransitionTo(COMPLETE_ABORT)).isInstanceOf(IllegalStateException.class);
        ONGOING.checkTransitionTo(PREPARE_ABORT);
    }

    @Test
    void idsAndNamesAreKafkas() {
        for (TransactionState state : TransactionState.values()) {
            assertThat(TransactionState.fromId(state.id())).isEqualTo(state);
            assertThat(TransactionState.fromKafkaName(state.kafkaName())).contains(state);
        }
        assertThat(PREPARE_EPOCH_FENCE.kafkaName()).isEqualTo("PrepareEpochFence");
        assertThat(TransactionState.fromKafkaName("ongoing")).isEmpty();
        assertThatThrownBy(() -> TransactionState.fromId((byte) 42)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void snapshotsStepThroughACommitAndAFencingAbort() {
        TransactionSnapshot fresh = TransactionSnapshot.fresh(7, 60_000, 1);
        TransactionSnapshot initialized = fresh.prepareIncrementEpoch(60_000, null, 2);
        assertThat(initialized.producerEpoch()).isZero();
        TransactionSnapshot ongoing = initialized.prepareAddPartitions(Set.of(new org.apache.kafka.common.TopicPartition("t", 0)), 3);
        assertThat(ongoing.state()).isEqualTo(ONGOING);
        assertThat(ongoing.startTimestamp()).isEqualTo(3);
        TransactionSnapshot more = ongoing.prepareAddPartitions(Set.of(new org.apache.kafka.common.TopicPartition("t", 1)), 4);
        assertThat(more.startTimestamp()).isEqualTo(3);
        assertThat(more.partitions()).hasSize(2);
        TransactionSnapshot committed = more.prepareEnd(true, 5).prepareComplete(6);
        assertThat(committed.state()).isEqualTo(COMPLETE_COMMIT);
        assertThat(committed.partitions()).isEmpty();

        TransactionSnapshot fenced = ongoing.prepareFencingAbort(7);
        assertThat(fenced.state()).isEqualTo(PREPARE_ABORT);
        assertThat(fenced.producerEpoch()).isEqualTo((short) 1);
        assertThat(fenced.partitions()).isEqualTo(ongoing.partitions());
        assertThatThrownBy(() -> initialized.prepareEnd(true, 8)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEpochBumpIsRetriedOrFencedAsKafkaDecides() {
        TransactionSnapshot atFive = new TransactionSnapshot(7, -1, (short) 5, (short) 4, 1000, EMPTY, Set.of(), -1, 0);
        assertThat(atFive.prepareIncrementEpoch(1000, (short) 5, 1).producerEpoch()).isEqualTo((short) 6);
        assertThat(atFive.prepareIncrementEpoch(1000, (short) 4, 1).producerEpoch()).isEqualTo((short) 5); // a retry
        assertThat(atFive.prepareIncrementEpoch(1000, (short) 3, 1)).isNull(); // fenced
        TransactionSnapshot rotated = atFive.prepareProducerIdRotation(8, 1000, true, 1);
        assertThat(rotated.producerId()).isEqualTo(8);
        assertThat(rotated.lastProducerId()).isEqualTo(7);
        assertThat(rotated.producerEpoch()).isZero();
        assertThat(rotated.lastProducerEpoch()).isEqualTo((short) 5);
    }

    @Test
    void recordsRoundTrip() {
        TransactionSnapshot snapshot = new TransactionSnapshot(7, 3, (short) 2, (short) 1, 60_000, PREPARE_COMMIT,
                Set.of(new org.apache.kafka.common.TopicPartition("orders", 3),
                        new org.apache.kafka.common.TopicPartition("__consumer_offsets", 12)), 100, 200);
        assertThat(TransactionRecords.readValue(java.nio.ByteBuffer.wrap(TransactionRecords.value(snapshot))))
                .isEqualTo(snapshot);
        assertThat(TransactionRecords.readKey(java.nio.ByteBuffer.wrap(TransactionRecords.key("payments-tx"))))
                .isEqualTo("payments-tx");
    }
}
