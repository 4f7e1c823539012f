package io.tributary.client.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.events.EventType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * A service connected to a broker container by {@code @ServiceConnection}. Needs Docker and the broker image
 * (see docs/starter.md, Testcontainers); skipped where Docker does not answer.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(properties = {"spring.application.name=container-test", "tributary.test.postgres=embedded"})
class TributaryContainerServiceConnectionTest {

    @Container
    @ServiceConnection
    static final TributaryContainer tributary = new TributaryContainer();

    @Autowired
    KafkaConnectionDetails connectionDetails;

    @Autowired
    EventPublisher publisher;

    @Autowired
    Greetings greetings;

    @Test
    void theServicesClientsConnectToTheContainer() throws Exception {
        assertThat(connectionDetails.getBootstrapServers()).containsExactly(tributary.getBootstrapServers());
        publisher.publish("greetings", "k", new Greeted("hello")).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> greetings.received.contains(new Greeted("hello")));
    }

    @SpringBootApplication
    static class Service {

        @Bean
        Greetings greetings() {
            return new Greetings();
        }
    }

    @EventType("Greeted")
    record Greeted(String text) {
    }

    static class Greetings {

        final List<Greeted> received = new CopyOnWriteArrayList<>();

        @KafkaListener(topics = "greetings")
        void on(Greeted greeted) {
            received.add(greeted);
        }
    }
}
