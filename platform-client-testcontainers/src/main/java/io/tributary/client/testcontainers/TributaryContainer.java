package io.tributary.client.testcontainers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import io.tributary.client.test.TestBrokerLaunch;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A single Tributary broker in Docker, on the project's image ({@value #DEFAULT_IMAGE}, built by the repository's
 * Dockerfile: {@code docker build --build-arg MODULE=platform-broker -t tributary/platform-broker:0.1.0-SNAPSHOT .}),
 * as Testcontainers' Kafka and Redpanda modules offer theirs. With Spring Boot, {@code @ServiceConnection} on a
 * {@code @Container} field connects the service's Kafka clients to it ({@link TributaryContainerConnectionDetailsFactory}).
 * <p>
 * A broker advertises the address it listens on, so the container publishes its Kafka port on the same port number
 * of the Docker host (a free one, chosen when the container is created) and advertises the Docker host: the address
 * a client is handed back is the one it connected with. The settings and the readiness check are those of the
 * embedded broker ({@link TestBrokerLaunch}); the container is ready once the broker answers a Metadata request and
 * lists itself under {@link #getBootstrapServers()}.
 */
public class TributaryContainer extends GenericContainer<TributaryContainer> {

    /** The project's broker image. */
    public static final String DEFAULT_IMAGE = "tributary/platform-broker:0.1.0-SNAPSHOT";

    private static final DockerImageName IMAGE_NAME = DockerImageName.parse("tributary/platform-broker");

    private final int port;
    private final Map<String, String> brokerSettings = new LinkedHashMap<>();

    public TributaryContainer() {
        this(DockerImageName.parse(DEFAULT_IMAGE));
    }

    public TributaryContainer(String image) {
        this(DockerImageName.parse(image));
    }

    /** On another tag or registry of the broker image; declare other names compatible with {@code tributary/platform-broker}. */
    public TributaryContainer(DockerImageName image) {
        this(image, freePort());
    }

    TributaryContainer(DockerImageName image, int port) {
        super(image);
        image.assertCompatibleWith(IMAGE_NAME);
        this.port = port;
        addFixedExposedPort(port, port);
        waitingFor(new TributaryWaitStrategy(port).withStartupTimeout(Duration.ofMinutes(2)));
    }

    /** A broker setting, such as {@code tributary.broker.num-partitions=3}. */
    public TributaryContainer withBrokerSetting(String key, String value) {
        brokerSettings.put(key, value);
        return self();
    }

    @Override
    protected void configure() {
        setCommand(command(getHost()));
    }

    /** The broker's command line when the Docker host is {@code advertisedHost}. */
    String[] command(String advertisedHost) {
        return TestBrokerLaunch.arguments(TestBrokerLaunch.container(port, advertisedHost, brokerSettings))
                .toArray(String[]::new);
    }

    /** {@code <docker host>:<port>}, for {@code bootstrap.servers}. */
    public String getBootstrapServers() {
        return getHost() + ":" + port;
    }

    /** The Kafka port, the same inside the container and on the Docker host. */
    public int getKafkaPort() {
        return port;
    }

    // Free on this machine, which is the Docker host of a local engine; a remote engine may have it taken, and then
    // the container fails to start with the port named.
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for the broker container", e);
        }
    }
}
