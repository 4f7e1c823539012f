package io.tributary.client.outbox;

/**
 * An event waiting in the outbox, already encoded as it will travel, with the W3C trace context of the transaction
 * that wrote it ({@code traceParent} and {@code traceState} null when there was none).
 */
record OutboxRow(long id, int lane, String eventId, String topic, String key, String eventType, byte[] payload,
        String traceParent, String traceState) {

    OutboxRow(long id, int lane, String eventId, String topic, String key, String eventType, byte[] payload) {
        this(id, lane, eventId, topic, key, eventType, payload, null, null);
    }

    OutboxTracing.TraceHeaders trace() {
        return new OutboxTracing.TraceHeaders(traceParent, traceState);
    }
}
