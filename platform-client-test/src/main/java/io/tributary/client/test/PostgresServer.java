package io.tributary.client.test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server that tests create databases on: {@link EmbeddedPostgresServer} from embedded binaries, or a
 * container where Docker is ({@code platform-client-testcontainers}). The SQL is the same for both: the server only
 * says where it is and how to log in as a superuser.
 */
public interface PostgresServer extends AutoCloseable {

    /** Database names are interpolated into SQL, so only plain identifiers are accepted. */
    Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** The JDBC URL of a database on this server. */
    String jdbcUrl(String database);

    /** The superuser that creates, owns and drops the databases. */
    String username();

    String password();

    /** A connection as the superuser to the server's maintenance database. */
    Connection adminConnection() throws SQLException;

    /** Creates an empty database, a copy of {@code template1}, in some tens of milliseconds. */
    default EmbeddedPostgresServer.Database createDatabase(String name) {
        execute("CREATE DATABASE " + checkName(name));
        return new EmbeddedPostgresServer.Database(name, jdbcUrl(name), username(), password());
    }

    /** Drops a database, closing the connections still open to it. */
    default void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS " + checkName(name) + " WITH (FORCE)");
    }

    @Override
    void close();

    private void execute(String sql) {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed on PostgreSQL server " + jdbcUrl("postgres") + ": " + sql, e);
        }
    }

    static String checkName(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Not a plain lower-case database name: " + database);
        }
        return database;
    }
}
