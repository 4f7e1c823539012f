package io.tributary.broker.security.acl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.SecurityStore;
import io.tributary.broker.metadata.SingleNodeMetadata;
import io.tributary.broker.metadata.TopicStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.server.authorizer.AuthorizationResult;

/**
 * The indexed authorizer decides as a plain reading of Kafka's rules does: for random ACL sets over
 * small alphabets (so that names, prefixes, principals and hosts collide often), every decision
 * equals that of a linear scan of all ACLs.
 */
class AclAuthorizerPropertyTest {

    private static final List<String> PRINCIPALS = List.of("User:alice", "User:bob", "User:*", "Group:alice", "User:admin");
    private static final List<String> HOSTS = List.of("*", "10.0.0.1", "10.0.0.2");
    private static final List<ResourceType> TYPES = List.of(ResourceType.TOPIC, ResourceType.GROUP,
            ResourceType.TRANSACTIONAL_ID, ResourceType.CLUSTER);
    private static final Set<AclOperation> OPERATIONS = EnumSet.complementOf(EnumSet.of(AclOperation.ANY, AclOperation.UNKNOWN));
    private static final Set<AclOperation> IMPLY_DESCRIBE = EnumSet.of(AclOperation.DESCRIBE, AclOperation.READ,
            AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);

    private static Path dir;
    private static ClusterMetadata metadata;

    @BeforeContainer
    static void metadata() throws IOException {
        dir = Files.createTempDirectory("acl-property");
        TopicStore topics = TopicStore.open(dir);
        metadata = new SingleNodeMetadata(topics, SecurityStore.open(dir), new LocalBroker(0, "localhost", 0,
                topics.clusterId()));
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    record Request(String principal, String host, AclOperation operation, ResourceType type, String name) {
    }

    @Property(tries = 300)
    void theIndexDecidesAsALinearScanOfKafkasRules(@ForAll("aclSets") Set<AclBinding> acls,
            @ForAll("requests") List<Request> requests, @ForAll boolean allowEveryoneIfNoAclFound) {
        metadata.deleteAcls(List.copyOf(metadata.security().acls(AclBindingFilter.ANY)));
        metadata.createAcls(List.copyOf(acls));
        AclAuthorizer authorizer = new AclAuthorizer(metadata, List.of("User:admin"), allowEveryoneIfNoAclFound);

        for (Request request : requests) {
            AuthorizationResult actual = authorizer.authorize(Requests.from(request.principal(), request.host()),
                    List.of(Requests.action(request.operation(), request.type(), request.name()))).get(0);
            assertThat(actual).as("%s with ACLs %s", request, acls)
                    .isEqualTo(reference(acls, request, allowEveryoneIfNoAclFound));
        }
    }

    /** Kafka's rules read literally, over every ACL. */
    private static AuthorizationResult reference(Set<AclBinding> acls, Request request, boolean allowEveryone) {
        if (request.principal().equals("User:admin")) {
            return AuthorizationResult.ALLOWED;
        }
        List<AclBinding> onResource = acls.stream().filter(acl -> acl.pattern().resourceType() == request.type())
                .filter(acl -> switch (acl.pattern().patternType()) {
                    case LITERAL -> acl.pattern().name().equals(request.name()) || acl.pattern().name().equals("*");
                    case PREFIXED -> request.name().startsWith(acl.pattern().name());
                    default -> false;
                }).toList();
        if (onResource.isEmpty()) {
            return allowEveryone ? AuthorizationResult.ALLOWED : AuthorizationResult.DENIED;
        }
        List<AclBinding> matching = onResource.stream()
                .filter(acl -> acl.entry().principal().equals(request.principal()) || acl.entry().principal().equals("User:*"))
                .filter(acl -> acl.entry().host().equals("*") || acl.entry().host().equals(request.host()))
                .filter(acl -> grants(acl, request.operation())).toList();
        if (matching.stream().anyMatch(acl -> acl.entry().permissionType() == AclPermissionType.DENY)) {
            return AuthorizationResult.DENIED;
        }
        return matching.isEmpty() ? AuthorizationResult.DENIED : AuthorizationResult.ALLOWED;
    }

    private static boolean grants(AclBinding acl, AclOperation requested) {
        AclOperation operation = acl.entry().operation();
        if (operation == AclOperation.ALL || operation == requested) {
            return true;
        }
        if (acl.entry().permissionType() == AclPermissionType.DENY) {
            return false;
        }
        return requested == AclOperation.DESCRIBE && IMPLY_DESCRIBE.contains(operation)
                || requested == AclOperation.DESCRIBE_CONFIGS && operation == AclOperation.ALTER_CONFIGS;
    }

    private static Arbitrary<String> names() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("ab-").ofMinLength(1).ofMaxLength(4),
                Arbitraries.just("*"));
    }

    @Provide
    Arbitrary<Set<AclBinding>> aclSets() {
        Arbitrary<AclBinding> acl = Combinators.combine(Arbitraries.of(TYPES), names(),
                Arbitraries.of(PatternType.LITERAL, PatternType.PREFIXED), Arbitraries.of(PRINCIPALS), Arbitraries.of(HOSTS),
                Arbitraries.of(OPERATIONS), Arbitraries.of(AclPermissionType.ALLOW, AclPermissionType.DENY))
                .as(Requests::acl);
        return acl.set().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Request>> requests() {
        return Combinators.combine(Arbitraries.of(PRINCIPALS).filter(p -> !p.equals("User:*")),
                Arbitraries.of(HOSTS).filter(h -> !h.equals("*")), Arbitraries.of(OPERATIONS).filter(o -> o != AclOperation.ALL),
                Arbitraries.of(TYPES), Arbitraries.strings().withChars("ab-").ofMinLength(1).ofMaxLength(5))
                .as(Request::new).list().ofMinSize(1).ofMaxSize(30);
    }
}
