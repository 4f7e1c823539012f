package io.tributary.client.autoconfigure;

import java.util.Arrays;
import java.util.List;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;

/**
 * Where the cluster is, from {@code tributary.bootstrap-servers}: Spring Boot's Kafka auto-configuration, the
 * admin client, the health indicator and the endpoint all connect there. Defined only when that property is set;
 * otherwise {@code spring.kafka.bootstrap-servers} (or a test's or Docker Compose's connection details) apply.
 */
final class TributaryConnectionDetails implements KafkaConnectionDetails {

    private final List<String> bootstrapServers;

    TributaryConnectionDetails(String bootstrapServers) {
        this.bootstrapServers = Arrays.stream(bootstrapServers.split(",")).map(String::trim)
                .filter(server -> !server.isEmpty()).toList();
    }

    @Override
    public List<String> getBootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public String toString() {
        return "TributaryConnectionDetails" + bootstrapServers;
    }
}
