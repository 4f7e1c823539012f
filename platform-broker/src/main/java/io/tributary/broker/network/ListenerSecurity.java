package io.tributary.broker.network;

import java.util.Objects;
import org.apache.kafka.common.security.auth.KafkaPrincipalBuilder;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;
import io.netty.handler.ssl.SslContext;
import io.tributary.broker.security.AuthenticationSettings;
import io.tributary.broker.security.ListenerDefinition;
import io.tributary.broker.security.SaslMechanisms;

/**
 * Everything a listener needs to secure its connections: the TLS context when its protocol is SSL
 * or SASL_SSL, the SASL mechanisms when it is SASL_PLAINTEXT or SASL_SSL, and the principal builder
 * that names who connected (Kafka's {@link DefaultKafkaPrincipalBuilder}: the certificate subject,
 * mapped by {@code ssl.principal.mapping.rules}, or the SASL user).
 *
 * @param ssl {@code null} unless the protocol uses TLS
 * @param sasl {@code null} unless the protocol uses SASL
 */
public record ListenerSecurity(ListenerDefinition listener, SslContext ssl, SaslMechanisms sasl,
        KafkaPrincipalBuilder principalBuilder, AuthenticationSettings authentication) {

    public ListenerSecurity {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(principalBuilder, "principalBuilder");
        Objects.requireNonNull(authentication, "authentication");
        SecurityProtocol protocol = listener.securityProtocol();
        boolean tls = protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
        boolean usesSasl = protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
        if (tls != (ssl != null)) {
            throw new IllegalArgumentException("Listener " + listener.name() + " (" + protocol + ") "
                    + (tls ? "needs an SSL bundle" : "takes no SSL bundle"));
        }
        if (usesSasl != (sasl != null)) {
            throw new IllegalArgumentException("Listener " + listener.name() + " (" + protocol + ") "
                    + (usesSasl ? "needs SASL mechanisms" : "takes no SASL mechanisms"));
        }
    }

    /** A listener that neither encrypts nor authenticates: every client is {@code User:ANONYMOUS}. */
    public static ListenerSecurity plaintext(ListenerDefinition listener) {
        return new ListenerSecurity(listener, null, null, new DefaultKafkaPrincipalBuilder(null, null), AuthenticationSettings.DEFAULTS);
    }

    public boolean usesSasl() {
        return sasl != null;
    }

    public boolean usesTls() {
        return ssl != null;
    }
}
