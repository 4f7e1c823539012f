package io.tributary.client.events;

/** Registers event types that are not annotated, or live outside the application's packages. */
@FunctionalInterface
public interface EventTypesCustomizer {

    void customize(EventTypes eventTypes);
}
