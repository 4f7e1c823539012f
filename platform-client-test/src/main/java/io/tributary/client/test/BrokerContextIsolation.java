package io.tributary.client.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;

/**
 * Keeps an embedded broker from taking on the configuration of the service whose test JVM it runs in.
 * That JVM's classpath holds the service's {@code application.properties}, its database drivers, Flyway and
 * the Tributary client; a broker context reading them would bind the service's settings or fail for want of
 * a datasource URL.
 */
final class BrokerContextIsolation {

    /**
     * Auto-configurations a service brings for itself. Spring Boot 4 names them by module
     * ({@code org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration}, ...), so a prefix covers a
     * module; the client's own are matched by prefix because they are still being added to.
     */
    private static final List<String> SERVICE_AUTO_CONFIGURATION_PREFIXES = List.of(
            "io.tributary.client.",
            "org.springframework.boot.jdbc.",
            "org.springframework.boot.sql.",
            "org.springframework.boot.flyway.",
            "org.springframework.boot.liquibase.",
            "org.springframework.boot.jooq.",
            "org.springframework.boot.r2dbc.",
            "org.springframework.boot.hibernate.",
            "org.springframework.boot.jpa.",
            "org.springframework.boot.data.",
            "org.springframework.boot.transaction.",
            "org.springframework.boot.kafka.");

    private BrokerContextIsolation() {
    }

    /** Settings that turn off what a second Spring Boot application in the same JVM would clash with. */
    static Map<String, String> settings(ClassLoader classLoader) {
        Map<String, String> settings = new LinkedHashMap<>();
        // Neither the service's application.* nor the broker jar's own application.yml is read.
        settings.put("spring.config.name", "tributary-embedded-broker");
        List<String> excluded = serviceAutoConfigurations(classLoader);
        if (!excluded.isEmpty()) {
            settings.put("spring.autoconfigure.exclude", String.join(",", excluded));
        }
        settings.put("tributary.client.enabled", "false");
        // Both contexts would register the same MBean names, and the broker's meters would show up in the service's.
        settings.put("spring.jmx.enabled", "false");
        settings.put("management.metrics.use-global-registry", "false");
        return settings;
    }

    /**
     * Exact names rather than an {@code AutoConfigurationImportFilter}: such a filter is registered for every
     * application in the JVM, the service's included, while an exclusion list reaches only the broker.
     */
    static List<String> serviceAutoConfigurations(ClassLoader classLoader) {
        return ImportCandidates.load(AutoConfiguration.class, classLoader).getCandidates().stream()
                .filter(name -> SERVICE_AUTO_CONFIGURATION_PREFIXES.stream().anyMatch(name::startsWith))
                .distinct()
                .toList();
    }

    /**
     * An environment without the JVM's system properties and environment variables, so that a CI's
     * {@code SPRING_PROFILES_ACTIVE} or a service's {@code -Dspring.datasource.url} does not reach the broker:
     * it sees only the settings it is started with.
     */
    static ConfigurableEnvironment environment() {
        return new StandardEnvironment() {
            @Override
            protected void customizePropertySources(MutablePropertySources propertySources) {
            }
        };
    }
}
