package io.tributary.broker.coordinator;

import java.util.concurrent.CompletionException;
import org.apache.kafka.common.protocol.Errors;

/** A coordinator operation that failed with an error a client is answered with. */
public final class CoordinatorException extends RuntimeException {

    private final Errors error;

    public CoordinatorException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public Errors error() {
        return error;
    }

    /** The error to answer for a failed coordinator future: its own, or COORDINATOR_NOT_AVAILABLE for anything else. */
    public static Errors errorOf(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof CoordinatorException refused ? refused.error() : Errors.COORDINATOR_NOT_AVAILABLE;
    }
}
