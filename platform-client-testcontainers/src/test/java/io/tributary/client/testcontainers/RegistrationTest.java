package io.tributary.client.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import io.tributary.client.test.PostgresServerProvider;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** Spring Boot finds the service-connection factory, and the test support finds the PostgreSQL container. */
class RegistrationTest {

    @Test
    void theServiceConnectionFactoryIsRegisteredAsBootsOwnAre() {
        // Skipping, as Boot does, the factories of modules that are not on this classpath (Docker Compose's).
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ConnectionDetailsFactory.class,
                SpringFactoriesLoader.FailureHandler.logging(LogFactory.getLog(RegistrationTest.class))))
                .hasAtLeastOneElementOfType(TributaryContainerConnectionDetailsFactory.class);
    }

    @Test
    void thePostgresContainerIsAProviderForEmbeddedPostgresDatabase() {
        assertThat(ServiceLoader.load(PostgresServerProvider.class).stream().map(ServiceLoader.Provider::type))
                .contains(ContainerPostgresServerProvider.class);
    }
}
