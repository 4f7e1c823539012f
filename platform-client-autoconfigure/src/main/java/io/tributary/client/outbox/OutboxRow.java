package io.tributary.client.outbox;

/** An event waiting in the outbox, already encoded as it will travel. */
record OutboxRow(long id, int lane, String eventId, String topic, String key, String eventType, byte[] payload) {
}
