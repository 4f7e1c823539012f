package io.tributary.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A single node's ACLs and credentials: durable across reopening, published to listeners, refused changes change nothing. */
class SecurityStoreTest {

    @TempDir
    Path dataDir;

    private final AclBinding acl = new AclBinding(new ResourcePattern(ResourceType.GROUP, "billing-", PatternType.PREFIXED),
            new AccessControlEntry("User:bob", "127.0.0.1", AclOperation.READ, AclPermissionType.DENY));
    private final ScramCredentialKey bob = new ScramCredentialKey("bob", ScramMechanism.SCRAM_SHA_512);
    private final ScramCredentialData credential = new ScramCredentialData(new byte[] {1}, new byte[] {2}, new byte[] {3},
            4096);

    @Test
    void changesSurviveReopeningAndReachListeners() throws Exception {
        SecurityStore store = SecurityStore.open(dataDir);
        List<SecurityImage> seen = new ArrayList<>();
        store.onChange(seen::add);
        store.change(image -> image.withAcls(List.of(acl)));
        store.change(image -> image.withCredential(bob, credential, false));

        assertThat(seen).hasSize(3);
        assertThat(Files.list(dataDir.resolve(TopicStore.DIRECTORY))).noneMatch(f -> f.toString().endsWith(".tmp"));
        SecurityImage reopened = SecurityStore.open(dataDir).image();
        assertThat(reopened.acls()).isEqualTo(Set.of(acl));
        assertThat(reopened.credential(bob)).contains(credential);
    }

    @Test
    void aRefusedChangeChangesNothing() throws Exception {
        SecurityStore store = SecurityStore.open(dataDir);
        assertThatThrownBy(() -> store.change(image -> image.withoutCredential(bob)))
                .isInstanceOfSatisfying(MetadataException.class, e -> assertThat(e.error()).isEqualTo(Errors.RESOURCE_NOT_FOUND));
        assertThat(store.image()).isSameAs(SecurityImage.EMPTY);
        assertThat(SecurityStore.open(dataDir).image()).isEqualTo(SecurityImage.EMPTY);
    }
}
