package io.tributary.client.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one switch between PostgreSQL in a container and from embedded binaries. */
class SharedPostgresServerTest {

    @Test
    void theSwitchIsTheSystemPropertyElseTheEnvironmentElseAuto() {
        assertThat(SharedPostgresServer.mode(Map.of("tributary.test.postgres", "Embedded")::get,
                Map.of("TRIBUTARY_TEST_POSTGRES", "testcontainers")::get)).isEqualTo("embedded");
        assertThat(SharedPostgresServer.mode(Map.<String, String>of()::get,
                Map.of("TRIBUTARY_TEST_POSTGRES", "testcontainers")::get)).isEqualTo("testcontainers");
        assertThat(SharedPostgresServer.mode(Map.<String, String>of()::get, Map.<String, String>of()::get))
                .isEqualTo("auto");
    }

    @Test
    void autoTakesAnAvailableProviderAndSkipsOneWithoutDocker() {
        PostgresServer fromContainer = new FakeServer();
        assertThat(SharedPostgresServer.start("auto", List.of(provider(false, null), provider(true, fromContainer))))
                .isSameAs(fromContainer);
    }

    @Test
    void testcontainersWithoutDockerFailsWithTheReason() {
        assertThatIllegalStateException()
                .isThrownBy(() -> SharedPostgresServer.start("testcontainers", List.of(provider(false, null))))
                .withMessageContaining("Docker");
        assertThatIllegalStateException().isThrownBy(() -> SharedPostgresServer.start("testcontainers", List.of()))
                .withMessageContaining("platform-client-testcontainers");
        assertThatIllegalArgumentException().isThrownBy(() -> SharedPostgresServer.start("docker", List.of()));
    }

    @Test
    void autoWithoutAnAvailableProviderStartsTheEmbeddedBinaries() {
        try (PostgresServer server = SharedPostgresServer.start("auto", List.of(provider(false, null)))) {
            assertThat(server).isInstanceOf(EmbeddedPostgresServer.class);
        }
    }

    private static PostgresServerProvider provider(boolean available, PostgresServer server) {
        return new PostgresServerProvider() {
            @Override
            public boolean isAvailable() {
                return available;
            }

            @Override
            public PostgresServer start() {
                return server;
            }
        };
    }

    private static final class FakeServer implements PostgresServer {

        @Override
        public String jdbcUrl(String database) {
            return "jdbc:postgresql://fake/" + database;
        }

        @Override
        public String username() {
            return "fake";
        }

        @Override
        public String password() {
            return "fake";
        }

        @Override
        public Connection adminConnection() {
            throw new AssertionError("choosing a server must not connect to it");
        }

        @Override
        public void close() {
        }
    }
}
