package io.tributary.client.events;

/** The record headers that carry an event's identity next to its JSON payload. */
public final class EventHeaders {

    /** The event's name, as {@link EventType} gives it: how a consumer knows which class to read. */
    public static final String EVENT_TYPE = "tributary-event-type";

    /** A unique id per event, kept when the event is sent again: what idempotent consumers key on. */
    public static final String EVENT_ID = "tributary-event-id";

    /** Why a record was moved to the dead-letter topic, in one line. */
    public static final String DEAD_LETTER_REASON = "tributary-dlt-reason";

    /** How many times the listener tried the record before it was dead-lettered. */
    public static final String DEAD_LETTER_ATTEMPTS = "tributary-dlt-attempts";

    private EventHeaders() {
    }
}
