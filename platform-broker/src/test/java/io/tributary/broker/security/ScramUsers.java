package io.tributary.broker.security;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.springframework.context.ApplicationContext;

/** SCRAM users for tests of secured brokers. */
public final class ScramUsers {

    private ScramUsers() {
    }

    /** The broker settings that create a user with both SCRAM mechanisms on first start. */
    public static List<String> bootstrapArgs(String user, String password) {
        return List.of();
    }

    /** Gives a running broker a user, with both SCRAM mechanisms. */
    public static void seed(ApplicationContext broker, String user, String password) throws NoSuchAlgorithmException {
        CredentialCache credentials = broker.getBean(CredentialCache.class);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            credentials.cache(mechanism.mechanismName(), ScramCredential.class)
                    .put(user, new ScramFormatter(mechanism).generateCredential(password, 4096));
        }
    }
}
