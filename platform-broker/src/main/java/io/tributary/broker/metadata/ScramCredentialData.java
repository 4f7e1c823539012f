package io.tributary.broker.metadata;

import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.common.security.scram.ScramCredential;

/**
 * A SCRAM credential as the broker keeps it (RFC 5802): the salt, the stored and server keys
 * derived from the salted password, and the iteration count — never the password, from which only
 * a client that knows it can prove itself. The arrays are the record's own; callers do not modify them.
 */
public record ScramCredentialData(byte[] salt, byte[] storedKey, byte[] serverKey, int iterations) {

    public ScramCredentialData {
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    public static ScramCredentialData of(ScramCredential credential) {
        return new ScramCredentialData(credential.salt(), credential.storedKey(), credential.serverKey(),
                credential.iterations());
    }

    /** The form kafka-clients' SCRAM server mechanism looks credentials up in. */
    public ScramCredential toCredential() {
        return new ScramCredential(salt, storedKey, serverKey, iterations);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramCredentialData o && iterations == o.iterations && Arrays.equals(salt, o.salt)
                && Arrays.equals(storedKey, o.storedKey) && Arrays.equals(serverKey, o.serverKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(salt), Arrays.hashCode(storedKey), Arrays.hashCode(serverKey), iterations);
    }

    /** Keys stay out of logs and exception messages. */
    @Override
    public String toString() {
        return "ScramCredentialData(iterations=" + iterations + ", salt and keys hidden)";
    }
}
