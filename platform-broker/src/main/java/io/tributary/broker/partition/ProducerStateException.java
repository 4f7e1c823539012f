package io.tributary.broker.partition;

import org.apache.kafka.common.protocol.Errors;

/** A batch refused because of its producer id, epoch or sequence. */
public final class ProducerStateException extends RuntimeException {

    private final Errors error;

    ProducerStateException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
