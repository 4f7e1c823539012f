package io.tributary.client.events;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns events into the bytes and headers that travel, and back. The one place that knows the wire
 * format of an event: the publisher, the outbox relay and the listeners' converter all use it.
 */
public final class EventCodec {

    private final JsonMapper jsonMapper;
    private final EventTypes eventTypes;

    /**
     * Events are read tolerantly: a field the reader's record does not have is skipped, whatever the
     * application's REST API does, so that a producer can add fields without breaking its consumers.
     */
    public EventCodec(JsonMapper jsonMapper, EventTypes eventTypes) {
        this.jsonMapper = jsonMapper.rebuild().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        this.eventTypes = eventTypes;
    }

    public String typeOf(Object event) {
        return eventTypes.nameOf(event.getClass());
    }

    public byte[] encode(Object event) {
        try {
            return jsonMapper.writeValueAsBytes(event);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("Cannot write " + event.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Reads a payload whose type name is known; fails with the reason when it cannot. */
    public Object decode(String typeName, byte[] payload) {
        Class<?> type = eventTypes.classOf(typeName).orElseThrow(() -> new UnknownEventTypeException(typeName));
        return decode(payload, type);
    }

    public <T> T decode(byte[] payload, Class<T> type) {
        if (payload == null) {
            throw new EventPayloadException("the record has no value (a tombstone?) where a " + type.getSimpleName()
                    + " was expected", null);
        }
        try {
            return jsonMapper.readValue(payload, type);
        } catch (JacksonException e) {
            throw new EventPayloadException("the payload is not a valid " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    public EventTypes eventTypes() {
        return eventTypes;
    }
}
