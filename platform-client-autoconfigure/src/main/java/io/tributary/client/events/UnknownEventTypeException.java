package io.tributary.client.events;

/** The record names an event type this service has not registered. */
public class UnknownEventTypeException extends EventException {

    public UnknownEventTypeException(String typeName) {
        super("unknown event type '" + typeName + "'", null);
    }
}
