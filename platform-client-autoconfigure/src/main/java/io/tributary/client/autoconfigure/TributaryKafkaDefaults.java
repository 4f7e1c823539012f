package io.tributary.client.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The platform's conventions as default values of Spring Boot's own {@code spring.kafka.*} properties, in a
 * property source of the lowest precedence: any {@code spring.kafka.*} the service sets, anywhere, wins. Boot's
 * Kafka auto-configuration then builds the producer, the consumers and the listener containers from them.
 * <p>
 * The {@code tributary.producer.*}, {@code tributary.consumer.*} and {@code tributary.client-id} keys of earlier
 * versions still work: their values replace the platform's defaults, and still lose to {@code spring.kafka.*}.
 * They are deprecated, and a warning names each one's replacement.
 * <p>
 * {@code tributary.security.*} lands in the same property source as the values of Boot's security settings
 * ({@link TributarySecuritySettings}): every client Boot builds connects with it, unless the service sets those
 * {@code spring.kafka.*} keys itself.
 * <p>
 * Registered in {@code META-INF/spring.factories}; does nothing where {@code tributary.client.enabled=false}.
 */
public class TributaryKafkaDefaults implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source this adds. */
    public static final String PROPERTY_SOURCE_NAME = "tributaryKafkaDefaults";

    private static final Log logger = LogFactory.getLog(TributaryKafkaDefaults.class);

    private static final String APPLICATION_NAME = "${spring.application.name:tributary-client}";

    /** The platform's defaults, by {@code spring.kafka.*} key. */
    static Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("spring.kafka.client-id", APPLICATION_NAME);
        // Safe producers: every in-sync replica acknowledges, retried batches are written once, in order.
        defaults.put("spring.kafka.producer.acks", "all");
        defaults.put("spring.kafka.producer.properties[enable.idempotence]", "true");
        defaults.put("spring.kafka.producer.compression-type", "lz4");
        defaults.put("spring.kafka.producer.properties[linger.ms]", "5");
        // Keys are strings, events travel as the JSON bytes EventCodec made; decoding happens in the listener's
        // converter, where a payload that is not valid JSON can still be dead-lettered.
        defaults.put("spring.kafka.producer.key-serializer", "org.apache.kafka.common.serialization.StringSerializer");
        defaults.put("spring.kafka.producer.value-serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        defaults.put("spring.kafka.consumer.key-deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
        defaults.put("spring.kafka.consumer.value-deserializer",
                "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        defaults.put("spring.kafka.consumer.group-id", APPLICATION_NAME);
        defaults.put("spring.kafka.consumer.auto-offset-reset", "earliest");
        // Records of aborted transactions are never handed to a listener, nor those of open ones yet.
        defaults.put("spring.kafka.consumer.isolation-level", "read_committed");
        // The container commits, after the listener handled the records of a poll.
        defaults.put("spring.kafka.consumer.enable-auto-commit", "false");
        defaults.put("spring.kafka.listener.ack-mode", "batch");
        // A trace goes on through the events: W3C trace context in record headers.
        defaults.put("spring.kafka.template.observation-enabled", "true");
        defaults.put("spring.kafka.listener.observation-enabled", "true");
        return defaults;
    }

    /** Deprecated {@code tributary.*} keys whose values move as they are, and where to. */
    static final Map<String, String> MOVED = Map.of(
            "tributary.client-id", "spring.kafka.client-id",
            "tributary.producer.acks", "spring.kafka.producer.acks",
            "tributary.producer.idempotence", "spring.kafka.producer.properties[enable.idempotence]",
            "tributary.producer.compression-type", "spring.kafka.producer.compression-type",
            "tributary.producer.transaction-id-prefix", "spring.kafka.producer.transaction-id-prefix",
            "tributary.consumer.group-id", "spring.kafka.consumer.group-id",
            "tributary.consumer.auto-offset-reset", "spring.kafka.consumer.auto-offset-reset",
            "tributary.consumer.concurrency", "spring.kafka.listener.concurrency",
            "tributary.consumer.max-poll-records", "spring.kafka.consumer.max-poll-records");

    /** Deprecated duration keys, moved to Kafka settings in milliseconds. */
    static final Map<String, String> MOVED_DURATIONS = Map.of(
            "tributary.producer.linger", "spring.kafka.producer.properties[linger.ms]",
            "tributary.producer.delivery-timeout", "spring.kafka.producer.properties[delivery.timeout.ms]");

    /** Deprecated maps of raw Kafka settings. */
    static final Map<String, String> MOVED_MAPS = Map.of(
            "tributary.producer.properties", "spring.kafka.producer.properties",
            "tributary.consumer.properties", "spring.kafka.consumer.properties");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("tributary.client.enabled", Boolean.class, true)
                || environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
            return;
        }
        Map<String, Object> values = defaults();
        values.putAll(deprecatedSettings(environment));
        values.putAll(securitySettings(environment));
        environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, values));
    }

    private static Map<String, Object> deprecatedSettings(ConfigurableEnvironment environment) {
        Map<String, Object> moved = new LinkedHashMap<>();
        MOVED.forEach((old, replacement) -> {
            String value = environment.getProperty(old);
            if (value != null) {
                warn(old, replacement);
                moved.put(replacement, value);
            }
        });
        Binder binder = Binder.get(environment);
        MOVED_DURATIONS.forEach((old, replacement) -> binder.bind(old, Duration.class).ifBound(duration -> {
            warn(old, replacement);
            moved.put(replacement, Long.toString(duration.toMillis()));
        }));
        MOVED_MAPS.forEach((old, replacement) -> binder.bind(old, Bindable.mapOf(String.class, String.class))
                .ifBound(settings -> settings.forEach((key, value) -> {
                    warn(old + "." + key, replacement + "." + key);
                    moved.put(replacement + "[" + key + "]", value);
                })));
        return moved;
    }

    private static Map<String, Object> securitySettings(ConfigurableEnvironment environment) {
        TributaryClientProperties.Security security = Binder.get(environment)
                .bind("tributary.security", TributaryClientProperties.Security.class)
                .orElseGet(TributaryClientProperties.Security::new);
        return TributarySecuritySettings.of(security, environment.getProperty(TributarySecuritySettings.PROTOCOL));
    }

    private static void warn(String old, String replacement) {
        logger.warn("Property '" + old + "' is deprecated: use '" + replacement.replace("[", ".").replace("]", "")
                + "' (Spring Boot's Kafka properties)");
    }

    /** Early, so that other post-processors (and the application's own) see the defaults; they win anyway. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }
}
