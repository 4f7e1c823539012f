package io.tributary.client.outbox;

/** A relay pass could not publish its rows; it was rolled back and they will be sent again. */
public class OutboxRelayException extends RuntimeException {

    public OutboxRelayException(String message, Throwable cause) {
        super(message, cause);
    }
}
