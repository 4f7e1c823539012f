package io.tributary.client.test;

import java.util.List;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;

/**
 * An embedded broker's address as Spring Boot's {@link KafkaConnectionDetails}. A class of its own so that the test
 * support loads Boot's Kafka module only where the service has it.
 * <p>
 * The embedded broker listens in plaintext, so its connection details say PLAINTEXT, as Boot's Testcontainers
 * connection details do: a service whose configuration secures its clients for the real cluster
 * ({@code tributary.security.*}, {@code spring.kafka.security.protocol}) still reaches it.
 */
final class EmbeddedTributaryConnectionDetails implements KafkaConnectionDetails {

    private final EmbeddedTributaryBroker broker;

    private EmbeddedTributaryConnectionDetails(EmbeddedTributaryBroker broker) {
        this.broker = broker;
    }

    static KafkaConnectionDetails of(EmbeddedTributaryBroker broker) {
        return new EmbeddedTributaryConnectionDetails(broker);
    }

    /** Asked each time, though the address outlives a {@link EmbeddedTributaryBroker#restart()}. */
    @Override
    public List<String> getBootstrapServers() {
        return List.of(broker.bootstrapServers());
    }

    @Override
    public String getSecurityProtocol() {
        return "PLAINTEXT";
    }

    @Override
    public String toString() {
        return "EmbeddedTributaryConnectionDetails[" + broker.bootstrapServers() + "]";
    }
}
