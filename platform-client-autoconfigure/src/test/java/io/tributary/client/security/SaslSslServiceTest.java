package io.tributary.client.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import io.tributary.client.actuate.TributaryHealthIndicator;
import io.tributary.client.autoconfigure.TributaryActuatorAutoConfiguration;
import io.tributary.client.autoconfigure.TributaryClientAutoConfiguration;
import io.tributary.client.autoconfigure.TributaryKafkaDefaults;
import io.tributary.client.events.EventPublisher;
import io.tributary.client.events.EventType;
import io.tributary.client.test.EmbeddedTributaryBroker;
import io.tributary.broker.config.BrokerConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import io.tributary.broker.security.TestCertificates;

/**
 * A service on the starter against a broker that admits clients only with SCRAM-SHA-512 over TLS: configured with
 * {@code tributary.security.*} alone and a PEM SSL bundle that trusts the broker's authority, it declares its topic,
 * publishes an event and receives it, and its health says so; with a wrong password, or without the bundle, its
 * health says plainly why it cannot connect.
 */
class SaslSslServiceTest {

    private static final String PASSWORD = "shop \"secret\" ${not-a-placeholder}";

    @TempDir
    static Path dir;

    static TestCertificates certificates;
    static EmbeddedTributaryBroker broker;
    static ConfigurableApplicationContext service;

    @BeforeAll
    static void start() {
        certificates = TestCertificates.create(dir);
        Map<String, String> settings = new LinkedHashMap<>();
        // The plaintext listener comes first: the embedded broker's readiness check speaks plaintext to it.
        settings.put("tributary.broker.listeners", "PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0");
        settings.put("tributary.broker.security.listener.sasl_ssl.ssl-bundle", "broker");
        settings.put("tributary.broker.security.connection-failed-authentication-delay", "10ms");
        certificates.bundleProperties("broker", "broker").forEach(property -> settings.put(
                property.substring(0, property.indexOf('=')), property.substring(property.indexOf('=') + 1)));
        broker = EmbeddedTributaryBroker.start(settings);
        ScramUsers.create(broker.bootstrapServers(), "shop", PASSWORD);
        List<String> args = new ArrayList<>(List.of(serviceSettings(PASSWORD)));
        args.add("tributary.topics.secure-orders.partitions=2");
        args.add("spring.kafka.producer.properties.linger.ms=0");
        service = new SpringApplicationBuilder(SecureShop.class).web(WebApplicationType.NONE)
                .run(args.stream().map(arg -> "--" + arg).toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            SpringApplication.exit(service);
        }
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void theServicePublishesAndReceivesAnEventOverSaslSsl() throws Exception {
        service.getBean(EventPublisher.class).publish("secure-orders", "order-1", new OrderPlaced("order-1"))
                .get(30, TimeUnit.SECONDS);

        OrderListener listener = service.getBean(OrderListener.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> listener.received.contains(new OrderPlaced("order-1")));
        Health health = service.getBean(TributaryHealthIndicator.class).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails().get("brokers")).asString().contains(":" + saslSslPort());
    }

    @Test
    void aWrongPasswordMakesTheHealthDownWithTheReason() {
        healthRunner().withPropertyValues(serviceSettings("not the password")).run(context -> {
            Health health = context.getBean(TributaryHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("error")).asString()
                    .startsWith("authentication failed: SASL_AUTHENTICATION_FAILED")
                    .contains("check tributary.security.sasl.username and tributary.security.sasl.password");
        });
    }

    @Test
    void aBrokerCertificateTheServiceDoesNotTrustMakesTheHealthDownWithTheReason() {
        // Without the bundle the JVM's default trust store applies, which does not know the test authority.
        healthRunner().withPropertyValues(serviceSettings(PASSWORD)).withPropertyValues("tributary.security.ssl.bundle=")
                .run(context -> {
                    Health health = context.getBean(TributaryHealthIndicator.class).health(true);
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails().get("error")).asString().startsWith("SSL handshake failed")
                            .contains("check tributary.security.ssl.bundle");
                });
    }

    /** The service's settings, {@code key=value}: all of its security is in tributary.security.*. */
    private static String[] serviceSettings(String password) {
        return new String[] {"spring.application.name=secure-shop",
                "tributary.bootstrap-servers=127.0.0.1:" + saslSslPort(),
                "tributary.security.protocol=SASL_SSL",
                "tributary.security.sasl.username=shop",
                "tributary.security.sasl.password=" + password.replace("${", "\\${"),
                "tributary.security.ssl.bundle=cluster",
                "spring.ssl.bundle.pem.cluster.truststore.certificate=file:" + certificates.caPem(),
                // This service has no database, though JDBC is on the module's test classpath.
                "spring.autoconfigure.exclude=org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"};
    }

    /** Just the clients and the health indicator, for settings the service would not start with. */
    private static ApplicationContextRunner healthRunner() {
        return new ApplicationContextRunner()
                .withInitializer(context -> new TributaryKafkaDefaults().postProcessEnvironment(context.getEnvironment(),
                        new SpringApplication()))
                .withConfiguration(AutoConfigurations.of(TributaryClientAutoConfiguration.class,
                        TributaryActuatorAutoConfiguration.class, KafkaAutoConfiguration.class, SslAutoConfiguration.class,
                        HealthContributorAutoConfiguration.class));
    }

    private static int saslSslPort() {
        return broker.applicationContext().getBean(BrokerConfiguration.KafkaListener.class).port("SASL_SSL");
    }

    @EventType("SecureOrderPlaced")
    record OrderPlaced(String orderId) {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SecureShop {

        @Bean
        OrderListener orderListener() {
            return new OrderListener();
        }
    }

    static class OrderListener {

        final List<OrderPlaced> received = new CopyOnWriteArrayList<>();

        @KafkaListener(topics = "secure-orders")
        void on(OrderPlaced event) {
            received.add(event);
        }
    }
}
