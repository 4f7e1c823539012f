package io.tributary.broker.group;

import org.apache.kafka.common.protocol.Errors;

/** A group operation that failed with an error a client is answered with. */
public final class CoordinatorException extends RuntimeException {

    private final Errors error;

    public CoordinatorException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
