package io.tributary.broker.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.tributary.broker.network.ListenerSecurity;
import io.tributary.broker.security.AuthenticationSettings;
import io.tributary.broker.security.ListenerDefinition;
import io.tributary.broker.security.Listeners;
import io.tributary.broker.security.SaslMechanisms;

/**
 * Turns the listener and security settings into what each listener secures its connections with:
 * a Netty TLS context built from a Spring Boot SSL bundle, the SASL mechanisms over the cluster's
 * SCRAM credentials, and Kafka's principal builder with the certificate mapping rules.
 *
 * <p>Every mistake is reported at start-up, naming the setting to fix, rather than on the first
 * connection.
 */
final class ListenerSecurityFactory {

    private final BrokerProperties.Security settings;
    private final SslBundles bundles;
    private final CredentialCache credentials;

    /** @param bundles {@code null} when no SSL bundle is configured at all */
    ListenerSecurityFactory(BrokerProperties.Security settings, SslBundles bundles, CredentialCache credentials) {
        this.settings = settings;
        this.bundles = bundles;
        this.credentials = credentials;
    }

    List<ListenerSecurity> create(Listeners listeners) {
        for (String named : settings.getListener().keySet()) {
            if (listeners.listener(named).isEmpty()) {
                throw new IllegalArgumentException("tributary.broker.security.listener." + named
                        + " configures a listener that is not among " + listeners.listenersConfig());
            }
        }
        AuthenticationSettings authentication = new AuthenticationSettings(settings.getConnectionFailedAuthenticationDelay(),
                settings.getConnectionsMaxReauth(), Math.toIntExact(settings.getSaslServerMaxReceiveSize().toBytes()));
        DefaultKafkaPrincipalBuilder principals = new DefaultKafkaPrincipalBuilder(null,
                SslPrincipalMapper.fromRules(settings.getSslPrincipalMappingRules()));
        List<ListenerSecurity> secured = new ArrayList<>();
        for (ListenerDefinition listener : listeners.bound()) {
            boolean tls = switch (listener.securityProtocol()) {
                case SSL, SASL_SSL -> true;
                default -> false;
            };
            boolean sasl = switch (listener.securityProtocol()) {
                case SASL_PLAINTEXT, SASL_SSL -> true;
                default -> false;
            };
            BrokerProperties.Security.ListenerTls tlsSettings = tlsSettings(listener.name());
            if (!tls && tlsSettings != null && tlsSettings.getSslBundle() != null) {
                throw new IllegalArgumentException("Listener " + listener.name() + " speaks " + listener.securityProtocol()
                        + ", which has no TLS: remove tributary.broker.security.listener." + listener.name() + ".ssl-bundle");
            }
            secured.add(new ListenerSecurity(listener, tls ? sslContext(listener, tlsSettings) : null,
                    sasl ? new SaslMechanisms(settings.getSaslEnabledMechanisms(), credentials) : null, principals, authentication));
        }
        return secured;
    }

    private BrokerProperties.Security.ListenerTls tlsSettings(String listenerName) {
        for (Map.Entry<String, BrokerProperties.Security.ListenerTls> entry : settings.getListener().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(listenerName)) {
                return entry.getValue();
            }
        }
        return null;
    }

    private SslContext sslContext(ListenerDefinition listener, BrokerProperties.Security.ListenerTls tls) {
        String property = "tributary.broker.security.listener." + listener.name().toLowerCase(Locale.ROOT) + ".ssl-bundle";
        if (tls == null || tls.getSslBundle() == null || tls.getSslBundle().isBlank()) {
            throw new IllegalArgumentException("Listener " + listener.name() + " speaks " + listener.securityProtocol()
                    + " and needs an SSL bundle: set " + property + " to a spring.ssl.bundle.* name");
        }
        SslBundle bundle;
        try {
            if (bundles == null) {
                throw new NoSuchSslBundleException(tls.getSslBundle(), "no SSL bundle is configured");
            }
            bundle = bundles.getBundle(tls.getSslBundle());
        } catch (NoSuchSslBundleException e) {
            throw new IllegalArgumentException(property + " names SSL bundle '" + tls.getSslBundle()
                    + "', which spring.ssl.bundle.* does not define", e);
        }
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory())
                    .trustManager(bundle.getManagers().getTrustManagerFactory())
                    .clientAuth(switch (tls.getSslClientAuth()) {
                        case NONE -> ClientAuth.NONE;
                        case REQUESTED -> ClientAuth.OPTIONAL;
                        case REQUIRED -> ClientAuth.REQUIRE;
                    });
            SslOptions options = bundle.getOptions();
            if (options.getCiphers() != null) {
                builder.ciphers(Arrays.asList(options.getCiphers()));
            }
            if (options.getEnabledProtocols() != null) {
                builder.protocols(options.getEnabledProtocols());
            }
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("SSL bundle '" + tls.getSslBundle() + "' of listener " + listener.name()
                    + " cannot serve TLS: " + e.getMessage(), e);
        }
    }
}
