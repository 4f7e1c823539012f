package io.tributary.broker.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.tributary.broker.admin.service.TopicAdmin;
import io.tributary.broker.config.BrokerConfiguration;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * The console against a real broker: one application context (MockMvc in front of the servlet layer,
 * the Kafka listener on a random port) on a fresh data directory under {@code target/}, shared by
 * every console test class, so each test names its own topics and groups. The history samples every
 * 100 ms so that the charts' endpoints have data within a test.
 */
@SpringBootTest
@AutoConfigureMockMvc
abstract class ConsoleTestSupport {

    private static final Path dataDir = freshDataDir();

    private static Path freshDataDir() {
        try {
            Path target = Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(target, "console-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void brokerProperties(DynamicPropertyRegistry registry) {
        registry.add("tributary.broker.data-dir", () -> dataDir.toString());
        registry.add("tributary.broker.port", () -> 0);
        registry.add("tributary.broker.group.initial-rebalance-delay", () -> "0ms");
        registry.add("tributary.console.sample-interval", () -> "100ms");
        registry.add("tributary.console.history", () -> "10m");
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    TopicAdmin topicAdmin;

    @Autowired
    BrokerConfiguration.KafkaListener kafkaListener;

    String bootstrapServers() {
        return "localhost:" + kafkaListener.port();
    }

    Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    KafkaProducer<String, String> producer() {
        Map<String, Object> config = clientConfig();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(config);
    }

    /** Creates a topic through the service the console calls (not through the page under test). */
    void createTopic(String name, int partitions) {
        topicAdmin.create(new TopicAdmin.CreateTopic(name, partitions, 1, Map.of()));
    }

    /** A form post as a browser sends it. */
    static MockHttpServletRequestBuilder form(MockHttpServletRequestBuilder request, String... namesAndValues) {
        request.contentType(MediaType.APPLICATION_FORM_URLENCODED);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            request.param(namesAndValues[i], namesAndValues[i + 1]);
        }
        return request;
    }

    static String body(MvcResult result) {
        try {
            return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text as Thymeleaf writes it into HTML (th:text and th:value escape these five characters). */
    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    /** Asserts a console page (HTML, not a stack trace nor a JSON problem) that shows {@code message}. */
    static void assertPageShows(MvcResult result, int status, String message) {
        assertThat(result.getResponse().getStatus()).as("status; page:%n%s", body(result)).isEqualTo(status);
        assertThat(result.getResponse().getContentType()).startsWith("text/html");
        String page = body(result);
        assertThat(page).contains("Tributary <span>Console</span>");
        assertThat(page).contains(html(message));
        assertNoStackTrace(page);
    }

    static void assertNoStackTrace(String page) {
        assertThat(page).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at io.tributary")
                .doesNotContain("Whitelabel");
    }

    /** The {@code <pre>} values of the records table in a messages page, in the order shown. */
    static List<String> shownValues(String page) {
        int table = page.indexOf("id=\"records\"");
        if (table < 0) {
            return List.of();
        }
        String rows = page.substring(table, page.indexOf("</table>", table));
        return java.util.regex.Pattern.compile("<pre>([^<]*)</pre>").matcher(rows).results()
                .map(m -> m.group(1)).toList();
    }
}
