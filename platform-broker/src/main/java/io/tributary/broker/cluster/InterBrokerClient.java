package io.tributary.broker.cluster;

import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * How this broker connects to other brokers' inter-broker listener: the listener's security
 * protocol, the TLS context that trusts the other brokers' certificates (and holds this broker's own,
 * for mutual TLS), and the SASL user it authenticates as.
 *
 * @param ssl {@code null} unless the protocol uses TLS
 * @param saslMechanism {@code null} unless the protocol uses SASL; SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN
 */
public record InterBrokerClient(SecurityProtocol protocol, SSLContext ssl, String saslMechanism, String username, String password) {

    public static final InterBrokerClient PLAINTEXT = new InterBrokerClient(SecurityProtocol.PLAINTEXT, null, null, null, null);

    public InterBrokerClient {
        Objects.requireNonNull(protocol, "protocol");
        boolean tls = protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
        boolean sasl = protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
        if (tls && ssl == null) {
            throw new IllegalArgumentException("The inter-broker listener speaks " + protocol + " and needs an SSL bundle");
        }
        if (sasl && (saslMechanism == null || username == null || password == null)) {
            throw new IllegalArgumentException("The inter-broker listener speaks " + protocol
                    + ": set tributary.broker.security.inter-broker.username and .password (and .sasl-mechanism)");
        }
    }

    boolean usesTls() {
        return ssl != null;
    }

    boolean usesSasl() {
        return protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
    }
}
