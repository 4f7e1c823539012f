package io.tributary.client.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import io.tributary.client.test.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

/** Databases on PostgreSQL in a container, as on the embedded server. Skipped where Docker does not answer. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerPostgresServerTest {

    @Test
    void createsAndDropsDatabasesOfItsOwn() throws Exception {
        try (ContainerPostgresServer server = ContainerPostgresServer.start()) {
            EmbeddedPostgresServer.Database database = server.createDatabase("orders_test");
            try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
                    database.password()); ResultSet rs = connection.createStatement().executeQuery("select current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("orders_test");
            }
            server.dropDatabase("orders_test");
        }
    }
}
