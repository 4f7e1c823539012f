package io.tributary.client.events;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The two-way map between event names on the wire and the Java classes a service reads them into. */
public final class EventTypes {

    private final Map<String, Class<?>> classesByName = new ConcurrentHashMap<>();
    private final Map<Class<?>, String> namesByClass = new ConcurrentHashMap<>();

    /** Registers a class under the name its {@link EventType} gives, or its simple name. */
    public EventTypes register(Class<?> type) {
        EventType annotation = type.getAnnotation(EventType.class);
        String name = annotation == null || annotation.value().isEmpty() ? type.getSimpleName() : annotation.value();
        return register(name, type);
    }

    public EventTypes register(String name, Class<?> type) {
        Class<?> previous = classesByName.putIfAbsent(name, type);
        if (previous != null && previous != type) {
            throw new IllegalStateException("Event type '" + name + "' is registered twice: " + previous.getName()
                    + " and " + type.getName());
        }
        namesByClass.put(type, name);
        return this;
    }

    /** The name an event of this class is published under; unregistered classes use their simple name. */
    public String nameOf(Class<?> type) {
        String name = namesByClass.get(type);
        if (name != null) {
            return name;
        }
        register(type);
        return namesByClass.get(type);
    }

    public Optional<Class<?>> classOf(String name) {
        return Optional.ofNullable(classesByName.get(name));
    }

    public Map<String, Class<?>> all() {
        return Map.copyOf(classesByName);
    }
}
