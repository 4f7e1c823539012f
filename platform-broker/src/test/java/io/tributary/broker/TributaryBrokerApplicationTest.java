package io.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import io.tributary.broker.cluster.LogDirFailureShutdown;
import io.tributary.broker.config.BrokerProperties;
import io.tributary.broker.config.LogDirFailure;
import io.tributary.broker.log.LogDirFailureListener;
import io.tributary.broker.log.LogManager;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TributaryBrokerApplicationTest {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void brokerProperties(DynamicPropertyRegistry registry) {
        registry.add("tributary.broker.data-dir", () -> dataDir.toString());
        registry.add("tributary.broker.port", () -> 0);
        registry.add("tributary.broker.log.segment-bytes", () -> "64MB");
    }

    @LocalServerPort
    int httpPort;

    @Autowired
    BrokerProperties properties;

    @Autowired
    LogManager logManager;

    @Autowired
    LogDirFailureListener logDirFailureListener;

    @Test
    void propertiesBindAndTheLogManagerOwnsTheConfiguredDataDirectory() {
        assertThat(properties.getDataDir()).isEqualTo(dataDir);
        assertThat(properties.getLog().toLogConfig().segmentBytes()).isEqualTo(64 * 1024 * 1024);
        assertThat(logManager.dataDir()).isEqualTo(dataDir.toAbsolutePath().normalize());
        assertThat(logManager.getOrCreateLog(new TopicPartition("t", 0)).dir()).startsWith(logManager.dataDir());
    }

    @Test
    void aBrokerEmbeddedInAnotherJvmNeverEndsItWhenItsDiskFails() {
        assertThat(properties.getLogDirFailure()).isEqualTo(LogDirFailure.AUTO);
        assertThat(logDirFailureListener).isNotInstanceOf(LogDirFailureShutdown.class);
    }

    @Test
    void actuatorHealthAnswersOnTheHttpPort() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }
}
