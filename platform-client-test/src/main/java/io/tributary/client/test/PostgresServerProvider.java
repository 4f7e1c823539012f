package io.tributary.client.test;

/**
 * Another way to get the PostgreSQL server of {@link EmbeddedPostgresDatabase} tests than the embedded binaries,
 * found with {@link java.util.ServiceLoader}: {@code platform-client-testcontainers} provides one that runs
 * PostgreSQL in a container.
 */
public interface PostgresServerProvider {

    /** Whether this provider can start a server here (for a container: whether Docker answers). */
    boolean isAvailable();

    /** Starts a server; the JVM's exit stops it. */
    PostgresServer start();
}
