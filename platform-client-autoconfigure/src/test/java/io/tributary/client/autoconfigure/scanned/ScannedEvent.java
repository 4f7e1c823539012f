package io.tributary.client.autoconfigure.scanned;

import io.tributary.client.events.EventType;

@EventType("ScannedThing")
public record ScannedEvent(String id) {
}
