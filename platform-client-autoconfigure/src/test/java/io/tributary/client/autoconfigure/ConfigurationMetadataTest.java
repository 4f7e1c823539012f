package io.tributary.client.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata IDEs complete {@code application.yml} from: every {@code tributary.*} property is
 * described, moved keys are deprecated with a replacement that Spring Boot knows, and the platform's
 * {@code spring.kafka.*} defaults name real Boot properties.
 */
class ConfigurationMetadataTest {

    private static final Map<String, JsonNode> tributary = new HashMap<>();
    private static final Map<String, JsonNode> all = new HashMap<>();

    @BeforeAll
    static void readMetadata() throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                boolean ours = !url.toString().contains(".jar!");
                for (JsonNode property : mapper.readTree(in).path("properties")) {
                    all.put(property.get("name").asString(), property);
                    if (ours) {
                        tributary.put(property.get("name").asString(), property);
                    }
                }
            }
        }
    }

    @Test
    void everyPropertyOfTheStarterIsDescribed() {
        assertThat(tributary).containsKeys("tributary.bootstrap-servers", "tributary.client.enabled",
                "tributary.topics", "tributary.retry.max-attempts", "tributary.dead-letter.suffix",
                "tributary.admin.timeout", "tributary.metrics.lag-interval", "tributary.outbox.poll-interval",
                "tributary.idempotence.retention", "management.health.tributary.enabled");
        assertThat(tributary.values()).allSatisfy(property -> assertThat(property.path("description").asString())
                .as(property.get("name").asString()).isNotBlank());
        assertThat(tributary.get("tributary.retry.max-attempts").path("defaultValue").asInt()).isEqualTo(3);
    }

    @Test
    void securityPropertiesAreDescribedWithTheirDefaults() {
        assertThat(tributary).containsKeys("tributary.security.protocol", "tributary.security.sasl.mechanism",
                "tributary.security.sasl.username", "tributary.security.sasl.password", "tributary.security.ssl.bundle");
        assertThat(tributary.get("tributary.security.sasl.mechanism").path("defaultValue").asString())
                .isEqualTo("SCRAM-SHA-512");
        assertThat(tributary.get("tributary.security.protocol").path("type").asString())
                .endsWith("TributaryClientProperties$Security$Protocol");
    }

    @Test
    void movedKeysAreDeprecatedInFavourOfSpringBootsKafkaProperties() {
        Map<String, String> moved = new HashMap<>(TributaryKafkaDefaults.MOVED);
        moved.putAll(TributaryKafkaDefaults.MOVED_DURATIONS);
        moved.putAll(TributaryKafkaDefaults.MOVED_MAPS);
        assertThat(moved).hasSize(13);
        moved.forEach((old, replacement) -> {
            JsonNode property = tributary.get(old);
            assertThat(property).as(old).isNotNull();
            String declared = property.path("deprecation").path("replacement").asString();
            assertThat(declared).as(old).isEqualTo(replacement.replace("[", ".").replace("]", ""));
            assertThat(isBootProperty(replacement)).as(replacement).isTrue();
        });
    }

    @Test
    void thePlatformsDefaultsAreSpringBootKafkaProperties() {
        assertThat(TributaryKafkaDefaults.defaults().keySet()).allSatisfy(key -> assertThat(isBootProperty(key))
                .as(key).isTrue());
        assertThat(List.of(TributarySecuritySettings.PROTOCOL, TributarySecuritySettings.SSL_BUNDLE,
                TributarySecuritySettings.SASL_MECHANISM, TributarySecuritySettings.SASL_JAAS_CONFIG))
                .allSatisfy(key -> assertThat(isBootProperty(key)).as(key).isTrue());
    }

    // spring.kafka.producer.properties[linger.ms] belongs to the map spring.kafka.producer.properties.
    private static boolean isBootProperty(String key) {
        String name = key.contains("[") ? key.substring(0, key.indexOf('[')) : key;
        JsonNode property = all.get(name);
        return property != null && (key.equals(name) || property.path("type").asString().startsWith("java.util.Map"));
    }
}
