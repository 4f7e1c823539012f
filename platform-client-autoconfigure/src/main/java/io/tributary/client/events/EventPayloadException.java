package io.tributary.client.events;

/** The record's value does not deserialize into the event class. */
public class EventPayloadException extends EventException {

    public EventPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
