package io.tributary.broker.security.acl;

import static io.tributary.broker.security.acl.Requests.acl;
import static io.tributary.broker.security.acl.Requests.action;
import static io.tributary.broker.security.acl.Requests.from;
import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.acl.AclPermissionType.ALLOW;
import static org.apache.kafka.common.acl.AclPermissionType.DENY;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.CLUSTER;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;
import static org.apache.kafka.server.authorizer.AuthorizationResult.ALLOWED;
import static org.apache.kafka.server.authorizer.AuthorizationResult.DENIED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.SecurityStore;
import io.tributary.broker.metadata.SingleNodeMetadata;
import io.tributary.broker.metadata.TopicStore;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.server.authorizer.AclCreateResult;
import org.apache.kafka.server.authorizer.AclDeleteResult;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authorizer's decisions, as Kafka's StandardAuthorizer makes them, over a single node's metadata. */
class AclAuthorizerTest {

    private static final AuthorizableRequestContext ALICE = from("User:alice", "10.0.0.1");
    private static final AuthorizableRequestContext BOB = from("User:bob", "10.0.0.2");
    private static final AuthorizableRequestContext ADMIN = from("User:admin", "10.0.0.3");

    @TempDir
    Path dataDir;

    private ClusterMetadata metadata;
    private AclAuthorizer authorizer;

    @BeforeEach
    void metadata() throws IOException {
        TopicStore topics = TopicStore.open(dataDir);
        metadata = new SingleNodeMetadata(topics, SecurityStore.open(dataDir), new LocalBroker(0, "localhost", 0,
                topics.clusterId()));
        authorizer = new AclAuthorizer(metadata, List.of("User:admin"), false);
    }

    private void create(AclBinding... acls) {
        List<AclCreateResult> results = authorizer.createAcls(ALICE, List.of(acls)).stream()
                .map(stage -> stage.toCompletableFuture().join()).toList();
        assertThat(results).allSatisfy(result -> assertThat(result.exception()).isEmpty());
    }

    private AuthorizationResult decide(AuthorizableRequestContext context, AclOperation operation, ResourceType type,
            String name) {
        return authorizer.authorize(context, List.of(action(operation, type, name))).get(0);
    }

    @Test
    void literalPrefixedAndWildcardResourcesMatchAsInKafka() {
        create(acl(TOPIC, "orders", LITERAL, "User:alice", "*", READ, ALLOW),
                acl(TOPIC, "billing-", PREFIXED, "User:alice", "*", WRITE, ALLOW),
                acl(GROUP, "*", LITERAL, "User:alice", "*", READ, ALLOW));

        assertThat(decide(ALICE, READ, TOPIC, "orders")).isEqualTo(ALLOWED);
        assertThat(decide(ALICE, READ, TOPIC, "orders-2")).isEqualTo(DENIED);
        assertThat(decide(ALICE, WRITE, TOPIC, "billing-events")).isEqualTo(ALLOWED);
        assertThat(decide(ALICE, WRITE, TOPIC, "billing-")).isEqualTo(ALLOWED);
        assertThat(decide(ALICE, WRITE, TOPIC, "billing")).isEqualTo(DENIED);
        assertThat(decide(ALICE, READ, GROUP, "any-group")).isEqualTo(ALLOWED);
        assertThat(decide(BOB, READ, TOPIC, "orders")).isEqualTo(DENIED);
    }

    @Test
    void theWildcardPrincipalAndHostsMatch() {
        create(acl(TOPIC, "public", LITERAL, "User:*", "*", READ, ALLOW),
                acl(TOPIC, "office", LITERAL, "User:*", "10.0.0.1", READ, ALLOW));

        assertThat(decide(BOB, READ, TOPIC, "public")).isEqualTo(ALLOWED);
        assertThat(decide(from("Group:ops", "10.0.0.9"), READ, TOPIC, "public")).isEqualTo(ALLOWED);
        assertThat(decide(ALICE, READ, TOPIC, "office")).isEqualTo(ALLOWED);
        assertThat(decide(BOB, READ, TOPIC, "office")).isEqualTo(DENIED);
    }

    @Test
    void denyWinsOverAllowWhereverEitherComesFrom() {
        create(acl(TOPIC, "orders", LITERAL, "User:alice", "*", ALL, ALLOW),
                acl(TOPIC, "ord", PREFIXED, "User:*", "10.0.0.1", WRITE, DENY));

        assertThat(decide(ALICE, READ, TOPIC, "orders")).isEqualTo(ALLOWED);
        assertThat(decide(ALICE, WRITE, TOPIC, "orders")).isEqualTo(DENIED);
        assertThat(decide(from("User:alice", "10.0.0.5"), WRITE, TOPIC, "orders")).isEqualTo(ALLOWED);
    }

    @Test
    void allowRulesImplyDescribeButDenyRulesDenyOnlyWhatTheyName() {
        create(acl(TOPIC, "orders", LITERAL, "User:alice", "*", WRITE, ALLOW),
                acl(TOPIC, "orders", LITERAL, "User:alice", "*", ALTER_CONFIGS, ALLOW),
                acl(TOPIC, "audit", LITERAL, "User:alice", "*", READ, DENY),
                acl(TOPIC, "audit", LITERAL, "User:alice", "*", DESCRIBE, ALLOW));

        assertThat(decide(ALICE, DESCRIBE, TOPIC, "orders")).isEqualTo(ALLOWED);
        assertThat(decide(ALICE, DESCRIBE_CONFIGS, TOPIC, "orders")).isEqualTo(ALLOWED);
        assertThat(decide(ALICE, READ, TOPIC, "orders")).isEqualTo(DENIED);
        assertThat(decide(ALICE, DESCRIBE, TOPIC, "audit")).isEqualTo(ALLOWED);
        assertThat(decide(ALICE, READ, TOPIC, "audit")).isEqualTo(DENIED);
    }

