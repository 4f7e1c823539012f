package io.tributary.client.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class (usually a record) as an event that travels through Tributary as JSON, and names it.
 * The name, not the Java class, goes into the {@value EventHeaders#EVENT_TYPE} header, so that a
 * service can read another service's events with a record of its own.
 * <p>
 * Annotated classes in the application's packages are registered at start-up; others can be added
 * with an {@link EventTypesCustomizer}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

    /** The event's name on the wire; the class's simple name when empty. */
    String value() default "";
}
