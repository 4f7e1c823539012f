package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.tributary.broker.admin.history.MetricsHistory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code tributary.console.enabled=false}: no console pages nor history; the admin API stays. Asked
 * over real HTTP, as an operator's browser would.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "tributary.console.enabled=false")
class ConsoleDisabledTest {

    private static final Path dataDir = freshDataDir();

    private static Path freshDataDir() {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "console-disabled-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void brokerProperties(DynamicPropertyRegistry registry) {
        registry.add("tributary.broker.data-dir", () -> dataDir.toString());
        registry.add("tributary.broker.port", () -> 0);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theConsoleIsNotServedAndTheApiIs() throws Exception {
        for (String page : new String[] {"/console", "/console/", "/console/topics", "/console/groups",
                "/console/follow", "/console/api/traffic"}) {
            HttpResponse<String> response = get(page);
            assertThat(response.statusCode()).as("%s: %s", page, response.body()).isEqualTo(404);
            assertThat(response.body()).doesNotContain("Tributary <span>Console</span>");
        }
        assertThat(context.getBeanNamesForType(MetricsHistory.class)).isEmpty();

        HttpResponse<String> topics = get("/api/topics");
        assertThat(topics.statusCode()).isEqualTo(200);
        assertThat(topics.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(topics.body()).startsWith("[");
        assertThat(get("/v3/api-docs").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
