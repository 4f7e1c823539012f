package io.tributary.client.docker;

import java.util.List;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;

/**
 * Spring Boot's Docker Compose support for a Tributary broker: a service started with
 * {@code spring-boot-docker-compose} against a compose file with a service of the broker image
 * ({@value #IMAGE}, or labelled {@code org.springframework.boot.service-connection: tributary/platform-broker})
 * connects its Kafka clients to that service's Kafka port ({@value #KAFKA_PORT}) as published on the Docker host.
 * Registered in {@code META-INF/spring.factories}, as Boot's own factories are.
 */
class TributaryDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<KafkaConnectionDetails> {

    static final String IMAGE = "tributary/platform-broker";

    static final int KAFKA_PORT = 9092;

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
            this.bootstrapServers = List.of(service.host() + ":" + service.ports().get(KAFKA_PORT));
        }

        @Override
        public List<String> getBootstrapServers() {
            return bootstrapServers;
        }
    }
}
