package io.tributary.broker.share;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import io.tributary.broker.log.LogSlice.BatchHeader;
import io.tributary.broker.share.SharePartition.Acknowledgement;
import io.tributary.broker.share.SharePartition.Acquired;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStateBatch;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.Test;

class SharePartitionTest {

    private static final TopicIdPartition PARTITION = new TopicIdPartition(Uuid.randomUuid(), 0, "orders");
    private final InMemorySharePersister persister = new InMemorySharePersister();

    private SharePartition sharePartition(long start, int maxInFlight, int deliveryLimit) {
        return new SharePartition("g", PARTITION, 3, new SharePartitionState(0, 3, start, List.of()),
                new SharePartition.Limits(maxInFlight, deliveryLimit), persister);
    }

    private static BatchHeader batch(long base, long last) {
        return new BatchHeader(base * 100, 100, base, last, RecordBatch.NO_PRODUCER_ID, false, false);
    }

    private static BatchHeader marker(long offset, long producerId) {
        return new BatchHeader(offset * 100, 100, offset, offset, producerId, true, true);
    }

    private static Acknowledgement ack(long first, long last, byte type) {
        return new Acknowledgement(first, last, new byte[] {type});
    }

    @Test
    void acquiresWholeBatchesUpToTheRecordLimitAndNotTwice() {
        SharePartition sp = sharePartition(0, 100, 5);
        List<BatchHeader> log = List.of(batch(0, 4), batch(5, 9), batch(10, 14));

        assertThat(sp.acquire("a", log, 0, 7, 1_000, SharePartition.AbortedBatches.NONE))
                .containsExactly(new Acquired(0, 9, (short) 1)); // 7 asked, the second batch taken whole
        assertThat(sp.nextFetchOffset()).isEqualTo(10);
        // Another member reading the same batches gets only what is left.
        assertThat(sp.acquire("b", log, 0, 100, 1_000, SharePartition.AbortedBatches.NONE))
                .containsExactly(new Acquired(10, 14, (short) 1));
        assertThat(sp.nextFetchOffset()).isEqualTo(15);
    }

