package io.tributary.broker.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import io.tributary.broker.fault.History.Event;
import io.tributary.broker.fault.History.Type;
import io.tributary.broker.fault.QueueChecker.Anomaly;
import io.tributary.broker.fault.QueueChecker.Kind;
import org.junit.jupiter.api.Test;

/** The exactly-once copier's checker on hand-made histories: it passes a good one and finds each anomaly. */
class CopyCheckerTest {

    private final History history = new History(0);
    private long clock;

    private void event(Type type, int partition, long value, long offset, String detail) {
        history.add(new Event(++clock * 1_000_000, type, "test", partition, value, offset, detail));
    }

    /** Source partition 0 holds values 10, 11, 12 at offsets 0..2. */
    private void source() {
        for (int offset = 0; offset < 3; offset++) {
            event(Type.READ, 0, 10 + offset, offset, null);
        }
    }

    /** Transaction {@code txn} copies these values to target offsets from {@code firstOffset}, then ends as told. */
    private void transaction(long txn, boolean commit, long firstOffset, long... values) {
        for (int i = 0; i < values.length; i++) {
            event(Type.COPY, 0, values[i], firstOffset + i, Long.toString(txn));
        }
        if (commit) {
            event(Type.TXN_COMMIT_INVOKE, -1, txn, -1, null);
            event(Type.TXN_COMMIT_OK, -1, txn, -1, null);
        } else {
            event(Type.TXN_ABORT, -1, txn, -1, null);
        }
    }

    private void readCommitted(long... offsetsThenValues) {
        for (int i = 0; i < offsetsThenValues.length; i += 2) {
            event(Type.COPY_READ, 0, offsetsThenValues[i + 1], offsetsThenValues[i], null);
        }
    }

    private List<Kind> kinds() {
        return CopyChecker.check(history).stream().map(Anomaly::kind).distinct().toList();
    }

    @Test
    void anAbortedTransactionCopiedAgainAndCommittedIsExactlyOnce() {
        source();
        transaction(1, false, 0, 10, 11); // offsets 0, 1, then its abort marker at 2
        transaction(2, true, 3, 10, 11, 12); // offsets 3..5, its commit marker at 6
        readCommitted(3, 10, 4, 11, 5, 12);

        assertThat(CopyChecker.check(history)).isEmpty();
    }

    @Test
    void aRecordOfAnAbortedTransactionReadCommittedIsFound() {
        source();
        transaction(1, false, 0, 10);
        transaction(2, true, 2, 10, 11, 12);
        readCommitted(0, 10, 2, 10, 3, 11, 4, 12);

        assertThat(kinds()).contains(Kind.ABORTED_READ, Kind.COPY_DUPLICATE);
    }

    @Test
    void aSourceRecordNeverCopiedIsLost() {
        source();
        transaction(1, true, 0, 10, 12);
        readCommitted(0, 10, 1, 12);

        assertThat(kinds()).containsExactly(Kind.COPY_LOST);
    }

    @Test
    void aCopyOutOfTheSourcesOrderIsAReorder() {
        source();
        readCommitted(0, 11, 1, 10, 2, 12);

        assertThat(kinds()).containsExactly(Kind.COPY_REORDER);
    }

    @Test
    void aValueTheSourceNeverHeldIsAPhantom() {
        source();
        readCommitted(0, 10, 1, 11, 2, 12, 3, 99);

        assertThat(kinds()).containsExactly(Kind.COPY_PHANTOM);
    }

    @Test
    void aHistoryWithoutTheCopierIsNotJudged() {
        source();

        assertThat(CopyChecker.check(history)).isEmpty();
    }
}
