package io.tributary.broker.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.tributary.broker.transaction.TransactionCoordinator.InitProducerIdResult;
import io.tributary.broker.transaction.TransactionCoordinator.ProducerIdAndEpoch;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.TransactionResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransactionCoordinatorTest {

    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    @TempDir
    Path dir;
    TransactionHarness harness;

    @BeforeEach
    void open() {
        harness = new TransactionHarness(dir);
    }

    @AfterEach
    void close() {
        harness.close();
    }

    private TransactionCoordinator coordinator() {
        return harness.coordinator();
    }

    private InitProducerIdResult init(String id) {
        return coordinator().initProducerId(id, 30_000, null).join();
    }

    private DescribeTransactionsResponseData.TransactionState describe(String id) {
        return coordinator().describe(id);
    }

    private void awaitState(String id, String state) {
        await().atMost(Duration.ofSeconds(10)).until(() -> state.equals(describe(id).transactionState()));
    }

    @Test
    void initProducerIdGivesANewIdEpochZeroThenBumpsTheEpoch() {
        InitProducerIdResult first = init("tx");
        InitProducerIdResult second = init("tx");

        assertThat(first.error()).isEqualTo(Errors.NONE);
        assertThat(first.producerEpoch()).isZero();
        assertThat(second.producerId()).isEqualTo(first.producerId());
        assertThat(second.producerEpoch()).isEqualTo((short) 1);
        assertThat(describe("tx").transactionState()).isEqualTo("Empty");
        assertThat(init("other").producerId()).isNotEqualTo(first.producerId());
    }

    @Test
    void badInitProducerIdRequestsAreRefused() {
        assertThat(coordinator().initProducerId("tx", 60_001, null).join().error())
                .isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(coordinator().initProducerId("tx", 0, null).join().error()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);
        assertThat(coordinator().initProducerId("", 1000, null).join().error()).isEqualTo(Errors.INVALID_REQUEST);
        InitProducerIdResult current = init("tx");
        init("tx");
        // A producer bumping from an epoch that is neither the current nor the previous one is a zombie.
        assertThat(coordinator().initProducerId("tx", 1000, new ProducerIdAndEpoch(current.producerId(), (short) 7))
                .join().error()).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(coordinator().initProducerId("tx", 1000, new ProducerIdAndEpoch(99, (short) 0)).join().error())
                .isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void aCommitIsAnsweredWhenPreparedThenMarkersThenComplete() {
        harness.autoCompleteMarkers = false;
        InitProducerIdResult producer = init("tx");
        long id = producer.producerId();
        short epoch = producer.producerEpoch();
        assertThat(coordinator().addPartitions("tx", id, epoch, List.of(ORDERS_0)).join()).isEqualTo(Errors.NONE);
        assertThat(coordinator().addPartitions("tx", id, epoch, List.of(ORDERS_1, ORDERS_0)).join()).isEqualTo(Errors.NONE);
        assertThat(describe("tx").transactionState()).isEqualTo("Ongoing");
        assertThat(describe("tx").topics().find("orders").partitions()).containsExactly(0, 1);

        assertThat(coordinator().endTransaction("tx", id, epoch, TransactionResult.COMMIT).join()).isEqualTo(Errors.NONE);
        await().atMost(Duration.ofSeconds(10)).until(() -> harness.markerCalls.size() == 1);
        TransactionHarness.MarkerCall call = harness.markerCalls.get(0);
        assertThat(call.marker()).isEqualTo(new TransactionMarker(id, epoch, call.marker().coordinatorEpoch(),
                TransactionResult.COMMIT));
        assertThat(call.partitions()).containsExactlyInAnyOrder(ORDERS_0, ORDERS_1);

        // While the markers are written, everything else waits.
        assertThat(describe("tx").transactionState()).isEqualTo("PrepareCommit");
        assertThat(coordinator().endTransaction("tx", id, epoch, TransactionResult.COMMIT).join())
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(coordinator().endTransaction("tx", id, epoch, TransactionResult.ABORT).join())
                .isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(coordinator().addPartitions("tx", id, epoch, List.of(ORDERS_0)).join())
                .isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(init("tx").error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

        call.done().complete(null);
        awaitState("tx", "CompleteCommit");
        assertThat(describe("tx").topics()).isEmpty();
        assertThat(coordinator().endTransaction("tx", id, epoch, TransactionResult.COMMIT).join()).isEqualTo(Errors.NONE);
        assertThat(coordinator().endTransaction("tx", id, epoch, TransactionResult.ABORT).join())
                .isEqualTo(Errors.INVALID_TXN_STATE);
    }

    @Test
    void endTxnChecksTheProducerAndTheState() {
        assertThat(coordinator().endTransaction("unknown", 1, (short) 0, TransactionResult.COMMIT).join())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        InitProducerIdResult producer = init("tx");
        assertThat(coordinator().endTransaction("tx", producer.producerId() + 1, producer.producerEpoch(),
                TransactionResult.COMMIT).join()).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(coordinator().endTransaction("tx", producer.producerId(), producer.producerEpoch(),
                TransactionResult.COMMIT).join()).isEqualTo(Errors.INVALID_TXN_STATE);
        init("tx");
        assertThat(coordinator().endTransaction("tx", producer.producerId(), producer.producerEpoch(),
                TransactionResult.COMMIT).join()).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(coordinator().addPartitions("tx", producer.producerId(), producer.producerEpoch(), List.of(ORDERS_0))
                .join()).isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(coordinator().addPartitions("unknown", 1, (short) 0, List.of(ORDERS_0)).join())
                .isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
    }

    @Test
    void aNewProducerAbortsTheOngoingTransactionOfTheOldOneWithABumpedEpoch() {
        InitProducerIdResult old = init("tx");
        coordinator().addPartitions("tx", old.producerId(), old.producerEpoch(), List.of(ORDERS_0)).join();

        assertThat(init("tx").error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        awaitState("tx", "CompleteAbort");
        TransactionMarker abort = harness.markerCalls.get(0).marker();
        assertThat(abort.result()).isEqualTo(TransactionResult.ABORT);
        assertThat(abort.producerEpoch()).isEqualTo((short) (old.producerEpoch() + 1));

        InitProducerIdResult retried = init("tx");
        assertThat(retried.error()).isEqualTo(Errors.NONE);
        assertThat(retried.producerEpoch()).isEqualTo((short) (old.producerEpoch() + 2));
        assertThat(coordinator().endTransaction("tx", old.producerId(), old.producerEpoch(), TransactionResult.COMMIT)
                .join()).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void aTransactionOlderThanItsTimeoutIsAbortedAndItsProducerFenced() {
        InitProducerIdResult producer = coordinator().initProducerId("tx", 10_000, null).join();
        coordinator().addPartitions("tx", producer.producerId(), producer.producerEpoch(), List.of(ORDERS_0)).join();

        harness.clock.advance(Duration.ofSeconds(9));
        coordinator().abortTimedOutTransactions();
        assertThat(describe("tx").transactionState()).isEqualTo("Ongoing");

        harness.clock.advance(Duration.ofSeconds(2));
        coordinator().abortTimedOutTransactions();
        awaitState("tx", "CompleteAbort");
        assertThat(harness.markerCalls.get(0).marker().producerEpoch()).isEqualTo((short) (producer.producerEpoch() + 1));
        assertThat(coordinator().addPartitions("tx", producer.producerId(), producer.producerEpoch(), List.of(ORDERS_0))
                .join()).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void anExhaustedEpochGetsANewProducerId() {
        harness.store("tx", new TransactionSnapshot(42, -1, (short) (Short.MAX_VALUE - 2), (short) -1, 30_000,
                TransactionState.COMPLETE_COMMIT, java.util.Set.of(), 0, harness.clock.millis()));
        harness.restart();

        InitProducerIdResult last = init("tx");
        InitProducerIdResult rotated = init("tx");

        assertThat(last.producerId()).isEqualTo(42);
        assertThat(last.producerEpoch()).isEqualTo((short) (Short.MAX_VALUE - 1));
        assertThat(rotated.error()).isEqualTo(Errors.NONE);
        assertThat(rotated.producerId()).isNotEqualTo(42);
        assertThat(rotated.producerEpoch()).isZero();
    }

    @Test
    void theStateSurvivesARestartAndAPreparedTransactionIsCompletedByTheNextCoordinator() {
        InitProducerIdResult committed = init("done");
        coordinator().addPartitions("done", committed.producerId(), committed.producerEpoch(), List.of(ORDERS_0)).join();
        coordinator().endTransaction("done", committed.producerId(), committed.producerEpoch(), TransactionResult.COMMIT)
                .join();
        awaitState("done", "CompleteCommit");
        harness.autoCompleteMarkers = false;
        InitProducerIdResult prepared = init("half");
        coordinator().addPartitions("half", prepared.producerId(), prepared.producerEpoch(), List.of(ORDERS_1)).join();
        coordinator().endTransaction("half", prepared.producerId(), prepared.producerEpoch(), TransactionResult.ABORT).join();
        awaitState("half", "PrepareAbort");

        harness.restart();
        harness.autoCompleteMarkers = true;

        assertThat(describe("done").producerId()).isEqualTo(committed.producerId());
        assertThat(describe("done").transactionState()).isEqualTo("CompleteCommit");
        awaitState("half", "CompleteAbort");
        assertThat(harness.markerCalls.get(harness.markerCalls.size() - 1).partitions()).containsExactly(ORDERS_1);
        assertThat(init("done").producerEpoch()).isEqualTo((short) (committed.producerEpoch() + 1));
    }

    @Test
    void anIdleTransactionalIdExpiresWithATombstone() {
        init("idle");
        InitProducerIdResult busy = init("busy");
        coordinator().addPartitions("busy", busy.producerId(), busy.producerEpoch(), List.of(ORDERS_0)).join();

        harness.clock.advance(Duration.ofMillis(TransactionHarness.CONFIG.idExpirationMs() + 1));
        coordinator().expireTransactionalIds();

        await().atMost(Duration.ofSeconds(10)).until(() -> describe("idle").errorCode()
                == Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
        assertThat(describe("busy").transactionState()).isEqualTo("Ongoing"); // an open transaction is aborted, not forgotten
        harness.restart();
        assertThat(describe("idle").errorCode()).isEqualTo(Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
        assertThat(describe("busy").transactionState()).isEqualTo("Ongoing");
    }

    @Test
    void listFiltersByStateProducerDurationAndPattern() {
        InitProducerIdResult a = init("app-a");
        InitProducerIdResult b = init("app-b");
        init("other");
        coordinator().addPartitions("app-a", a.producerId(), a.producerEpoch(), List.of(ORDERS_0)).join();
        harness.clock.advance(Duration.ofSeconds(5));

        assertThat(coordinator().list(List.of(), List.of(), -1, null).transactionStates()).hasSize(3);
        assertThat(coordinator().list(List.of("Ongoing"), List.of(), -1, null).transactionStates())
                .extracting(s -> s.transactionalId()).containsExactly("app-a");
        assertThat(coordinator().list(List.of(), List.of(b.producerId()), -1, null).transactionStates())
                .extracting(s -> s.transactionalId()).containsExactly("app-b");
        assertThat(coordinator().list(List.of(), List.of(), 4_000, null).transactionStates()).hasSize(1);
        assertThat(coordinator().list(List.of(), List.of(), 6_000, null).transactionStates()).isEmpty();
        assertThat(coordinator().list(List.of(), List.of(), -1, "app-.*").transactionStates()).hasSize(2);
        assertThat(coordinator().list(List.of("Bogus"), List.of(), -1, null).unknownStateFilters()).containsExactly("Bogus");
    }

    @Test
    void verifyOnlyTellsWhichPartitionsAreInTheTransaction() {
        InitProducerIdResult p = init("tx");
        coordinator().addPartitions("tx", p.producerId(), p.producerEpoch(), List.of(ORDERS_0)).join();

        assertThat(coordinator().verifyPartitions("tx", p.producerId(), p.producerEpoch(), List.of(ORDERS_0, ORDERS_1)))
                .containsEntry(ORDERS_0, Errors.NONE).containsEntry(ORDERS_1, Errors.TRANSACTION_ABORTABLE);
        assertThat(coordinator().verifyPartitions("tx", p.producerId(), (short) (p.producerEpoch() - 1), List.of(ORDERS_0)))
                .containsEntry(ORDERS_0, Errors.PRODUCER_FENCED);
    }
}
