package io.tributary.client.events;

/**
 * A record that no retry can make readable. Listener containers send such records to the dead-letter
 * topic at once, with the message as the reason.
 */
public abstract class EventException extends RuntimeException {

    protected EventException(String message, Throwable cause) {
        super(message, cause);
    }
}
