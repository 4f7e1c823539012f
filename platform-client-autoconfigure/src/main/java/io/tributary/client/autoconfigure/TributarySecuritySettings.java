package io.tributary.client.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import io.tributary.client.autoconfigure.TributaryClientProperties.Security;
import io.tributary.client.autoconfigure.TributaryClientProperties.Security.Protocol;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.springframework.util.StringUtils;

/**
 * {@code tributary.security.*} as the Spring Boot settings that carry it to every client Boot's Kafka
 * auto-configuration builds (producers, consumers, the admin client): {@code spring.kafka.security.protocol},
 * {@code spring.kafka.ssl.bundle}, and {@code sasl.mechanism} and {@code sasl.jaas.config} under
 * {@code spring.kafka.properties}. {@link TributaryKafkaDefaults} adds them beneath the service's own settings, so
 * that any of those keys the service sets wins.
 */
final class TributarySecuritySettings {

    private static final Log logger = LogFactory.getLog(TributarySecuritySettings.class);

    static final String PROTOCOL = "spring.kafka.security.protocol";
    static final String SSL_BUNDLE = "spring.kafka.ssl.bundle";
    static final String SASL_MECHANISM = "spring.kafka.properties[sasl.mechanism]";
    static final String SASL_JAAS_CONFIG = "spring.kafka.properties[sasl.jaas.config]";

    private TributarySecuritySettings() {
    }

    /**
     * The {@code spring.kafka.*} values of {@code security}; none for what it leaves unset.
     *
     * @param explicitProtocol the service's own {@code spring.kafka.security.protocol}, which wins, or null
     * @throws IllegalStateException for a username without a password, or a mechanism with no login module here
     */
    static Map<String, Object> of(Security security, String explicitProtocol) {
        Map<String, Object> settings = new LinkedHashMap<>();
        if (security.getProtocol() != null) {
            settings.put(PROTOCOL, security.getProtocol().name());
        }
        if (StringUtils.hasText(security.getSsl().getBundle())) {
            settings.put(SSL_BUNDLE, security.getSsl().getBundle());
        }
        Security.Sasl sasl = security.getSasl();
        String mechanism = sasl.getMechanism().trim().toUpperCase(Locale.ROOT);
        boolean saslProtocol = security.getProtocol() != null && security.getProtocol().isSasl();
        if (saslProtocol || StringUtils.hasText(sasl.getUsername())) {
            settings.put(SASL_MECHANISM, mechanism);
        }
        if (StringUtils.hasText(sasl.getUsername())) {
            if (sasl.getPassword() == null) {
                throw new IllegalStateException(
                        "tributary.security.sasl.username is set but tributary.security.sasl.password is not");
            }
            String jaasConfig = jaasConfig(mechanism, sasl.getUsername(), sasl.getPassword());
            settings.put(SASL_JAAS_CONFIG, placeholderEscaped(jaasConfig));
            warnWithoutSasl(explicitProtocol != null ? explicitProtocol : (String) settings.get(PROTOCOL));
        }
        return settings;
    }

    /** Kafka's {@code sasl.jaas.config} logging in with the login module of {@code mechanism}. */
    static String jaasConfig(String mechanism, String username, String password) {
        return loginModule(mechanism) + " required username=\"" + quoted(username) + "\" password=\"" + quoted(password)
                + "\";";
    }

    private static String loginModule(String mechanism) {
        return switch (mechanism) {
            case "SCRAM-SHA-512", "SCRAM-SHA-256" -> ScramLoginModule.class.getName();
            case "PLAIN" -> PlainLoginModule.class.getName();
            default -> throw new IllegalStateException("tributary.security.sasl.mechanism=" + mechanism + " is not"
                    + " supported: use SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN, or set spring.kafka.properties.sasl.* instead");
        };
    }

    // Inside a JAAS option's quotes a backslash escapes the next character.
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    // The value is read through the Environment, which would resolve a "${" in a password as a placeholder.
    private static String placeholderEscaped(String value) {
        return value.replace("${", "\\${");
    }

    private static void warnWithoutSasl(String protocol) {
        boolean sasl = protocol != null && (protocol.trim().equalsIgnoreCase(Protocol.SASL_SSL.name())
                || protocol.trim().equalsIgnoreCase(Protocol.SASL_PLAINTEXT.name()));
        if (!sasl) {
            logger.warn("tributary.security.sasl.username is set but the security protocol is " + (protocol == null
                    ? "unset (PLAINTEXT)" : protocol) + ": the clients do not authenticate; set tributary.security.protocol"
                    + " to SASL_SSL or SASL_PLAINTEXT");
        }
    }
}
