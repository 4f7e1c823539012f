package io.tributary.broker.compat;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.server.authorizer.Authorizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Admin client (what kafka-acls and kafka-configs use) against one broker with the ACL
 * authorizer: ACLs and SCRAM users round-trip with Kafka's errors and survive a restart; bootstrap
 * users are created once and never overwritten; a broker without authorizer answers the ACL APIs
 * SECURITY_DISABLED, and one whose ACLs do not allow the client CLUSTER_AUTHORIZATION_FAILED. The
 * client connects without authentication, as {@code User:ANONYMOUS}, made a super user here.
 */
@Timeout(value = 90, unit = SECONDS)
class SecurityAdminCompatibilityTest {

    @TempDir
    static Path dataDir;

    @TempDir
    static Path otherDir;

    private static RunningBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = RunningBroker.start(dataDir, "--tributary.broker.security.authorizer.enabled=true",
                "--tributary.broker.security.super-users=User:ANONYMOUS",
                "--tributary.broker.security.bootstrap-users[0].name=admin",
                "--tributary.broker.security.bootstrap-users[0].password=admin-secret");
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static AclBinding acl(ResourceType type, String name, PatternType patternType, String principal,
            AclOperation operation, AclPermissionType permission) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, "*", operation, permission));
    }

    private static AclBindingFilter aclsOf(String principal) {
        return new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
    }

    private static void restart() {
        broker.stop();
        broker.start();
    }

    @Test
    void aclsRoundTripAndSurviveARestart() throws Exception {
        AclBinding readOrders = acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice", AclOperation.READ,
                AclPermissionType.ALLOW);
        AclBinding writeBilling = acl(ResourceType.TOPIC, "billing-", PatternType.PREFIXED, "User:alice",
                AclOperation.WRITE, AclPermissionType.ALLOW);
        AclBinding denyGroups = acl(ResourceType.GROUP, "*", PatternType.LITERAL, "User:alice", AclOperation.READ,
                AclPermissionType.DENY);
        admin.createAcls(List.of(readOrders, writeBilling, denyGroups)).all().get(30, SECONDS);

        assertThat(admin.describeAcls(aclsOf("User:alice")).values().get(30, SECONDS))
                .containsExactlyInAnyOrder(readOrders, writeBilling, denyGroups);
        // MATCH finds every pattern that applies to one resource name, as Kafka's does.
        AclBindingFilter matchingBillingEvents = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, "billing-events", PatternType.MATCH), AccessControlEntryFilter.ANY);
        assertThat(admin.describeAcls(matchingBillingEvents).values().get(30, SECONDS)).containsExactly(writeBilling);

        Collection<AclBinding> deleted = admin.deleteAcls(List.of(new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.GROUP, null, PatternType.ANY), AccessControlEntryFilter.ANY)))
                .all().get(30, SECONDS);
        assertThat(deleted).containsExactly(denyGroups);

        restart();
        assertThat(admin.describeAcls(aclsOf("User:alice")).values().get(30, SECONDS))
                .containsExactlyInAnyOrder(readOrders, writeBilling);
        assertThat(broker.context().getBean(Authorizer.class).aclCount()).isGreaterThanOrEqualTo(2);
    }

    /** Other clients (librdkafka, franz-go...) may use the older versions the broker advertises. */
    @Test
    void theAclApisAnswerEveryAdvertisedVersion() {
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
            for (short version = 1; version <= 3; version++) {
                AclBinding acl = acl(ResourceType.TOPIC, "v" + version + "-", PatternType.PREFIXED, "User:raw",
                        AclOperation.DESCRIBE, AclPermissionType.ALLOW);
                CreateAclsResponse created = client.call(new CreateAclsRequest.Builder(new CreateAclsRequestData()
                        .setCreations(List.of(CreateAclsRequest.aclCreation(acl)))).build(version));
                assertThat(created.results()).singleElement()
                        .satisfies(result -> assertThat(result.errorCode()).isEqualTo(Errors.NONE.code()));

                AclBindingFilter filter = new AclBindingFilter(new ResourcePatternFilter(ResourceType.TOPIC,
                        "v" + version + "-", PatternType.PREFIXED), AccessControlEntryFilter.ANY);
                DescribeAclsResponse described = client.call(new DescribeAclsRequest.Builder(filter).build(version));
                assertThat(DescribeAclsResponse.aclBindings(described.acls())).containsExactly(acl);

                DeleteAclsResponse deleted = client.call(new DeleteAclsRequest.Builder(new DeleteAclsRequestData()
                        .setFilters(List.of(DeleteAclsRequest.deleteAclsFilter(filter)))).build(version));
                assertThat(deleted.filterResults()).singleElement().satisfies(result -> assertThat(
                        result.matchingAcls()).extracting(DeleteAclsResponse::aclBinding).containsExactly(acl));
            }
        }
    }

    @Test
    void aclsKafkaRefusesAreRefused() {
        AclBinding wrongClusterName = acl(ResourceType.CLUSTER, "my-cluster", PatternType.LITERAL, "User:alice",
                AclOperation.ALTER, AclPermissionType.ALLOW);
        AclBinding emptyName = acl(ResourceType.TOPIC, "", PatternType.LITERAL, "User:alice", AclOperation.READ,
                AclPermissionType.ALLOW);
        assertThatThrownBy(() -> admin.createAcls(List.of(wrongClusterName)).all().get(30, SECONDS))
                .cause().isInstanceOf(InvalidRequestException.class).hasMessageContaining("kafka-cluster");
        assertThatThrownBy(() -> admin.createAcls(List.of(emptyName)).all().get(30, SECONDS))
                .cause().isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void scramCredentialsRoundTripWithKafkasErrors() throws Exception {
        admin.alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion("carol", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192), "pw1"),
                new UserScramCredentialUpsertion("dave", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "pw2")))
                .all().get(30, SECONDS);

        Map<String, UserScramCredentialsDescription> described = admin.describeUserScramCredentials(List.of("carol", "dave"))
                .all().get(30, SECONDS);
        assertThat(described.get("carol").credentialInfos())
                .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 8192));
        assertThat(described.get("dave").credentialInfos())
                .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096));
        assertThat(admin.describeUserScramCredentials().users().get(30, SECONDS)).contains("carol", "dave", "admin");

        assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("nobody")).description("nobody")
                .get(30, SECONDS)).cause().isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("erin",
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 100), "pw"))).all().get(30, SECONDS))
                .cause().isInstanceOf(UnacceptableCredentialException.class);
        assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(
                new UserScramCredentialUpsertion("frank", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "a"),
                new UserScramCredentialUpsertion("frank", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "b")))
                .all().get(30, SECONDS)).cause().isInstanceOf(DuplicateResourceException.class);
        assertThatThrownBy(() -> admin.alterUserScramCredentials(List.of(
                new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_512))).all().get(30, SECONDS))
                .cause().isInstanceOf(ResourceNotFoundException.class);

        admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_256)))
                .all().get(30, SECONDS);
        // all() shows an unknown user without credentials, as Kafka's client does; the user's own future fails.
        assertThat(admin.describeUserScramCredentials(List.of("carol")).all().get(30, SECONDS).get("carol")
                .credentialInfos()).isEmpty();
        assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("carol")).description("carol").get(30, SECONDS))
                .cause().isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aBootstrapUserIsCreatedOnceAndAPasswordChangedThroughTheApiSurvivesARestart() throws Exception {
        assertThat(admin.describeUserScramCredentials(List.of("admin")).description("admin").get(30, SECONDS)
                .credentialInfos()).containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096));
        assertThat(proves("admin", "admin-secret")).isTrue();

        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("admin",
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "changed-secret"))).all().get(30, SECONDS);
        assertThat(proves("admin", "changed-secret")).isTrue();

        restart();
        assertThat(admin.describeUserScramCredentials(List.of("admin")).description("admin").get(30, SECONDS)
                .credentialInfos()).containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192));
        assertThat(proves("admin", "changed-secret")).isTrue();
        assertThat(proves("admin", "admin-secret")).isFalse();
    }

    /** Whether the broker's credential cache, which SCRAM authentication reads, accepts this password. */
    private static boolean proves(String user, String password) throws Exception {
        ScramCredential credential = broker.context().getBean(CredentialCache.class)
                .cache("SCRAM-SHA-512", ScramCredential.class).get(user);
        var mechanism = org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512;
        ScramFormatter formatter = new ScramFormatter(mechanism);
        byte[] salted = formatter.saltedPassword(password, credential.salt(), credential.iterations());
        return Arrays.equals(formatter.storedKey(formatter.clientKey(salted)), credential.storedKey());
    }

    @Test
    void withoutAnAuthorizerTheAclApisAnswerSecurityDisabledButScramUsersWork() throws Exception {
        try (RunningBroker plain = RunningBroker.start(otherDir.resolve("plain"));
                Admin plainAdmin = Clients.admin(plain.bootstrapServers())) {
            AclBinding acl = acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:alice", AclOperation.READ,
                    AclPermissionType.ALLOW);
            assertThatThrownBy(() -> plainAdmin.createAcls(List.of(acl)).all().get(30, SECONDS))
                    .cause().isInstanceOf(SecurityDisabledException.class);
            assertThatThrownBy(() -> plainAdmin.describeAcls(AclBindingFilter.ANY).values().get(30, SECONDS))
                    .cause().isInstanceOf(SecurityDisabledException.class);
            assertThatThrownBy(() -> plainAdmin.deleteAcls(List.of(AclBindingFilter.ANY)).all().get(30, SECONDS))
                    .cause().isInstanceOf(SecurityDisabledException.class);

            plainAdmin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("alice",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "pw"))).all().get(30, SECONDS);
            assertThat(plainAdmin.describeUserScramCredentials().users().get(30, SECONDS)).containsExactly("alice");
        }
    }

    @Test
    void aClientTheAclsDoNotAllowOnTheClusterIsRefused() throws Exception {
        try (RunningBroker guarded = RunningBroker.start(otherDir.resolve("guarded"),
                "--tributary.broker.security.authorizer.enabled=true", "--tributary.broker.security.super-users=User:admin");
                Admin anonymous = Clients.admin(guarded.bootstrapServers())) {
            AclBinding acl = acl(ResourceType.TOPIC, "t", PatternType.LITERAL, "User:alice", AclOperation.READ,
                    AclPermissionType.ALLOW);
            assertThatThrownBy(() -> anonymous.createAcls(List.of(acl)).all().get(30, SECONDS))
                    .cause().isInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> anonymous.describeAcls(AclBindingFilter.ANY).values().get(30, SECONDS))
                    .cause().isInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> anonymous.deleteAcls(List.of(AclBindingFilter.ANY)).all().get(30, SECONDS))
                    .cause().isInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> anonymous.describeUserScramCredentials().all().get(30, SECONDS))
                    .cause().isInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> anonymous.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("x",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "pw"))).all().get(30, SECONDS))
                    .cause().isInstanceOf(ClusterAuthorizationException.class);
            assertThat(guarded.context().getBean(io.tributary.broker.security.acl.AclAuthorizer.class).deniedCount())
                    .isGreaterThanOrEqualTo(5);
        }
    }
}
