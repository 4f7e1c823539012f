package io.tributary.broker.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import io.tributary.broker.fault.History.Event;
import io.tributary.broker.fault.History.Type;
import io.tributary.broker.fault.QueueChecker.Kind;
import io.tributary.broker.fault.QueueChecker.Verdict;
import org.junit.jupiter.api.Test;

/** The checker on hand-made histories: it passes a good one and finds each kind of anomaly. */
class QueueCheckerTest {

    private final History history = new History(0);
    private long clock;

    /** Values 0..4 sent and acknowledged at offsets 0..4 of partition 0. */
    private void sendAndAck(int count) {
        for (int v = 0; v < count; v++) {
            event(Type.SEND, "producer", 0, v, -1);
            event(Type.ACK, "producer", 0, v, v);
        }
    }

    private void read(long... values) {
        for (int offset = 0; offset < values.length; offset++) {
            event(Type.READ, "reader", 0, values[offset], offset);
        }
    }

    private void event(Type type, String process, int partition, long value, long offset) {
        history.add(new Event(++clock * 1_000_000, type, process, partition, value, offset, null));
    }

    private List<Kind> kinds(Verdict verdict) {
        return verdict.anomalies().stream().map(QueueChecker.Anomaly::kind).distinct().toList();
    }

    @Test
    void aHistoryWhereEverythingWentRightIsValid() {
        sendAndAck(5);
        read(0, 1, 2, 3, 4);
        for (int v = 0; v < 5; v++) {
            event(Type.CONSUME, "consumer-0", 0, v, v);
        }
        event(Type.COMMIT_INVOKE, "consumer-0", 0, 1, 5);
        event(Type.COMMIT_OK, "consumer-0", 0, 1, 5);

        Verdict verdict = QueueChecker.check(history);

        assertThat(verdict.anomalies()).isEmpty();
        assertThat(verdict.valid()).isTrue();
    }

    @Test
    void anAcknowledgedRecordMissingFromTheLogIsLost() {
        sendAndAck(5);
        read(0, 1, 3, 4);

        Verdict verdict = QueueChecker.check(history);

        assertThat(verdict.anomalies()).anySatisfy(a -> {
            assertThat(a.kind()).isEqualTo(Kind.LOST);
            assertThat(a.detail()).startsWith("value 2 ");
        });
    }

    @Test
    void aRecordTwiceInTheLogIsADuplicateEvenIfItsSendFailed() {
        sendAndAck(3);
        event(Type.SEND, "producer", 0, 3, -1);
        event(Type.FAIL, "producer", 0, 3, -1);
        read(0, 1, 2, 3, 3);

        assertThat(kinds(QueueChecker.check(history))).containsExactly(Kind.DUPLICATE);
    }

    @Test
    void aFailedSendMayAppearOnceOrNotAtAll() {
        sendAndAck(2);
        event(Type.SEND, "producer", 0, 2, -1);
        event(Type.FAIL, "producer", 0, 2, -1);
        event(Type.SEND, "producer", 0, 3, -1);
        event(Type.FAIL, "producer", 0, 3, -1);
        read(0, 1, 2);

        assertThat(QueueChecker.check(history).valid()).isTrue();
    }

    @Test
    void recordsOutOfTheOrderTheyWereSentInAreReordered() {
        sendAndAck(4);
        read(0, 2, 1, 3);

        Verdict verdict = QueueChecker.check(history);

        assertThat(kinds(verdict)).contains(Kind.REORDER);
    }

    @Test
    void aRecordNobodySentIsAPhantom() {
        sendAndAck(2);
        read(0, 1, 42);
        event(Type.CONSUME, "consumer-0", 0, 0, 0);
        event(Type.CONSUME, "consumer-0", 0, 1, 1);
        event(Type.CONSUME, "consumer-0", 0, 43, 2);

        Verdict verdict = QueueChecker.check(history);

        assertThat(kinds(verdict)).contains(Kind.PHANTOM);
        assertThat(verdict.counts()).containsEntry("PHANTOM", 2);
    }

