package io.tributary.client.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Which compose services give a service its Kafka connection, and where to, as Boot's Docker Compose support would
 * ask once the services run; here with running services described by hand, without Docker.
 */
class TributaryDockerComposeConnectionDetailsFactoryTest {

    private final TributaryDockerComposeConnectionDetailsFactory factory = new TributaryDockerComposeConnectionDetailsFactory();

    @Test
    void aBrokerServiceOfTheProjectsImageGivesItsPublishedKafkaPort() throws Exception {
        KafkaConnectionDetails details = factory.getConnectionDetails(
                source(service("broker-0", "tributary/platform-broker:0.1.0-SNAPSHOT", Map.of(), 9092, 19092)));
        assertThat(details).isNotNull();
        assertThat(details.getBootstrapServers()).containsExactly("127.0.0.1:19092");
    }

    @Test
    void aBrokerWithAHostFacingListenerIsReachedThroughIt() throws Exception {
        KafkaConnectionDetails details = factory.getConnectionDetails(source(service("broker-0",
                "tributary/platform-broker:0.1.0-SNAPSHOT", Map.of(), Map.of(9092, 19092, 9094, 9094))));
        assertThat(details.getBootstrapServers()).containsExactly("127.0.0.1:9094");
    }

    @Test
    void aServiceOfAnotherImageIsNotABroker() throws Exception {
        assertThat(factory.getConnectionDetails(source(service("postgres", "postgres:16", Map.of(), 5432, 5432))))
                .isNull();
        assertThat(factory.getConnectionDetails(source(service("orders", "wt-starter-orders", Map.of(), 8081, 8081))))
                .isNull();
    }

    @Test
    void aLabelMakesAnyImageTheBroker() throws Exception {
        KafkaConnectionDetails details = factory.getConnectionDetails(source(service("broker", "registry.example/broker:1",
                Map.of("org.springframework.boot.service-connection", "tributary/platform-broker"), 9092, 29092)));
        assertThat(details.getBootstrapServers()).containsExactly("127.0.0.1:29092");
    }

    @Test
    void theFactoryIsRegisteredAsBootsOwnAre() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ConnectionDetailsFactory.class,
                SpringFactoriesLoader.FailureHandler.logging(LogFactory.getLog(getClass()))))
                .hasAtLeastOneElementOfType(TributaryDockerComposeConnectionDetailsFactory.class);
    }

    /**
     * In the project's docker-compose.yml, one broker gives the connection: broker-0, through its host-facing
     * listener on 9094 of the host; every broker publishes such a listener, advertised as localhost.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theProjectsComposeFileHasOneBrokerServiceForBootAndPublishesItsKafkaPort() throws Exception {
        Map<String, Object> compose;
        try (java.io.Reader reader = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("..", "docker-compose.yml"))) {
            compose = new org.yaml.snakeyaml.Yaml().load(reader);
        }
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        List<String> brokers = services.entrySet().stream()
                .filter(e -> String.valueOf(e.getValue().get("image")).startsWith(TributaryDockerComposeConnectionDetailsFactory.IMAGE + ":"))
                .filter(e -> !"true".equals(((Map<String, Object>) e.getValue().getOrDefault("labels", Map.of()))
                        .get("org.springframework.boot.ignore")))
                .map(Map.Entry::getKey).toList();
        assertThat(brokers).containsExactly("broker-0");
        assertThat((List<Object>) services.get("broker-0").get("ports")).contains("9094:9094");
        for (String broker : List.of("broker-0", "broker-1", "broker-2")) {
            Map<String, Object> environment = (Map<String, Object>) services.get(broker).get("environment");
            assertThat(String.valueOf(environment.get("TRIBUTARY_BROKER_ADVERTISEDLISTENERS"))).as(broker)
                    .startsWith("INTERNAL://" + broker + ":9092,EXTERNAL://").contains("localhost");
        }
    }

    // Boot creates sources itself, once docker compose ps listed the running services.
    private static DockerComposeConnectionSource source(RunningService service) throws Exception {
        Constructor<DockerComposeConnectionSource> constructor = DockerComposeConnectionSource.class
                .getDeclaredConstructor(RunningService.class, org.springframework.core.env.Environment.class);
        constructor.setAccessible(true);
        return constructor.newInstance(service, new StandardEnvironment());
    }

    private static RunningService service(String name, String image, Map<String, String> labels, int containerPort,
            int hostPort) {
        return service(name, image, labels, Map.of(containerPort, hostPort));
    }

    private static RunningService service(String name, String image, Map<String, String> labels, Map<Integer, Integer> published) {
        return new RunningService() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ImageReference image() {
                return ImageReference.of(image);
            }

            @Override
            public String host() {
                return "127.0.0.1";
            }

            @Override
            public ConnectionPorts ports() {
                return new ConnectionPorts() {
                    @Override
                    public int get(int port) {
                        if (!published.containsKey(port)) {
                            throw new IllegalStateException("No host port for container port " + port);
                        }
                        return published.get(port);
                    }

                    @Override
                    public List<Integer> getAll() {
                        return List.copyOf(published.values());
                    }

                    @Override
                    public List<Integer> getAll(String protocol) {
                        return List.copyOf(published.values());
                    }
                };
            }

            @Override
            public Map<String, String> env() {
                return Map.of();
            }

            @Override
            public Map<String, String> labels() {
                return labels;
            }
        };
    }
}
