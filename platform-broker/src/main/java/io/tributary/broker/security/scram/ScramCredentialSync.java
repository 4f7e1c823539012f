package io.tributary.broker.security.scram;

import java.util.HashMap;
import java.util.Map;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.ScramCredentialData;
import io.tributary.broker.metadata.ScramCredentialKey;
import io.tributary.broker.metadata.SecurityImage;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/**
 * Keeps a kafka-clients {@link CredentialCache} equal to the SCRAM credentials of the cluster
 * metadata, as Kafka's brokers do for its {@code ScramServerCallbackHandler}: one cache per
 * mechanism name, changed in place on every change of the metadata (and when a replica loads a
 * snapshot), so that a user created or removed anywhere can or cannot log in at once.
 */
public final class ScramCredentialSync {

    private final CredentialCache cache = new CredentialCache();
    private Map<ScramCredentialKey, ScramCredentialData> current = Map.of();

    private ScramCredentialSync(ClusterMetadata metadata) {
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            cache.createCache(mechanism.mechanismName(), ScramCredential.class);
        }
        metadata.onSecurityChange(this::follow);
    }

    /** A credential cache that follows {@code metadata} from now on. */
    public static CredentialCache cacheFollowing(ClusterMetadata metadata) {
        return new ScramCredentialSync(metadata).cache;
    }

    private synchronized void follow(SecurityImage image) {
        Map<ScramCredentialKey, ScramCredentialData> next = image.credentials();
        if (next == current) {
            return;
        }
        next.forEach((key, credential) -> {
            if (!credential.equals(current.get(key))) {
                cacheOf(key).put(key.user(), credential.toCredential());
            }
        });
        Map<ScramCredentialKey, ScramCredentialData> removed = new HashMap<>(current);
        removed.keySet().removeAll(next.keySet());
        removed.keySet().forEach(key -> cacheOf(key).remove(key.user()));
        current = next;
    }

    private CredentialCache.Cache<ScramCredential> cacheOf(ScramCredentialKey key) {
        return cache.cache(key.mechanism().mechanismName(), ScramCredential.class);
    }
}
