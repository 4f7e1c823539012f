package io.tributary.client.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Starts an {@link EmbeddedTributaryBroker} for a Spring test's application context and points the service at it
 * before any of its beans are created, as Spring Boot's service connections do: a {@code KafkaConnectionDetails}
 * bean ({@code embeddedTributaryConnectionDetails}) that Boot's Kafka auto-configuration connects every client
 * with, whatever the service's {@code spring.kafka.bootstrap-servers} or {@code tributary.bootstrap-servers} say.
 * {@link #bootstrapServersProperty()} is also set to {@code 127.0.0.1:<port>} with the highest precedence, and the
 * broker is a bean named {@code embeddedTributaryBroker}.
 * <p>
 * The broker lives as long as the context: test classes that share a cached context share its broker, and the
 * broker stops when the context is closed or evicted from the cache.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EmbeddedTributary {

    /** Broker settings as {@code key=value}, for example {@code tributary.broker.num-partitions=3}. */
    String[] brokerProperties() default {};

    /** A property that also receives the broker's address, for code that reads it. */
    String bootstrapServersProperty() default "tributary.bootstrap-servers";
}