    @Test
    void superUsersAreAllowedEverythingEvenWhatIsDenied() {
        create(acl(CLUSTER, "kafka-cluster", LITERAL, "User:*", "*", ALL, DENY));

        assertThat(decide(ADMIN, AclOperation.ALTER, CLUSTER, "kafka-cluster")).isEqualTo(ALLOWED);
        assertThat(decide(ADMIN, READ, TOPIC, "anything")).isEqualTo(ALLOWED);
        assertThat(decide(ALICE, AclOperation.ALTER, CLUSTER, "kafka-cluster")).isEqualTo(DENIED);
    }

    @Test
    void withoutAnyAclOnAResourceTheDefaultDecides() {
        create(acl(TOPIC, "orders", LITERAL, "User:bob", "*", READ, ALLOW));
        AclAuthorizer open = new AclAuthorizer(metadata, List.of(), true);

        assertThat(decide(ALICE, READ, TOPIC, "payments")).isEqualTo(DENIED);
        assertThat(open.authorize(ALICE, List.of(action(READ, TOPIC, "payments")))).containsExactly(ALLOWED);
        // The resource has ACLs, none of them for alice: denied even so.
        assertThat(open.authorize(ALICE, List.of(action(READ, TOPIC, "orders")))).containsExactly(DENIED);
    }

    @Test
    void authorizeByResourceTypeFindsAnAllowOnAnyResourceOfTheType() {
        assertThat(authorizer.authorizeByResourceType(ALICE, WRITE, TRANSACTIONAL_ID)).isEqualTo(DENIED);
        assertThat(authorizer.authorizeByResourceType(ADMIN, WRITE, TRANSACTIONAL_ID)).isEqualTo(ALLOWED);
        create(acl(TRANSACTIONAL_ID, "tx-", PREFIXED, "User:alice", "*", WRITE, ALLOW));
        assertThat(authorizer.authorizeByResourceType(ALICE, WRITE, TRANSACTIONAL_ID)).isEqualTo(ALLOWED);
        assertThat(authorizer.authorizeByResourceType(BOB, WRITE, TRANSACTIONAL_ID)).isEqualTo(DENIED);
    }

    @Test
    void onlyRefusalsOfWhatARequestAskedForAreCounted() {
        authorizer.authorize(ALICE, List.of(action(READ, TOPIC, "orders"),
                new Action(READ, new ResourcePattern(TOPIC, "other", PatternType.LITERAL), 1, false, false)));
        assertThat(authorizer.deniedCount()).isEqualTo(1);
    }

    @Test
    void invalidAclsAreRefusedAsKafkaRefusesThem() {
        List<AclBinding> invalid = List.of(acl(TOPIC, "", LITERAL, "User:alice", "*", READ, ALLOW),
                acl(TOPIC, "orders", PatternType.UNKNOWN, "User:alice", "*", READ, ALLOW),
                acl(CLUSTER, "my-cluster", LITERAL, "User:alice", "*", AclOperation.ALTER, ALLOW),
                acl(TOPIC, "orders", LITERAL, "alice", "*", READ, ALLOW),
                acl(TOPIC, "orders", LITERAL, "User:alice", "*", AclOperation.UNKNOWN, ALLOW));
        List<AclCreateResult> results = authorizer.createAcls(ALICE, invalid).stream()
                .map(stage -> stage.toCompletableFuture().join()).toList();
        assertThat(results).allSatisfy(result -> assertThat(result.exception()).containsInstanceOf(InvalidRequestException.class));
        assertThat(metadata.security().acls()).isEmpty();
    }

    @Test
    void deletingByFilterRemovesAndReportsTheMatchingAcls() {
        AclBinding read = acl(TOPIC, "orders", LITERAL, "User:alice", "*", READ, ALLOW);
        AclBinding write = acl(TOPIC, "orders", LITERAL, "User:bob", "*", WRITE, ALLOW);
        AclBinding group = acl(GROUP, "g", PREFIXED, "User:alice", "*", READ, ALLOW);
        create(read, write, group);

        AclBindingFilter aliceOnTopics = new AclBindingFilter(new ResourcePatternFilter(TOPIC, null, PatternType.ANY),
                new AccessControlEntryFilter("User:alice", null, AclOperation.ANY, org.apache.kafka.common.acl.AclPermissionType.ANY));
        List<AclDeleteResult> results = authorizer.deleteAcls(ALICE, List.of(aliceOnTopics, aliceOnTopics)).stream()
                .map(stage -> stage.toCompletableFuture().join()).toList();

        assertThat(results.get(0).aclBindingDeleteResults()).extracting(AclDeleteResult.AclBindingDeleteResult::aclBinding)
                .containsExactly(read);
        assertThat(results.get(1).aclBindingDeleteResults()).isEmpty();
        assertThat(authorizer.acls(AclBindingFilter.ANY)).containsExactlyInAnyOrder(write, group);
        assertThat(decide(ALICE, READ, TOPIC, "orders")).isEqualTo(DENIED);
    }
}
