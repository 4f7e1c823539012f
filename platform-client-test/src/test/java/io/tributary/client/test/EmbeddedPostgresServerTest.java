package io.tributary.client.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Databases on the shared server are separate, and dropping one closes what is still connected to it. */
class EmbeddedPostgresServerTest {

    private final PostgresServer server = SharedPostgresServer.get();

    @Test
    void eachDatabaseHasItsOwnTables() throws SQLException {
        EmbeddedPostgresServer.Database orders = server.createDatabase(SharedPostgresServer.nextDatabaseName());
        EmbeddedPostgresServer.Database payments = server.createDatabase(SharedPostgresServer.nextDatabaseName());

        try (Connection connection = connect(orders)) {
            connection.createStatement().execute("create table orders (id bigint primary key)");
        }
        try (Connection connection = connect(payments);
                ResultSet tables = connection.getMetaData().getTables(null, "public", "orders", null)) {
            assertThat(tables.next()).isFalse();
        }
    }

    @Test
    void droppingADatabaseClosesItsConnections() throws SQLException {
        EmbeddedPostgresServer.Database database = server.createDatabase(SharedPostgresServer.nextDatabaseName());
        try (Connection connection = connect(database)) {
            server.dropDatabase(database.name());

            assertThatThrownBy(() -> connection.createStatement().execute("select 1")).isInstanceOf(SQLException.class);
        }
        assertThatThrownBy(() -> connect(database).close()).isInstanceOf(SQLException.class);
    }

    @Test
    void onlyPlainNamesAreAccepted() {
        assertThatIllegalArgumentException().isThrownBy(() -> server.createDatabase("x; drop database postgres"));
    }

    private static Connection connect(EmbeddedPostgresServer.Database database) throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }
}
