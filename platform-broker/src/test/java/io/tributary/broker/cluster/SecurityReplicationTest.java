package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.server.authorizer.Authorizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers, one metadata quorum: ACLs and SCRAM users changed through any broker reach every
 * broker's authorizer and credential cache, a broker that was down catches up on its return, and
 * the bootstrap user every broker submits at start ends up with one credential, the same everywhere.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SecurityReplicationTest {

    @TempDir
    static Path dir;

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        // A low threshold, so that a returning broker may catch up from a snapshot rather than the log.
        cluster = LocalCluster.start(dir, 3, "--tributary.cluster.snapshot-threshold=5",
                "--tributary.broker.security.authorizer.enabled=true",
                "--tributary.broker.security.super-users=User:ANONYMOUS",
                "--tributary.broker.security.bootstrap-users[0].name=admin",
                "--tributary.broker.security.bootstrap-users[0].password=admin-secret");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    private static AclBinding readAcl(String topicPrefix, String principal) {
        return new AclBinding(new ResourcePattern(ResourceType.TOPIC, topicPrefix, PatternType.PREFIXED),
                new AccessControlEntry(principal, "*", AclOperation.READ, AclPermissionType.ALLOW));
    }

    private static Iterable<AclBinding> acls(int node) {
        return cluster.node(node).bean(Authorizer.class).acls(AclBindingFilter.ANY);
    }

    private static ScramCredential credential(int node, String mechanism, String user) {
        return cluster.node(node).bean(CredentialCache.class).cache(mechanism, ScramCredential.class).get(user);
    }

    @Test
    void aclsAndUsersChangedThroughOneBrokerReachEveryBroker() throws Exception {
        AclBinding orders = readAcl("orders-", "User:alice");
        AclBinding billing = readAcl("billing-", "User:bob");
        try (Admin admin = admin(cluster.node(1).bootstrapServers())) {
            admin.createAcls(List.of(orders, billing)).all().get(30, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("alice",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "alice-secret"))).all().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int node = 0; node < 3; node++) {
                assertThat(acls(node)).as("broker %d", node).contains(orders, billing);
                assertThat(credential(node, "SCRAM-SHA-256", "alice")).as("broker %d", node).isNotNull();
            }
        });
        for (int node = 0; node < 3; node++) {
            try (Admin admin = admin(cluster.node(node).bootstrapServers())) {
                assertThat(admin.describeUserScramCredentials(List.of("alice")).description("alice")
                        .get(30, TimeUnit.SECONDS).credentialInfos())
                        .containsExactly(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096));
            }
        }
        // Every broker submitted the bootstrap user; the first credential committed is everybody's.
        byte[] salt = credential(0, "SCRAM-SHA-512", "admin").salt();
        assertThat(credential(1, "SCRAM-SHA-512", "admin").salt()).isEqualTo(salt);
        assertThat(credential(2, "SCRAM-SHA-512", "admin").salt()).isEqualTo(salt);
    }

    @Test
    void aBrokerThatWasDownCatchesUpWithTheChangesItMissed() throws Exception {
        AclBinding payments = readAcl("payments-", "User:carol");
        try (Admin admin = admin(cluster.node(0).bootstrapServers())) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("carol",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "carol-secret"))).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> credential(2, "SCRAM-SHA-512", "carol") != null);

            cluster.node(2).stop();
            admin.createAcls(List.of(payments)).all().get(30, TimeUnit.SECONDS);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_512)))
                    .all().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 6; i++) {
                admin.createAcls(List.of(readAcl("filler-" + i + "-", "User:carol"))).all().get(30, TimeUnit.SECONDS);
            }
        }
        cluster.node(2).start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(acls(2)).contains(payments, readAcl("filler-5-", "User:carol"));
            assertThat(credential(2, "SCRAM-SHA-512", "carol")).isNull();
        });
    }
}
