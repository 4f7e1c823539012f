package io.tributary.broker.metadata;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.protocol.Errors;

/**
 * The cluster's ACLs and its users' SCRAM credentials at one point: immutable, so that readers on
 * any thread (the authorizer on every request) see a consistent whole without locking, and a
 * change builds a new image. The same rules apply on a single node and in the replicated state.
 */
public record SecurityImage(Set<AclBinding> acls, Map<ScramCredentialKey, ScramCredentialData> credentials) {

    public static final SecurityImage EMPTY = new SecurityImage(Set.of(), Map.of());

    public SecurityImage {
        acls = Set.copyOf(acls);
        credentials = Map.copyOf(credentials);
    }

    /** The ACLs matching Kafka's filter semantics (an ANY field matches every value; MATCH patterns as Kafka). */
    public List<AclBinding> acls(AclBindingFilter filter) {
        return acls.stream().filter(filter::matches).toList();
    }

    public Optional<ScramCredentialData> credential(ScramCredentialKey key) {
        return Optional.ofNullable(credentials.get(key));
    }

    /** Adds ACLs; those already present stay as they are. */
    public SecurityImage withAcls(Collection<AclBinding> added) {
        if (acls.containsAll(added)) {
            return this;
        }
        Set<AclBinding> next = new HashSet<>(acls);
        next.addAll(added);
        return new SecurityImage(next, credentials);
    }

    /** Removes ACLs; those not present are ignored. */
    public SecurityImage withoutAcls(Collection<AclBinding> removed) {
        Set<AclBinding> next = new HashSet<>(acls);
        return next.removeAll(removed) ? new SecurityImage(next, credentials) : this;
    }

    /**
     * Stores a credential, replacing the user's credential for that mechanism — unless
     * {@code onlyIfAbsent}, which keeps an existing one (a bootstrap user whose password was since changed).
     */
    public SecurityImage withCredential(ScramCredentialKey key, ScramCredentialData credential, boolean onlyIfAbsent) {
        if (onlyIfAbsent && credentials.containsKey(key)) {
            return this;
        }
        Map<ScramCredentialKey, ScramCredentialData> next = new HashMap<>(credentials);
        next.put(key, credential);
        return new SecurityImage(acls, next);
    }

    /** @throws MetadataException RESOURCE_NOT_FOUND when the user has no credential for that mechanism */
    public SecurityImage withoutCredential(ScramCredentialKey key) {
        if (!credentials.containsKey(key)) {
            throw new MetadataException(Errors.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist");
        }
        Map<ScramCredentialKey, ScramCredentialData> next = new HashMap<>(credentials);
        next.remove(key);
        return new SecurityImage(acls, next);
    }
}
