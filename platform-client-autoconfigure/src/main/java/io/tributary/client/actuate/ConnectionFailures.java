package io.tributary.client.actuate;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.protocol.Errors;

/**
 * Why the clients cannot talk to the cluster, said plainly with the setting to check, for failures whose
 * exceptions alone send an operator to the wrong place: refused credentials, a mechanism the brokers do not offer,
 * a TLS handshake that failed.
 */
final class ConnectionFailures {

    private ConnectionFailures() {
    }

    /** The plain explanation of {@code failure}, or null when it is none of those. */
    static String describe(Throwable failure) {
        Throwable cause = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof SaslAuthenticationException) {
            return "authentication failed: " + Errors.SASL_AUTHENTICATION_FAILED.name() + " (" + cause.getMessage()
                    + "); check tributary.security.sasl.username and tributary.security.sasl.password";
        }
        if (cause instanceof UnsupportedSaslMechanismException) {
            return "authentication failed: " + Errors.UNSUPPORTED_SASL_MECHANISM.name() + " (" + cause.getMessage()
                    + "); check tributary.security.sasl.mechanism";
        }
        if (cause instanceof SslAuthenticationException) {
            return "SSL handshake failed (" + rootMessage(cause) + "); check tributary.security.ssl.bundle (it must"
                    + " trust the brokers' certificates) and tributary.security.protocol";
        }
        return null;
    }

    // Kafka's own message is "SSL handshake failed"; the reason (an untrusted certificate, ...) is at the bottom.
    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
