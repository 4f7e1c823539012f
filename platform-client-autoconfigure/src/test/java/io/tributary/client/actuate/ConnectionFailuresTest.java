package io.tributary.client.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.junit.jupiter.api.Test;

class ConnectionFailuresTest {

    @Test
    void namesTheSettingToCheckForEachAuthenticationFailure() {
        assertThat(ConnectionFailures.describe(new ExecutionException(new SaslAuthenticationException("invalid credentials"))))
                .isEqualTo("authentication failed: SASL_AUTHENTICATION_FAILED (invalid credentials); check"
                        + " tributary.security.sasl.username and tributary.security.sasl.password");
        assertThat(ConnectionFailures.describe(new ExecutionException(new UnsupportedSaslMechanismException(
                "Client SASL mechanism 'SCRAM-SHA-1' not enabled in the server"))))
                .startsWith("authentication failed: UNSUPPORTED_SASL_MECHANISM (Client SASL mechanism 'SCRAM-SHA-1'")
                .endsWith("check tributary.security.sasl.mechanism");
        assertThat(ConnectionFailures.describe(new ExecutionException(new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("PKIX path building failed")))))
                .startsWith("SSL handshake failed (PKIX path building failed); check tributary.security.ssl.bundle");
    }

    @Test
    void saysNothingOfOtherFailures() {
        assertThat(ConnectionFailures.describe(new ExecutionException(new TimeoutException("timed out")))).isNull();
        assertThat(ConnectionFailures.describe(new IllegalStateException("no"))).isNull();
    }
}
