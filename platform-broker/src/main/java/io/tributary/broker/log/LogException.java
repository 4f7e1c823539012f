package io.tributary.broker.log;

/** Base of the failures the log engine reports; the protocol layer maps each to a Kafka error code. */
public abstract class LogException extends RuntimeException {

    protected LogException(String message) {
        super(message);
    }

    protected LogException(String message, Throwable cause) {
        super(message, cause);
    }
}
