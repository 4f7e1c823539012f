package io.tributary.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A data directory with less free space than {@code tributary.broker.health.min-free-space} makes
 * the broker DOWN. (A read-only directory is covered by {@link LogDirectoryHealthIndicatorTest}:
 * tests may run as root, which writes regardless of permissions.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LowFreeSpaceHealthHttpTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void brokerProperties(DynamicPropertyRegistry registry) {
        registry.add("tributary.broker.data-dir", () -> dataDir.toString());
        registry.add("tributary.broker.port", () -> 0);
        registry.add("tributary.broker.host", () -> "127.0.0.1");
        registry.add("tributary.broker.health.min-free-space", () -> "1000000TB");
    }

    @LocalServerPort
    int httpPort;

    @Test
    void healthIsDownWithThePathTheFreeSpaceAndTheThreshold() {
        HttpResponse<String> response = new ActuatorClient(httpPort).get("/actuator/health");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"status\":\"DOWN\"")
                .containsPattern("\"logDirectory\":\\{\"details\":\\{[^}]*\"error\":\"free space below the threshold\"\\},\"status\":\"DOWN\"")
                .contains("\"threshold\":" + 1_000_000L * 1024 * 1024 * 1024 * 1024)
                .contains("\"path\":", "\"free\":")
                .containsPattern("\"kafkaListener\":\\{\"details\":\\{[^}]*\\},\"status\":\"UP\"");
    }
}