    @Test
    void acceptedRecordsMoveTheStartAndReleasedOnesAreDeliveredAgain() {
        SharePartition sp = sharePartition(0, 100, 5);
        sp.acquire("a", List.of(batch(0, 9)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE);

        SharePartition.AcknowledgeOutcome outcome = sp.acknowledge("a", List.of(ack(0, 3, SharePartition.ACCEPT),
                ack(4, 5, SharePartition.RELEASE), ack(6, 6, SharePartition.REJECT)));

        assertThat(outcome.error()).isEqualTo(Errors.NONE);
        assertThat(outcome.persisted()).isDone();
        assertThat(sp.startOffset()).isEqualTo(4);
        assertThat(sp.nextFetchOffset()).isEqualTo(4);
        assertThat(sp.acquire("b", List.of(batch(0, 9)), 4, 100, 1_000, SharePartition.AbortedBatches.NONE))
                .containsExactly(new Acquired(4, 5, (short) 2));
        SharePartitionState stored = persister.stored("g", PARTITION.topicId(), 0);
        assertThat(stored.startOffset()).isEqualTo(4);
        assertThat(stored.batches()).containsExactly(new ShareStateBatch(4, 5, ShareStateBatch.AVAILABLE, (short) 1),
                new ShareStateBatch(6, 6, ShareStateBatch.ARCHIVED, (short) 1),
                new ShareStateBatch(7, 9, ShareStateBatch.AVAILABLE, (short) 1));
    }

    @Test
    void perOffsetTypesAndGaps() {
        SharePartition sp = sharePartition(0, 100, 5);
        sp.acquire("a", List.of(batch(0, 3)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE);

        assertThat(sp.acknowledge("a", List.of(new Acknowledgement(0, 3, new byte[] {SharePartition.ACCEPT,
                SharePartition.GAP, SharePartition.ACCEPT, SharePartition.RELEASE}))).error()).isEqualTo(Errors.NONE);

        assertThat(sp.startOffset()).isEqualTo(3);
    }

    @Test
    void refusesAcknowledgementsOfRecordsTheMemberDoesNotHold() {
        SharePartition sp = sharePartition(0, 100, 5);
        sp.acquire("a", List.of(batch(0, 4)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE);

        assertThat(sp.acknowledge("b", List.of(ack(0, 0, SharePartition.ACCEPT))).error()).isEqualTo(Errors.INVALID_RECORD_STATE);
        assertThat(sp.acknowledge("a", List.of(ack(3, 5, SharePartition.ACCEPT))).error()).isEqualTo(Errors.INVALID_RECORD_STATE);
        assertThat(sp.acknowledge("a", List.of(ack(0, 0, (byte) 9))).error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(sp.acknowledge("a", List.of(new Acknowledgement(0, 2, new byte[] {1, 1}))).error())
                .isEqualTo(Errors.INVALID_REQUEST);
        // All or none: the valid first batch was not applied either.
        assertThat(sp.acknowledge("a", List.of(ack(0, 0, SharePartition.ACCEPT), ack(7, 7, SharePartition.ACCEPT))).error())
                .isEqualTo(Errors.INVALID_RECORD_STATE);
        assertThat(sp.startOffset()).isZero();
        // Done records cannot be acknowledged again.
        assertThat(sp.acknowledge("a", List.of(ack(0, 0, SharePartition.ACCEPT))).error()).isEqualTo(Errors.NONE);
        assertThat(sp.acknowledge("a", List.of(ack(0, 0, SharePartition.ACCEPT))).error()).isEqualTo(Errors.INVALID_RECORD_STATE);
    }

    @Test
    void aRecordPastItsDeliveryLimitIsArchived() {
        SharePartition sp = sharePartition(0, 100, 3);
        for (int delivery = 1; delivery <= 3; delivery++) {
            assertThat(sp.acquire("a", List.of(batch(0, 0), batch(1, 1)), sp.nextFetchOffset(), 1, delivery * 1_000L,
                    SharePartition.AbortedBatches.NONE)).containsExactly(new Acquired(0, 0, (short) delivery));
            assertThat(sp.nextLockDeadline()).isEqualTo(delivery * 1_000L);
            sp.expireLocks(delivery * 1_000L);
        }
        assertThat(sp.startOffset()).isEqualTo(1); // archived after its third delivery timed out
        assertThat(sp.nextLockDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void releasingAMembersRecordsLeavesTheOthers() {
        SharePartition sp = sharePartition(0, 100, 5);
        sp.acquire("a", List.of(batch(0, 4)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE);
        sp.acquire("b", List.of(batch(5, 9)), 5, 100, 1_000, SharePartition.AbortedBatches.NONE);

        sp.releaseAll("a");

        assertThat(sp.holders()).containsExactly("b");
        assertThat(sp.acquire("c", List.of(batch(0, 4), batch(5, 9)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE))
                .containsExactly(new Acquired(0, 4, (short) 2));
    }

    @Test
    void markersAndGapsBetweenBatchesAreNeverHandedOut() {
        SharePartition sp = sharePartition(0, 100, 5);
        List<BatchHeader> log = List.of(batch(0, 1), batch(5, 6), marker(7, 11L));

        assertThat(sp.acquire("a", log, 0, 100, 1_000, SharePartition.AbortedBatches.NONE))
                .containsExactly(new Acquired(0, 1, (short) 1), new Acquired(5, 6, (short) 1));
        assertThat(sp.acknowledge("a", List.of(ack(0, 1, SharePartition.ACCEPT), ack(5, 6, SharePartition.ACCEPT))).error())
                .isEqualTo(Errors.NONE);
        assertThat(sp.startOffset()).isEqualTo(8);
    }

    @Test
    void abortedDataIsArchived() {
        SharePartition sp = sharePartition(0, 100, 5);
        BatchHeader aborted = new BatchHeader(0, 100, 0, 2, 7L, true, false);

        assertThat(sp.acquire("a", List.of(aborted, marker(3, 7L), batch(4, 5)), 0, 100, 1_000, batch -> batch == aborted))
                .containsExactly(new Acquired(4, 5, (short) 1));
        assertThat(sp.startOffset()).isEqualTo(4);
    }

    @Test
    void aFullWindowStopsNewAcquisitionsUntilRecordsAreDone() {
        SharePartition sp = sharePartition(0, 10, 5);
        sp.acquire("a", List.of(batch(0, 9), batch(10, 19)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE);

        assertThat(sp.endOffset()).isEqualTo(10);
        assertThat(sp.nextFetchOffset()).isEqualTo(-1);
        sp.acknowledge("a", List.of(ack(0, 4, SharePartition.ACCEPT)));
        assertThat(sp.nextFetchOffset()).isEqualTo(10);
    }

    @Test
    void aNewLeaderHandsOutAgainWhatWasAcquiredAndCountsThatDelivery() {
        SharePartition sp = sharePartition(0, 100, 2);
        sp.acquire("a", List.of(batch(0, 4)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE);
        sp.acknowledge("a", List.of(ack(0, 0, SharePartition.ACCEPT), ack(1, 1, SharePartition.RELEASE)));
        sp.acquire("a", List.of(batch(0, 4)), 1, 1, 1_000, SharePartition.AbortedBatches.NONE); // offset 1, 2nd delivery
        SharePartitionState written = sp.state();

        SharePartition next = new SharePartition("g", PARTITION, 4, written, new SharePartition.Limits(100, 2), persister);

        assertThat(next.startOffset()).isEqualTo(2); // offset 1 was at its limit: archived
        assertThat(next.acquire("b", List.of(batch(0, 4)), next.nextFetchOffset(), 100, 1_000,
                SharePartition.AbortedBatches.NONE)).containsExactly(new Acquired(2, 4, (short) 2));
    }

    @Test
    void aDeposedLeaderIsFencedByTheNewOnesWrite() {
        SharePartition old = sharePartition(0, 100, 5);
        old.acquire("a", List.of(batch(0, 4)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE);
        SharePartition current = new SharePartition("g", PARTITION, 4, new SharePartitionState(0, 4, 0, List.of()),
                new SharePartition.Limits(100, 5), persister);
        current.persist().join();

        SharePartition.AcknowledgeOutcome outcome = old.acknowledge("a", List.of(ack(0, 4, SharePartition.ACCEPT)));

        assertThat(outcome.persisted()).isCompletedExceptionally();
        assertThat(old.isFenced()).isTrue();
        assertThat(old.acknowledge("a", List.of(ack(0, 0, SharePartition.ACCEPT))).error())
                .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void anAcknowledgementWhoseWriteFailsIsNotInEffectAndItsRecordsComeBackWhenTheirLockRunsOut() {
        long[] now = {0};
        SharePartition sp = new SharePartition("g", PARTITION, 3, new SharePartitionState(0, 3, 0, List.of()),
                new SharePartition.Limits(100, 5), persister, () -> now[0]);
        sp.acquire("a", List.of(batch(0, 4)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE);
        persister.failing = Errors.COORDINATOR_NOT_AVAILABLE;

        SharePartition.AcknowledgeOutcome failed = sp.acknowledge("a", List.of(ack(0, 4, SharePartition.ACCEPT)));

        assertThat(failed.error()).isEqualTo(Errors.NONE);
        assertThat(failed.persisted()).isCompletedExceptionally();
        assertThat(sp.startOffset()).isZero(); // nothing done: the member still holds them, and may try again
        assertThat(sp.holders()).containsExactly("a");
        persister.failing = null;
        assertThat(sp.acknowledge("a", List.of(ack(0, 1, SharePartition.ACCEPT))).persisted()).isCompleted();
        assertThat(sp.startOffset()).isEqualTo(2);
        // The rest comes back once its lock runs out, delivered a second time.
        now[0] = 1_000;
        sp.expireLocks(now[0]);
        assertThat(sp.acquire("b", List.of(batch(0, 4)), sp.nextFetchOffset(), 100, 2_000,
                SharePartition.AbortedBatches.NONE)).containsExactly(new Acquired(2, 4, (short) 2));
    }

    @Test
    void aPendingAcknowledgementCannotBeMadeTwiceNorReleasedUnderIt() {
        java.util.concurrent.CompletableFuture<Void> slow = new java.util.concurrent.CompletableFuture<>();
        SharePartition held = new SharePartition("g", PARTITION, 3, new SharePartitionState(0, 3, 0, List.of()),
                new SharePartition.Limits(100, 5), new io.tributary.broker.share.persister.ShareStatePersister() {
                    @Override
                    public java.util.concurrent.CompletableFuture<java.util.Optional<SharePartitionState>> read(String groupId,
                            Uuid topicId, int partition) {
                        return java.util.concurrent.CompletableFuture.completedFuture(java.util.Optional.empty());
                    }

                    @Override
                    public java.util.concurrent.CompletableFuture<Void> write(String groupId, Uuid topicId, int partition,
                            SharePartitionState state) {
                        return slow;
                    }

                    @Override
                    public java.util.concurrent.CompletableFuture<Void> delete(String groupId, Uuid topicId, int partition) {
                        return java.util.concurrent.CompletableFuture.completedFuture(null);
                    }
                });
        held.acquire("a", List.of(batch(0, 4)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE);

        SharePartition.AcknowledgeOutcome pending = held.acknowledge("a", List.of(ack(0, 4, SharePartition.ACCEPT)));
        assertThat(pending.persisted()).isNotDone();
        assertThat(held.acknowledge("a", List.of(ack(0, 0, SharePartition.REJECT))).error()).isEqualTo(Errors.INVALID_RECORD_STATE);
        held.expireLocks(5_000); // the lock runs out while the write is under way: the acknowledgement stands
        assertThat(held.startOffset()).isZero(); // in effect only once written
        assertThat(held.state().startOffset()).isEqualTo(5); // but written as it will be
        assertThat(held.state().batches()).isEmpty();

        slow.complete(null);
        assertThat(pending.persisted()).isCompleted();
        assertThat(held.startOffset()).isEqualTo(5);
    }

    @Test
    void aStateResetUnderTheLeaderFencesItsCopy() {
        SharePartition sp = sharePartition(0, 100, 5);
        sp.acquire("a", List.of(batch(0, 4)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE);
        // The group's offsets were altered: a new state, one state epoch on.
        persister.write("g", PARTITION.topicId(), 0, new SharePartitionState(1, 3, 3, List.of())).join();

        assertThat(sp.acknowledge("a", List.of(ack(0, 4, SharePartition.ACCEPT))).persisted()).isCompletedExceptionally();
        assertThat(sp.isFenced()).isTrue();
        assertThat(persister.stored("g", PARTITION.topicId(), 0).startOffset()).isEqualTo(3);
    }

    @Test
    void recordsTheLogNoLongerHasLeaveTheWindow() {
        SharePartition sp = sharePartition(0, 100, 5);
        sp.acquire("a", List.of(batch(0, 9)), 0, 100, 1_000, SharePartition.AbortedBatches.NONE);

        sp.logStartMovedTo(6);

        assertThat(sp.startOffset()).isEqualTo(6);
        assertThat(sp.acknowledge("a", List.of(ack(6, 9, SharePartition.ACCEPT))).error()).isEqualTo(Errors.NONE);
        assertThat(sp.startOffset()).isEqualTo(10);
    }
}
