package io.tributary.broker.security.scram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.ScramCredentialKey;
import io.tributary.broker.metadata.SecurityStore;
import io.tributary.broker.metadata.SingleNodeMetadata;
import io.tributary.broker.metadata.TopicStore;
import io.tributary.broker.security.scram.BootstrapUsers.BootstrapUser;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credential cache SCRAM authentication reads follows the metadata; bootstrap users never overwrite. */
class ScramCredentialSyncTest {

    @TempDir
    Path dataDir;

    private ClusterMetadata metadata;

    @BeforeEach
    void metadata() throws Exception {
        TopicStore topics = TopicStore.open(dataDir);
        metadata = new SingleNodeMetadata(topics, SecurityStore.open(dataDir), new LocalBroker(0, "localhost", 0,
                topics.clusterId()));
    }

    private static ScramCredential cached(CredentialCache cache, ScramMechanism mechanism, String user) {
        return cache.cache(mechanism.mechanismName(), ScramCredential.class).get(user);
    }

    /** Whether {@code password} proves itself against {@code credential}, as the SCRAM server checks it. */
    private static boolean proves(ScramCredential credential, ScramMechanism mechanism, String password) throws Exception {
        ScramFormatter formatter = new ScramFormatter(mechanism);
        byte[] salted = formatter.saltedPassword(password, credential.salt(), credential.iterations());
        return java.util.Arrays.equals(formatter.storedKey(formatter.clientKey(salted)), credential.storedKey());
    }

    @Test
    void bothMechanismsHaveACacheThatFollowsEveryChange() throws Exception {
        CredentialCache cache = ScramCredentialSync.cacheFollowing(metadata);
        assertThat(cache.cache("SCRAM-SHA-256", ScramCredential.class)).isNotNull();
        assertThat(cache.cache("SCRAM-SHA-512", ScramCredential.class)).isNotNull();

        BootstrapUsers.create(metadata, List.of(new BootstrapUser("alice", "alice-secret", "SCRAM-SHA-256", 4096)));
        assertThat(proves(cached(cache, ScramMechanism.SCRAM_SHA_256, "alice"), ScramMechanism.SCRAM_SHA_256,
                "alice-secret")).isTrue();
        assertThat(cached(cache, ScramMechanism.SCRAM_SHA_512, "alice")).isNull();

        metadata.deleteScramCredential(new ScramCredentialKey("alice", ScramMechanism.SCRAM_SHA_256));
        assertThat(cached(cache, ScramMechanism.SCRAM_SHA_256, "alice")).isNull();
    }

    @Test
    void aBootstrapUserKeepsACredentialItAlreadyHas() throws Exception {
        BootstrapUsers.create(metadata, List.of(new BootstrapUser("admin", "first", "SCRAM-SHA-512", 4096)));
        BootstrapUsers.create(metadata, List.of(new BootstrapUser("admin", "second", "SCRAM-SHA-512", 4096)));
        // A broker started later (after a restart) fills its cache from what is stored.
        CredentialCache cache = ScramCredentialSync.cacheFollowing(metadata);
        assertThat(proves(cached(cache, ScramMechanism.SCRAM_SHA_512, "admin"), ScramMechanism.SCRAM_SHA_512, "first"))
                .isTrue();
    }

    @Test
    void bootstrapUsersKafkaWouldRefuseStopTheBroker() {
        assertThatThrownBy(() -> BootstrapUsers.create(metadata, List.of(new BootstrapUser("a", "p", "PLAIN", 4096))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PLAIN");
        assertThatThrownBy(() -> BootstrapUsers.create(metadata, List.of(new BootstrapUser("a", "p", "SCRAM-SHA-256", 100))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iterations");
    }
}
