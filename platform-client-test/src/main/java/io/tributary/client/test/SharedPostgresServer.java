package io.tributary.client.test;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The one PostgreSQL server of this JVM behind {@link EmbeddedPostgresDatabase}: each test context gets a
 * database of its own on it. Starting a server costs seconds and creating a database some tens of milliseconds,
 * and separate databases keep contexts' schemas and rows apart as well as separate servers would. The server lives
 * until the JVM exits, as cached test contexts may.
 * <p>
 * Which server, one switch: the system property {@value #SWITCH} (or the environment variable
 * {@code TRIBUTARY_TEST_POSTGRES}):
 * <ul>
 * <li>{@code auto} (the default): a container where a {@link PostgresServerProvider} (from
 * {@code platform-client-testcontainers}) is on the classpath and Docker answers, the embedded binaries otherwise;</li>
 * <li>{@code embedded}: always the embedded binaries;</li>
 * <li>{@code testcontainers}: always a container, failing where Docker is missing.</li>
 * </ul>
 */
final class SharedPostgresServer {

    static final String SWITCH = "tributary.test.postgres";

    private static final AtomicInteger databases = new AtomicInteger();
    private static PostgresServer server;

    private SharedPostgresServer() {
    }

    static synchronized PostgresServer get() {
        if (server == null) {
            server = start(mode(System::getProperty, System::getenv), providers());
        }
        return server;
    }

    static String nextDatabaseName() {
        return "test_" + databases.incrementAndGet();
    }

    /** The switch's value, from the system property, else the environment, else {@code auto}. */
    static String mode(Function<String, String> systemProperties, Function<String, String> environment) {
        String value = systemProperties.apply(SWITCH);
        if (value == null || value.isBlank()) {
            value = environment.apply("TRIBUTARY_TEST_POSTGRES");
        }
        return value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(Locale.ROOT);
    }

    static PostgresServer start(String mode, List<PostgresServerProvider> providers) {
        return switch (mode) {
            case "embedded" -> EmbeddedPostgresServer.start();
            case "testcontainers" -> providers.stream().findFirst()
                    .filter(PostgresServerProvider::isAvailable)
                    .orElseThrow(() -> new IllegalStateException(SWITCH + "=testcontainers needs "
                            + "platform-client-testcontainers on the test classpath and a Docker engine that answers"))
                    .start();
            case "auto" -> available(providers).map(PostgresServerProvider::start)
                    .orElseGet(EmbeddedPostgresServer::start);
            default -> throw new IllegalArgumentException(
                    SWITCH + " must be auto, embedded or testcontainers, not " + mode);
        };
    }

    private static Optional<PostgresServerProvider> available(List<PostgresServerProvider> providers) {
        return providers.stream().filter(PostgresServerProvider::isAvailable).findFirst();
    }

    private static List<PostgresServerProvider> providers() {
        return ServiceLoader.load(PostgresServerProvider.class, SharedPostgresServer.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }
}
