package io.tributary.client.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The sends of one relay pass, and which of its rows may be marked sent: in each lane, the acknowledged rows
 * before the first one that failed. The rest of a lane waits for the failed row, so that a later pass sends them
 * again after it, in order, while the other lanes go on. Not thread-safe: one pass, one thread.
 */
final class RelaySends {

    private final List<OutboxRow> rows;
    private final List<CompletableFuture<?>> sends;
    private OutboxRelayException failure;

    private RelaySends(List<OutboxRow> rows) {
        this.rows = rows;
        this.sends = new ArrayList<>(rows.size());
    }

    /** Sends the rows in id order, except those of a lane where a send already failed. */
    static RelaySends start(List<OutboxRow> rows, Function<OutboxRow, CompletableFuture<?>> sender) {
        RelaySends pass = new RelaySends(rows);
        Set<Integer> failedLanes = new HashSet<>();
        for (OutboxRow row : rows) {
            CompletableFuture<?> send;
            if (failedLanes.contains(row.lane())) {
                send = null;
            } else {
                try {
                    send = sender.apply(row);
                } catch (RuntimeException e) {
                    send = CompletableFuture.failedFuture(e);
                    failedLanes.add(row.lane());
                }
            }
            pass.sends.add(send);
        }
        return pass;
    }

    /**
     * Waits until the broker answered every send.
     *
     * @throws OutboxRelayException when some send was not answered in time: nothing of the pass may then be
     *         marked sent, for a lane's order could not be told
     */
    RelaySends awaitAnswers(Duration timeout) {
        CompletableFuture<?>[] started = sends.stream().filter(send -> send != null)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(started).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException someFailed) {
            // Told apart row by row below.
        } catch (TimeoutException e) {
            throw new OutboxRelayException("The broker did not acknowledge " + started.length
                    + " outbox rows within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboxRelayException("Interrupted while waiting for the broker to acknowledge "
                    + started.length + " outbox rows", e);
        }
        return this;
    }

    /** The rows that may be marked sent, once {@link #awaitAnswers} returned. */
    List<OutboxRow> acknowledged() {
        List<OutboxRow> acknowledged = new ArrayList<>();
        Set<Integer> heldLanes = new HashSet<>();
        for (int i = 0; i < rows.size(); i++) {
            OutboxRow row = rows.get(i);
            CompletableFuture<?> send = sends.get(i);
            if (heldLanes.contains(row.lane())) {
                continue;
            }
            if (send == null || send.isCompletedExceptionally()) {
                heldLanes.add(row.lane());
                if (failure == null && send != null) {
                    failure = failureOf(row, send);
                }
            } else {
                acknowledged.add(row);
            }
        }
        return acknowledged;
    }

    /** Why the oldest row that failed did, or null when all were acknowledged; once {@link #acknowledged} ran. */
    OutboxRelayException failure() {
        return failure;
    }

    // Every pass tries the oldest rows first, so a row that cannot be published fails pass after pass: name it.
    private static OutboxRelayException failureOf(OutboxRow row, CompletableFuture<?> send) {
        Throwable cause = send.handle((result, thrown) -> thrown).join();
        Throwable reason = cause.getCause() != null ? cause.getCause() : cause;
        return new OutboxRelayException("Publishing outbox row " + row.id() + " (event " + row.eventId()
                + " to topic " + row.topic() + ") failed, holding up the rows after it in lane " + row.lane()
                + ": " + reason, cause);
    }
}
