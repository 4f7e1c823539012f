package io.tributary.client.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (14, from Zonky's embedded binaries) on 127.0.0.1 and a free port, with a fresh
 * cluster in a temporary directory that {@link #close()} deletes. Any password is accepted for the
 * {@value #USERNAME} superuser, which owns the databases this class creates.
 * <p>
 * Run as root, Zonky starts {@code initdb} and {@code postgres} inside a new user namespace ({@code unshare -U}),
 * where they are not root; that needs util-linux's {@code unshare} and user namespaces, which some containers
 * forbid. As any other user the binaries run directly.
 */
public final class EmbeddedPostgresServer implements PostgresServer {

    public static final String USERNAME = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Runs {@code initdb} and starts the server, in about 2.5 s; a shutdown hook stops it if {@link #close()} is not called. */
    public static EmbeddedPostgresServer start() {
        return start(true);
    }

    /**
     * Starts a server whose owner stops it: without the shutdown hook, which would stop it at JVM exit while
     * the owner's own hook may still be stopping the applications that use it.
     */
    public static EmbeddedPostgresServer startStoppedByOwner() {
        return start(false);
    }

    private static EmbeddedPostgresServer start(boolean stopOnExit) {
        try {
            return new EmbeddedPostgresServer(EmbeddedPostgres.builder().setRegisterShutdownHook(stopOnExit).start());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start an embedded PostgreSQL server", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + PostgresServer.checkName(database);
    }

    @Override
    public String username() {
        return USERNAME;
    }

    /** Any password is accepted. */
    @Override
    public String password() {
        return "";
    }

    @Override
    public Connection adminConnection() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL server", e);
        }
    }

    /** Where a database is and how to log in to it. */
    public record Database(String name, String jdbcUrl, String username, String password) {
    }
}
