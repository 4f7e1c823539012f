package io.tributary.broker.security.scram;

import java.security.GeneralSecurityException;
import java.util.List;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.ScramCredentialData;
import io.tributary.broker.metadata.ScramCredentialKey;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SCRAM users a broker creates at start, so that a new cluster has someone to log in as. A user
 * gets a credential for its mechanism only if it has none yet: a password since changed through
 * AlterUserScramCredentials is never overwritten, and in a cluster, where every broker submits its
 * bootstrap users, the first credential committed is the one kept.
 */
public final class BootstrapUsers {

    /** The most iterations Kafka accepts for a SCRAM credential. */
    public static final int MAX_ITERATIONS = 16384;

    private static final Logger log = LoggerFactory.getLogger(BootstrapUsers.class);

    private BootstrapUsers() {
    }

    /** A user to create: its password is salted here and never stored. */
    public record BootstrapUser(String name, String password, String mechanism, int iterations) {

        @Override
        public String toString() {
            return "BootstrapUser(" + name + ", " + mechanism + ", " + iterations + " iterations)";
        }
    }

    /** @throws IllegalArgumentException for a user Kafka would refuse (unknown mechanism, iterations out of range) */
    public static void create(ClusterMetadata metadata, List<BootstrapUser> users) {
        for (BootstrapUser user : users) {
            ScramMechanism mechanism = check(user);
            ScramCredentialKey key = new ScramCredentialKey(user.name(), mechanism);
            if (metadata.security().credential(key).isPresent()) {
                continue;
            }
            boolean created = metadata.putScramCredential(key, salt(user, mechanism), true);
            if (created) {
                log.info("Created the {} credential of bootstrap user {}", mechanism.mechanismName(), user.name());
            }
        }
    }

    private static ScramMechanism check(BootstrapUser user) {
        ScramMechanism mechanism = ScramMechanism.forMechanismName(user.mechanism());
        if (mechanism == null) {
            throw new IllegalArgumentException("Bootstrap user " + user.name() + ": unknown SCRAM mechanism "
                    + user.mechanism() + ", expected one of " + ScramMechanism.mechanismNames());
        }
        if (user.name() == null || user.name().isEmpty() || user.password() == null || user.password().isEmpty()) {
            throw new IllegalArgumentException("A bootstrap user needs a name and a password");
        }
        if (user.iterations() < mechanism.minIterations() || user.iterations() > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Bootstrap user " + user.name() + ": iterations must be between "
                    + mechanism.minIterations() + " and " + MAX_ITERATIONS + ", not " + user.iterations());
        }
        return mechanism;
    }

    private static ScramCredentialData salt(BootstrapUser user, ScramMechanism mechanism) {
        try {
            return ScramCredentialData.of(new ScramFormatter(mechanism).generateCredential(user.password(),
                    user.iterations()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot compute " + mechanism.mechanismName(), e);
        }
    }
}
