package io.tributary.client.testcontainers;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import io.tributary.client.test.PostgresServer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL in a container, for {@code @EmbeddedPostgresDatabase} where Docker answers: the same databases per
 * test context as on the embedded server, created with the same SQL ({@link PostgresServer}).
 */
final class ContainerPostgresServer implements PostgresServer {

    /** The version docker-compose.yml runs. */
    static final DockerImageName IMAGE = DockerImageName.parse("postgres:16");

    private final PostgreSQLContainer container;

    private ContainerPostgresServer(PostgreSQLContainer container) {
        this.container = container;
    }

    static ContainerPostgresServer start() {
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE).withUsername("postgres").withPassword("postgres");
        container.start();
        return new ContainerPostgresServer(container);
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT)
                + "/" + PostgresServer.checkName(database);
    }

    @Override
    public String username() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public Connection adminConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl("postgres"), username(), password());
    }

    @Override
    public void close() {
        container.stop();
    }
}