    @Test
    void anAcknowledgementAtAnOffsetTheLogHoldsSomethingElseAtIsAMismatch() {
        event(Type.SEND, "producer", 0, 0, -1);
        event(Type.ACK, "producer", 0, 0, 1);
        event(Type.SEND, "producer", 0, 1, -1);
        event(Type.FAIL, "producer", 0, 1, -1);
        read(0, 1);

        assertThat(kinds(QueueChecker.check(history))).contains(Kind.ACK_OFFSET_MISMATCH);
    }

    @Test
    void anAcknowledgedRecordTheGroupNeverConsumedIsNotConsumed() {
        sendAndAck(3);
        read(0, 1, 2);
        event(Type.CONSUME, "consumer-0", 0, 0, 0);
        event(Type.CONSUME, "consumer-1", 0, 2, 2);

        Verdict verdict = QueueChecker.check(history);

        assertThat(kinds(verdict)).containsExactly(Kind.NOT_CONSUMED);
        assertThat(verdict.anomalies().get(0).detail()).startsWith("value 1 ");
    }

    @Test
    void aConsumerThatReadWhatTheLogNoLongerHoldsReadDivergently() {
        sendAndAck(2);
        read(0, 1);
        event(Type.SEND, "producer", 0, 2, -1);
        event(Type.FAIL, "producer", 0, 2, -1);
        event(Type.CONSUME, "consumer-0", 0, 0, 0);
        event(Type.CONSUME, "consumer-0", 0, 1, 1);
        event(Type.CONSUME, "consumer-0", 0, 2, 2); // read, then truncated away

        assertThat(kinds(QueueChecker.check(history))).containsExactly(Kind.DIVERGENT_READ);
    }

    @Test
    void aCommitBelowOneThatSucceededBeforeItBeganGoesBackwards() {
        event(Type.COMMIT_INVOKE, "consumer-0", 0, 1, 10);
        event(Type.COMMIT_OK, "consumer-0", 0, 1, 10);
        event(Type.COMMIT_INVOKE, "consumer-1", 0, 2, 7);
        event(Type.COMMIT_OK, "consumer-1", 0, 2, 7);

        assertThat(kinds(QueueChecker.check(history))).containsExactly(Kind.COMMIT_BACKWARDS);
    }

    @Test
    void concurrentOrFailedCommitsDoNotCountAsGoingBackwards() {
        event(Type.COMMIT_INVOKE, "consumer-0", 0, 1, 10);
        event(Type.COMMIT_INVOKE, "consumer-1", 0, 2, 7); // began before the first ended
        event(Type.COMMIT_OK, "consumer-0", 0, 1, 10);
        event(Type.COMMIT_OK, "consumer-1", 0, 2, 7);
        event(Type.COMMIT_INVOKE, "consumer-0", 0, 3, 20);
        event(Type.COMMIT_FAIL, "consumer-0", 0, 3, 20);
        event(Type.COMMIT_INVOKE, "consumer-1", 0, 4, 12);
        event(Type.COMMIT_OK, "consumer-1", 0, 4, 12);

        assertThat(QueueChecker.check(history).valid()).isTrue();
    }

    @Test
    void theLongestTimeWithoutAnAcknowledgementAcrossAFaultIsItsOutage() {
        history.add(new Event(0, Type.SEND, "producer", 0, 0, -1, null));
        history.add(new Event(10_000_000, Type.ACK, "producer", 0, 0, 0, null));
        history.add(new Event(20_000_000, Type.FAULT_START, "nemesis", 0, 1, -1, "KILL: node 1 kill -9"));
        history.add(new Event(30_000_000, Type.SEND, "producer", 0, 1, -1, null));
        history.add(new Event(50_000_000, Type.FAULT_END, "nemesis", 0, 1, -1, "KILL: node 1 kill -9"));
        history.add(new Event(1_510_000_000, Type.ACK, "producer", 0, 1, 1, null));
        history.add(new Event(1_520_000_000, Type.READ, "reader", 0, 0, 0, null));
        history.add(new Event(1_530_000_000, Type.READ, "reader", 0, 1, 1, null));

        Verdict verdict = QueueChecker.check(history);

        assertThat(verdict.valid()).isTrue();
        assertThat(verdict.outages()).singleElement().satisfies(o -> {
            assertThat(o.fault()).isEqualTo("KILL: node 1 kill -9");
            assertThat(o.longestWithoutAckMs()).isEqualTo(1_500);
        });
    }
}
