package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.compat.RawKafkaClient;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Kafka clients are served before the web side is built: the broker application is started with a web server
 * whose building is held at a gate (a web server factory customizer, applied when Spring builds the web server)
 * until a Kafka client has had its ApiVersions answer. Were the listener still started after the web server, the
 * client would wait for the gate, and the gate for the client.
 */
class KafkaListenerBeforeWebSideTest {

    /** Longer than the client waits, so that a listener started after the gate shows as a failed wait, not a pass. */
    private static final Duration GATE_HOLD = Duration.ofMinutes(5);
    private static final Duration CLIENT_WAIT = Duration.ofMinutes(2);

    @TempDir
    Path dataDir;

    @Test
    void theKafkaListenerAnswersWhileTheWebServerIsStillBeingBuiltAndTheWebSideFollows() throws Exception {
        int kafkaPort = TestPorts.free();
        WebSideGate gate = new WebSideGate();
        CompletableFuture<ConfigurableApplicationContext> started = CompletableFuture.supplyAsync(() ->
                new SpringApplicationBuilder(TributaryBrokerApplication.class)
                        .web(WebApplicationType.SERVLET)
                        .initializers(context -> ((GenericApplicationContext) context)
                                .registerBean(WebSideGate.class, () -> gate))
                        .run("--tributary.broker.data-dir=" + dataDir, "--tributary.broker.port=" + kafkaPort,
                                "--tributary.broker.host=127.0.0.1", "--server.port=0", "--spring.main.banner-mode=off"));
        try {
            ApiVersionsResponse answer = await().atMost(CLIENT_WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> apiVersions(kafkaPort), response -> response != null);

            assertThat(Errors.forCode(answer.data().errorCode())).isEqualTo(Errors.NONE);
            assertThat(answer.apiVersion(ApiKeys.PRODUCE.id)).isNotNull();
            await().atMost(CLIENT_WAIT).until(gate::reached); // the web server is being built, held at the gate
            assertThat(started).isNotDone();

            gate.open();
            try (ConfigurableApplicationContext context = started.get(CLIENT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                int httpPort = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
                HttpResponse<String> health = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"UP\"");
            }
        } finally {
            gate.open();
            started.thenAccept(ConfigurableApplicationContext::close);
        }
    }

    private static ApiVersionsResponse apiVersions(int port) {
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", port)) {
            return client.call(new ApiVersionsRequest.Builder().build((short) 3));
        }
    }

    /** Holds the building of the web server until the test opens it. */
    static final class WebSideGate implements WebServerFactoryCustomizer<WebServerFactory> {
        private final CountDownLatch opened = new CountDownLatch(1);
        private volatile boolean reached;

        @Override
        public void customize(WebServerFactory factory) {
            reached = true;
            try {
                opened.await(GATE_HOLD.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        boolean reached() {
            return reached;
        }

        void open() {
            opened.countDown();
        }
    }
}
