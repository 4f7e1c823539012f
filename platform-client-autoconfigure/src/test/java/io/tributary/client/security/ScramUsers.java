package io.tributary.client.security;

import java.security.NoSuchAlgorithmException;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.springframework.context.ApplicationContext;

/**
 * Creates SCRAM users on a broker started in this JVM. The one place that knows how: through the broker's
 * {@link CredentialCache} bean today, through {@code tributary.broker.security.bootstrap-users} once the broker has it.
 */
public final class ScramUsers {

    private ScramUsers() {
    }

    /** A user with {@code password} for every SCRAM mechanism (PLAIN checks against the same credentials). */
    public static void create(ApplicationContext brokerContext, String username, String password) {
        CredentialCache credentials = brokerContext.getBean(CredentialCache.class);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            try {
                credentials.cache(mechanism.mechanismName(), ScramCredential.class)
                        .put(username, new ScramFormatter(mechanism).generateCredential(password, 4096));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
