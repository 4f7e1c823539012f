package io.tributary.broker.security;

import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;
import org.apache.kafka.common.security.scram.internals.ScramServerCallbackHandler;
import org.apache.kafka.common.security.token.delegation.internals.DelegationTokenCache;

/**
 * The SASL mechanisms a broker offers, as kafka-clients' own server implementations: SCRAM-SHA-256
 * and SCRAM-SHA-512 fed from the cluster's stored credentials (as Kafka's brokers feed them), and
 * PLAIN checked against the same credentials by {@link ScramPasswordCheck}, so one set of users
 * serves every mechanism and no password is stored anywhere.
 *
 * <p>Thread-safe; every authentication gets its own {@link SaslServer}.
 */
public final class SaslMechanisms {

    public static final String PLAIN = PlainSaslServer.PLAIN_MECHANISM;
    /** Every mechanism this broker can serve. */
    public static final List<String> SUPPORTED = List.of(ScramMechanism.SCRAM_SHA_512.mechanismName(),
            ScramMechanism.SCRAM_SHA_256.mechanismName(), PLAIN);

    private final List<String> enabled;
    private final CredentialCache credentials;
    private final ScramPasswordCheck passwords;
    /** Delegation tokens are not issued; an empty cache answers a client that offers one. */
    private final DelegationTokenCache noTokens = new DelegationTokenCache(ScramMechanism.mechanismNames());

    /**
     * @param enabled the mechanisms offered ({@code sasl.enabled.mechanisms}), each one of {@link #SUPPORTED}
     * @throws IllegalArgumentException naming a mechanism this broker cannot serve
     */
    public SaslMechanisms(List<String> enabled, CredentialCache credentials) {
        this.enabled = enabled.stream().map(m -> m.trim().toUpperCase(Locale.ROOT)).distinct().toList();
        for (String mechanism : this.enabled) {
            if (!SUPPORTED.contains(mechanism)) {
                throw new IllegalArgumentException("SASL mechanism " + mechanism + " is not supported; supported are " + SUPPORTED);
            }
        }
        if (this.enabled.isEmpty()) {
            throw new IllegalArgumentException("No SASL mechanism is enabled; choose among " + SUPPORTED);
        }
        this.credentials = credentials;
        this.passwords = new ScramPasswordCheck(credentials);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            if (credentials.cache(mechanism.mechanismName(), ScramCredential.class) == null) {
                credentials.createCache(mechanism.mechanismName(), ScramCredential.class);
            }
        }
    }

    public List<String> enabled() {
        return enabled;
    }

    public boolean isEnabled(String mechanism) {
        return enabled.contains(mechanism);
    }

    /** A server for one authentication with an enabled mechanism. */
    public SaslServer newServer(String mechanism) {
        if (!isEnabled(mechanism)) {
            throw new IllegalArgumentException("SASL mechanism " + mechanism + " is not enabled");
        }
        if (PLAIN.equals(mechanism)) {
            return new PlainSaslServer(new PlainPasswordCallbackHandler(passwords));
        }
        ScramMechanism scram = ScramMechanism.forMechanismName(mechanism);
        ScramServerCallbackHandler callbacks = new ScramServerCallbackHandler(
                credentials.cache(mechanism, ScramCredential.class), noTokens);
        callbacks.configure(Map.of(), mechanism, List.of());
        try {
            return new ScramSaslServer(scram, Map.of(), callbacks);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM lacks " + scram.hashAlgorithm() + ", which " + mechanism + " needs", e);
        }
    }

    /** Answers kafka-clients' PLAIN server: the user name, then whether the password is that user's. */
    private static final class PlainPasswordCallbackHandler implements AuthenticateCallbackHandler {

        private final ScramPasswordCheck passwords;

        PlainPasswordCallbackHandler(ScramPasswordCheck passwords) {
            this.passwords = passwords;
        }

        @Override
        public void configure(Map<String, ?> configs, String mechanism, List<AppConfigurationEntry> entries) {
        }

        @Override
        public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
            String username = null;
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name) {
                    username = name.getDefaultName();
                } else if (callback instanceof PlainAuthenticateCallback plain) {
                    plain.authenticated(username != null && passwords.matches(username, new String(plain.password())));
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        }

        @Override
        public void close() {
        }
    }
}
