package io.tributary.broker.admin.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import io.tributary.broker.security.ScramUsers;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The HTTP side of a broker whose Kafka listener authenticates with SASL: HTTP Basic against the same
 * SCRAM users, liveness and readiness open to orchestrators, everything else closed to strangers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HttpAuthenticationTest {

    @DynamicPropertySource
    static void brokerProperties(DynamicPropertyRegistry registry) throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "http-auth-test-");
        registry.add("tributary.broker.data-dir", dataDir::toString);
        registry.add("tributary.broker.listeners", () -> "SASL_PLAINTEXT://127.0.0.1:0");
        for (String[] property : ScramUsers.bootstrapProperties(0, "alice", "alice-secret")) {
            registry.add(property[0], () -> property[1]);
        }
    }

    @LocalServerPort
    int httpPort;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void strangersAreAskedToAuthenticate() throws Exception {
        for (String path : new String[] {"/api/topics", "/console", "/actuator/prometheus", "/actuator/health", "/v3/api-docs"}) {
            HttpResponse<String> response = get(path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(
                    value -> assertThat(value).startsWith("Basic realm=\"Tributary\""));
        }
    }

    @Test
    void livenessAndReadinessStayOpen() throws Exception {
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aUserOfTheKafkaListenersSignsInWithTheSamePassword() throws Exception {
        assertThat(get("/api/topics", basic("alice", "alice-secret")).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health", basic("alice", "alice-secret")).body()).contains("\"components\"");
        assertThat(get("/console", basic("alice", "alice-secret")).statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordAndAnUnknownUserAreRefusedAlike() throws Exception {
        assertThat(get("/api/topics", basic("alice", "wrong")).statusCode()).isEqualTo(401);
        assertThat(get("/api/topics", basic("mallory", "alice-secret")).statusCode()).isEqualTo(401);
    }

    @Test
    void theAdminApiTakesNoCsrfTokenButTheConsoleFormsDo() throws Exception {
        HttpResponse<String> api = send(HttpRequest.newBuilder(uri("/api/topics")).header("Authorization", basic("alice", "alice-secret"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"http-auth-created\",\"partitions\":1}")));
        assertThat(api.statusCode()).isEqualTo(201);
        HttpResponse<String> form = send(HttpRequest.newBuilder(uri("/console/topics")).header("Authorization", basic("alice", "alice-secret"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=http-auth-forged&partitions=1")));
        assertThat(form.statusCode()).isEqualTo(403);
        assertThat(get("/console/topics", basic("alice", "alice-secret")).body()).contains("name=\"_csrf\"");
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
