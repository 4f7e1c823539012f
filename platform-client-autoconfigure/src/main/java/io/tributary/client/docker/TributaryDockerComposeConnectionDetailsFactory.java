package io.tributary.client.docker;

import java.util.List;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;

/**
 * Spring Boot's Docker Compose support for a Tributary broker: a service started with
 * {@code spring-boot-docker-compose} against a compose file with a service of the broker image
 * ({@value #IMAGE}, or labelled {@code org.springframework.boot.service-connection: tributary/platform-broker})
 * connects its Kafka clients to that service's host-facing listener ({@value #HOST_LISTENER_PORT}) as published on
 * the Docker host, or else to its Kafka port ({@value #KAFKA_PORT}).
 * Registered in {@code META-INF/spring.factories}, as Boot's own factories are.
 */
class TributaryDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<KafkaConnectionDetails> {

    static final String IMAGE = "tributary/platform-broker";

    static final int KAFKA_PORT = 9092;

    /**
     * The container port of a listener that advertises the Docker host's address (an {@code EXTERNAL}
     * listener next to the one the containers use among themselves), used when the service publishes it.
     */
    static final int HOST_LISTENER_PORT = 9094;

    TributaryDockerComposeConnectionDetailsFactory() {
        super(IMAGE);
    }

    @Override
    protected KafkaConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
        return new TributaryDockerComposeConnectionDetails(source.getRunningService());
    }

    static final class TributaryDockerComposeConnectionDetails extends DockerComposeConnectionDetails
            implements KafkaConnectionDetails {

        private final List<String> bootstrapServers;

        TributaryDockerComposeConnectionDetails(RunningService service) {
            super(service);
            this.bootstrapServers = List.of(service.host() + ":" + hostPort(service.ports()));
        }

        /**
         * A broker that advertises container names on 9092 is reached from the host through its host-facing
         * listener, whose Metadata answers name addresses the host can reach; a single-listener broker on 9092.
         */
        private static int hostPort(ConnectionPorts ports) {
            try {
                return ports.get(HOST_LISTENER_PORT);
            } catch (IllegalStateException notPublished) {
                return ports.get(KAFKA_PORT);
            }
        }

        @Override
        public List<String> getBootstrapServers() {
            return bootstrapServers;
        }
    }
}
