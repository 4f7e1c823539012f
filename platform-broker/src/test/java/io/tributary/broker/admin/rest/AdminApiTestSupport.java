package io.tributary.broker.admin.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import io.tributary.broker.config.BrokerConfiguration;
import org.apache.kafka.clients.CommonClientConfigs;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running broker (HTTP and Kafka on random ports) and a small JSON client for its admin API. The
 * test classes share one broker, started once on a fresh data directory under {@code target/}, so
 * each test names its own topics and groups.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class AdminApiTestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Path dataDir = freshDataDir();

    private static Path freshDataDir() {
        try {
            Path target = Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(target, "admin-rest-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void brokerProperties(DynamicPropertyRegistry registry) {
        registry.add("tributary.broker.data-dir", () -> dataDir.toString());
        registry.add("tributary.broker.port", () -> 0);
        registry.add("tributary.broker.group.initial-rebalance-delay", () -> "0ms");
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    BrokerConfiguration.KafkaListener kafkaListener;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** An HTTP answer with its body parsed as JSON (a missing node when there is none). */
    record Response(int status, HttpHeaders headers, JsonNode body) {

        String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }
    }

    String bootstrapServers() {
        return "localhost:" + kafkaListener.port();
    }

    Map<String, Object> clientConfig() {
        return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    Response post(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(json(body)).header("Content-Type", "application/json"));
    }

    Response patch(String path, Object body) {
        return send(HttpRequest.newBuilder(uri(path)).method("PATCH", json(body)).header("Content-Type", "application/json"));
    }

    Response postRaw(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    /** Asserts an RFC 9457 problem detail with this status. */
    static void assertProblem(Response response, int status) {
        org.assertj.core.api.Assertions.assertThat(response.status()).as("status of %s", response.body()).isEqualTo(status);
        org.assertj.core.api.Assertions.assertThat(response.contentType()).startsWith("application/problem+json");
        org.assertj.core.api.Assertions.assertThat(response.body().path("status").asInt()).isEqualTo(status);
        org.assertj.core.api.Assertions.assertThat(response.body().path("detail").asString()).isNotBlank();
    }

    /** Asserts a problem detail carrying a Kafka error. */
    static void assertProblem(Response response, int status, String kafkaError) {
        assertProblem(response, status);
        org.assertj.core.api.Assertions.assertThat(response.body().path("kafkaError").asString()).isEqualTo(kafkaError);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + httpPort + path);
    }

    private static HttpRequest.BodyPublisher json(Object body) {
        return HttpRequest.BodyPublishers.ofString(body instanceof String text ? text : JSON.writeValueAsString(body));
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
            return new Response(response.statusCode(), response.headers(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
