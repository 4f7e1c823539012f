package io.tributary.client.testcontainers;

import io.tributary.client.test.PostgresServer;
import io.tributary.client.test.PostgresServerProvider;
import org.testcontainers.DockerClientFactory;

/**
 * Registered in {@code META-INF/services}: with this module on the test classpath, {@code @EmbeddedPostgresDatabase}
 * runs PostgreSQL in a container where Docker answers ({@code tributary.test.postgres=auto}, the default).
 */
public final class ContainerPostgresServerProvider implements PostgresServerProvider {

    @Override
    public boolean isAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    @Override
    public PostgresServer start() {
        return ContainerPostgresServer.start();
    }
}
