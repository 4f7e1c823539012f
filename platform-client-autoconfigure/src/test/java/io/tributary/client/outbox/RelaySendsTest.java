package io.tributary.client.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RelaySendsTest {

    private final List<OutboxRow> sent = new ArrayList<>();

    @Test
    void allAcknowledgedRowsAreMarked() {
        List<OutboxRow> rows = List.of(row(1, 0), row(2, 1), row(3, 0));

        RelaySends sends = RelaySends.start(rows, answering(Map.of())).awaitAnswers(Duration.ofSeconds(1));

        assertThat(sends.acknowledged()).isEqualTo(rows);
        assertThat(sends.failure()).isNull();
    }

    @Test
    void aFailedRowHoldsUpTheLaterRowsOfItsLaneOnly() {
        List<OutboxRow> rows = List.of(row(1, 0), row(2, 1), row(3, 0), row(4, 1), row(5, 0));

        RelaySends sends = RelaySends.start(rows, answering(Map.of(3L, new IllegalStateException("refused"))))
                .awaitAnswers(Duration.ofSeconds(1));

        assertThat(sends.acknowledged()).extracting(OutboxRow::id).containsExactly(1L, 2L, 4L);
        assertThat(sends.failure()).hasMessageContaining("outbox row 3").hasMessageContaining("lane 0")
                .hasMessageContaining("refused");
    }

    @Test
    void afterASendThatThrowsTheRestOfItsLaneIsNotEvenSent() {
        List<OutboxRow> rows = List.of(row(1, 0), row(2, 0), row(3, 1), row(4, 0));

        RelaySends sends = RelaySends.start(rows, row -> {
            if (row.id() == 2) {
                throw new IllegalArgumentException("too large");
            }
            sent.add(row);
            return CompletableFuture.completedFuture(null);
        }).awaitAnswers(Duration.ofSeconds(1));

        assertThat(sent).extracting(OutboxRow::id).containsExactly(1L, 3L);
        assertThat(sends.acknowledged()).extracting(OutboxRow::id).containsExactly(1L, 3L);
        assertThat(sends.failure()).hasMessageContaining("outbox row 2").hasMessageContaining("too large");
    }

    @Test
    void anUnansweredSendFailsTheWholePass() {
        List<OutboxRow> rows = List.of(row(1, 0), row(2, 1));

        assertThatThrownBy(() -> RelaySends.start(rows, row -> row.id() == 1
                ? CompletableFuture.completedFuture(null) : new CompletableFuture<>())
                .awaitAnswers(Duration.ofMillis(50)))
                .isInstanceOf(OutboxRelayException.class).hasMessageContaining("did not acknowledge");
    }

    private Function<OutboxRow, CompletableFuture<?>> answering(Map<Long, Exception> failures) {
        return row -> {
            sent.add(row);
            Exception failure = failures.get(row.id());
            return failure == null ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(failure);
        };
    }

    private static OutboxRow row(long id, int lane) {
        return new OutboxRow(id, lane, "event-" + id, "orders", "order-" + lane, "OrderPlaced", new byte[0]);
    }
}
