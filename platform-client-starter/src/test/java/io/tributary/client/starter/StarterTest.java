package io.tributary.client.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.events.EventType;
import io.tributary.client.test.EmbeddedTributary;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.context.annotation.Bean;

/** The starter alone, as a service adds it: one dependency, no configuration, a typed round trip. */
@SpringBootTest(properties = "spring.application.name=starter-test")
@EmbeddedTributary
class StarterTest {

    @Autowired
    EventPublisher publisher;

    @Autowired
    Greetings greetings;

    @Test
    void aServiceWithOnlyTheStarterPublishesAndReceivesTypedEvents() throws Exception {
        publisher.publish("greetings", "k", new Greeted("hello")).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> greetings.received.contains(new Greeted("hello")));
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
