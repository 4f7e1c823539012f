package io.tributary.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Checks a user's password against the salted SCRAM credentials the cluster stores, so that SASL
 * PLAIN and HTTP Basic authenticate the same users as SCRAM without any password being kept: the
 * password is salted and hashed as SCRAM's client would, and the stored key compared.
 *
 * <p>A user without credentials costs the same work as one with a wrong password, so the time of an
 * answer does not tell whether a user exists. Thread-safe.
 */
public final class ScramPasswordCheck {

    /** Strongest first: a user with both is checked against SHA-512. */
    private static final List<ScramMechanism> MECHANISMS = List.of(ScramMechanism.SCRAM_SHA_512, ScramMechanism.SCRAM_SHA_256);
    private static final byte[] DECOY_SALT = "tributary-no-such-user".getBytes(StandardCharsets.UTF_8);
    private static final int DECOY_ITERATIONS = 4096;

    private final CredentialCache credentials;

    public ScramPasswordCheck(CredentialCache credentials) {
        this.credentials = credentials;
    }

    /** Whether {@code password} is this user's. */
    public boolean matches(String username, String password) {
        try {
            for (ScramMechanism mechanism : MECHANISMS) {
                CredentialCache.Cache<ScramCredential> cache = credentials.cache(mechanism.mechanismName(), ScramCredential.class);
                ScramCredential credential = cache == null ? null : cache.get(username);
                if (credential != null) {
                    return MessageDigest.isEqual(credential.storedKey(), storedKey(mechanism, password, credential.salt(),
                            credential.iterations()));
                }
            }
            storedKey(ScramMechanism.SCRAM_SHA_512, password, DECOY_SALT, DECOY_ITERATIONS);
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM lacks an algorithm SCRAM needs", e);
        }
    }

    private static byte[] storedKey(ScramMechanism mechanism, String password, byte[] salt, int iterations)
            throws GeneralSecurityException {
        ScramFormatter formatter = formatter(mechanism);
        return formatter.storedKey(formatter.clientKey(formatter.saltedPassword(password, salt, iterations)));
    }

    private static ScramFormatter formatter(ScramMechanism mechanism) throws NoSuchAlgorithmException {
        return new ScramFormatter(mechanism);
    }
}
