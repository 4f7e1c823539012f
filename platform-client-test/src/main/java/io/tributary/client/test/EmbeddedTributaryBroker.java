package io.tributary.client.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import io.tributary.broker.TributaryBrokerApplication;
import io.tributary.broker.config.BrokerConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * A real Tributary broker, the broker's own Spring Boot application, started in this JVM: Kafka listener on
 * 127.0.0.1 and a free port, logs in a fresh temporary directory that {@link #stop()} deletes. It does not read the
 * service's configuration, system properties or environment variables, only the settings it is started with.
 * <p>
 * Thread-safe: {@link #restart()} and {@link #stop()} are serialized; {@link #bootstrapServers()} stays the same
 * across restarts.
 */
public final class EmbeddedTributaryBroker implements AutoCloseable {

    private static final String PORT = "tributary.broker.port";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final Map<String, String> settings;
    private ConfigurableApplicationContext context;
    private int port;
    private boolean stopped;

    private EmbeddedTributaryBroker(Path dataDir, Map<String, String> settings) {
        this.dataDir = dataDir;
        this.settings = settings;
    }

    public static EmbeddedTributaryBroker start() {
        return start(Map.of());
    }

    /**
     * Starts a broker; {@code settings} are broker properties such as {@code tributary.broker.num-partitions=3}
     * and override the defaults of an embedded broker.
     */
    public static EmbeddedTributaryBroker start(Map<String, String> settings) {
        EmbeddedTributaryBroker broker = new EmbeddedTributaryBroker(createDataDir(), Map.copyOf(settings));
        try {
            broker.run();
        } catch (RuntimeException e) {
            broker.deleteDataDir();
            throw e;
        }
        return broker;
    }

    /** {@code 127.0.0.1:<port>}, for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port();
    }

    public synchronized int port() {
        return port;
    }

    /** The broker's own application context, to reach its internals from a test. */
    public synchronized ConfigurableApplicationContext applicationContext() {
        if (context == null) {
            throw new IllegalStateException("The broker is stopped");
        }
        return context;
    }

    /**
     * A clean stop and a start on the same logs and the same port, as a broker that is redeployed: clients
     * reconnect, records and committed offsets are kept.
     */
    public synchronized void restart() {
        if (stopped) {
            throw new IllegalStateException("The broker is stopped");
        }
        if (context != null) {
            SpringApplication.exit(context);
            context = null;
        }
        run();
    }

    /** Stops the broker and deletes its logs; it cannot be started again. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            if (context != null) {
                SpringApplication.exit(context);
                context = null;
            }
        } finally {
            deleteDataDir();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void run() {
        Map<String, String> all = new LinkedHashMap<>(BrokerContextIsolation.settings(getClass().getClassLoader()));
        all.putAll(TestBrokerLaunch.embedded(dataDir.toString(), port, settings));
        if (port != 0) {
            // A restart keeps the address clients know, whatever the settings said.
            all.put(PORT, Integer.toString(port));
        }
        context = new SpringApplicationBuilder(TributaryBrokerApplication.class)
                .main(TributaryBrokerApplication.class) // else the start-up log names the test runner's main class
                .environment(BrokerContextIsolation.environment())
                .web(WebApplicationType.NONE)
                // Its owner stops it (the test context, after the service's beans; the extension, after the class).
                // Spring Boot's shutdown hook would close it at JVM exit before the service's context, whose share
                // consumers then wait out their close timeout (30 s) for a broker that is gone.
                .registerShutdownHook(false)
                .run(TestBrokerLaunch.arguments(all).toArray(String[]::new));
        port = context.getBean(BrokerConfiguration.KafkaListener.class).port();
        TestBrokerLaunch.awaitReady(bootstrapServers(), READY_TIMEOUT);
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("tributary-embedded-broker-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the embedded broker's data directory", e);
        }
    }

    private void deleteDataDir() {
        try {
            FileSystemUtils.deleteRecursively(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete the embedded broker's data directory " + dataDir, e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedTributaryBroker[" + bootstrapServers() + ", " + dataDir + "]";
    }
}
