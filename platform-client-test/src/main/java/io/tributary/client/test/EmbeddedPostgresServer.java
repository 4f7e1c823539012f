package io.tributary.client.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
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
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USERNAME = "postgres";

    /** Database names are interpolated into SQL, so only plain identifiers are accepted. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

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

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + checkName(database);
    }

    /** Creates an empty database, a copy of {@code template1}, in some tens of milliseconds. */
    public Database createDatabase(String name) {
        execute("CREATE DATABASE " + checkName(name));
        return new Database(name, jdbcUrl(name), USERNAME, "");
    }

    /** Drops a database, closing the connections still open to it. */
    public void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS " + checkName(name) + " WITH (FORCE)");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop the embedded PostgreSQL server", e);
        }
    }

    private void execute(String sql) {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed on the embedded PostgreSQL server: " + sql, e);
        }
    }

    private static String checkName(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Not a plain lower-case database name: " + database);
        }
        return database;
    }

    /** Where a database is and how to log in to it. */
    public record Database(String name, String jdbcUrl, String username, String password) {
    }
}
