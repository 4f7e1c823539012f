package io.tributary.client.testcontainers;

import java.util.List;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

/**
 * {@code @ServiceConnection} for a {@link TributaryContainer}: Spring Boot's Kafka auto-configuration connects every
 * client of the service to it. Registered in {@code META-INF/spring.factories}, as Boot's own Kafka and Redpanda
 * factories are.
 */
class TributaryContainerConnectionDetailsFactory
        extends ContainerConnectionDetailsFactory<TributaryContainer, KafkaConnectionDetails> {

    TributaryContainerConnectionDetailsFactory() {
        super(ANY_CONNECTION_NAME);
    }

    @Override
    protected KafkaConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<TributaryContainer> source) {
        return new TributaryContainerConnectionDetails(source);
    }

    static final class TributaryContainerConnectionDetails extends ContainerConnectionDetails<TributaryContainer>
            implements KafkaConnectionDetails {

        private TributaryContainerConnectionDetails(ContainerConnectionSource<TributaryContainer> source) {
            super(source);
        }

        @Override
        public List<String> getBootstrapServers() {
            return List.of(getContainer().getBootstrapServers());
        }

        // Public, as KafkaConnectionDetails declares it: an @Ssl annotation next to @ServiceConnection, if any.
        @Override
        public SslBundle getSslBundle() {
            return super.getSslBundle();
        }
    }
}
