package io.tributary.client.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a Spring test's application context a fresh, empty PostgreSQL database of its own and points
 * {@code spring.datasource.url}, {@code spring.datasource.username} and {@code spring.datasource.password} at it,
 * with the highest precedence, before any bean is created; Flyway then migrates it as in production. The
 * database is a bean named {@code embeddedPostgresDatabase} ({@link EmbeddedPostgresServer.Database}) and is
 * dropped when the context is closed.
 * <p>
 * The databases live on one server per JVM, started by the first context that needs one: PostgreSQL from
 * embedded binaries, or in a container where {@code platform-client-testcontainers} is on the classpath and Docker
 * answers. The system property {@code tributary.test.postgres} (environment {@code TRIBUTARY_TEST_POSTGRES})
 * chooses: {@code auto} (default), {@code embedded} or {@code testcontainers}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface EmbeddedPostgresDatabase {
}
