package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Status;
import io.tributary.broker.admin.ReplicationHealthIndicator;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import io.tributary.broker.security.ScramUsers;
import io.tributary.broker.security.TestCertificates;

/**
 * Three brokers whose only listener is SASL_SSL, with the authorizer on and the metadata quorum on
 * mutual TLS: clients and replica fetchers alike authenticate over TLS. Broker 2 starts with an inter-broker user that does not exist yet, so
 * its fetchers are refused: the partitions brokers 0 and 1 lead stay under-replicated, its health says
 * why, acks=all still succeeds on the other two, and once the user is created it catches up with
 * everything.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SecureClusterTest {

    @TempDir
    static Path dir;

    private static LocalCluster cluster;
    private static TestCertificates certificates;

    @BeforeAll
    static void startCluster() {
        certificates = TestCertificates.create(dir.resolve("certs"));
        List<String> shared = new ArrayList<>(List.of(
                "--tributary.broker.security.listener.sasl_ssl.ssl-bundle=broker",
                "--tributary.broker.security.authorizer.enabled=true",
                "--tributary.broker.security.super-users=User:admin;User:broker;User:late-broker",
                "--tributary.broker.security.inter-broker.sasl-mechanism=SCRAM-SHA-512",
                "--tributary.broker.default-replication-factor=3",
                "--tributary.broker.min-insync-replicas=2",
                "--tributary.broker.replica-lag-time-max=3s",
                "--tributary.cluster.ssl-bundle=broker"));
        shared.addAll(certificates.bundleArgs("broker", "broker"));
        shared.addAll(ScramUsers.bootstrapArgs(0, "admin", "admin-secret"));
        shared.addAll(ScramUsers.bootstrapArgs(1, "broker", "broker-secret"));
        cluster = LocalCluster.start(dir, 3, (id, port) -> List.of(
                "--tributary.broker.listeners=SASL_SSL://127.0.0.1:" + port,
                "--tributary.broker.security.inter-broker.username=" + (id == 2 ? "late-broker" : "broker"),
                "--tributary.broker.security.inter-broker.password=" + (id == 2 ? "late-secret" : "broker-secret")),
                shared.toArray(String[]::new));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void replicationRefusedForBadCredentialsShowsInHealthLosesNothingAndRecovers() throws Exception {
        try (Admin admin = Admin.create(client("admin", "admin-secret"))) {
            admin.createTopics(List.of(new NewTopic("secured-replicated", 6, (short) 3))).all().get(30, TimeUnit.SECONDS);
            List<String> sent = new ArrayList<>();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(withAcksAll(client("admin", "admin-secret")),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 60; i++) {
                    producer.send(new ProducerRecord<>("secured-replicated", "key-" + i, "value-" + i)).get(30, TimeUnit.SECONDS);
                    sent.add("key-" + i);
                }
            }
            // Broker 2 cannot fetch: what brokers 0 and 1 lead lacks it in the ISR, and its health says why.
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(cluster.node(2).bean(ReplicationHealthIndicator.class).health().getStatus()).isEqualTo(Status.DOWN);
                assertThat(underReplicated(admin)).isNotEmpty().allSatisfy(p -> assertThat(p.leader().id()).isNotEqualTo(2));
            });
            assertThat(cluster.node(2).bean(ReplicationHealthIndicator.class).health().getDetails().toString())
                    .contains("authentication failed");
            assertThat(cluster.node(0).bean(ReplicationHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
            assertThat(consumeAll(sent.size())).containsExactlyInAnyOrderElementsOf(sent);

            // The missing user is created: broker 2 authenticates, catches up, and every ISR is whole again.
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("late-broker",
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), "late-secret"))).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(cluster.node(2).bean(ReplicationHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
                assertThat(underReplicated(admin)).isEmpty();
            });
        }
    }

    /** The quorum's transport takes only peers with the cluster's certificate: a plaintext client submits nothing. */
    @Test
    void theMetadataQuorumRefusesAClientWithoutTheClustersCertificate() throws Exception {
        ClusterProperties properties = cluster.node(0).bean(ClusterProperties.class);
        List<RaftPeer> peers = properties.parsedVoters().stream().map(voter -> RaftPeer.newBuilder()
                .setId(RaftPeerId.valueOf(Integer.toString(voter.id()))).setAddress(voter.address()).build()).toList();
        RaftProperties raft = new RaftProperties();
        RaftConfigKeys.Rpc.setType(raft, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(raft, TimeDuration.valueOf(2, TimeUnit.SECONDS));
        try (RaftClient intruder = RaftClient.newBuilder().setProperties(raft)
                .setRaftGroup(RaftGroup.valueOf(RaftGroupId.valueOf(properties.clusterUuid()), peers))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(2, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
                .build()) {
            MetadataCommand grantAll = new MetadataCommand.CreateAcls(List.of(new AclBinding(
                    new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
                    new AccessControlEntry("User:intruder", "*", AclOperation.ALL, AclPermissionType.ALLOW))));
            assertThatThrownBy(() -> intruder.io().send(Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(grantAll)))))
                    .isInstanceOf(java.io.IOException.class);
        }
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.node(node).bean(org.apache.kafka.server.authorizer.Authorizer.class)
                    .acls(org.apache.kafka.common.acl.AclBindingFilter.ANY))
                    .noneMatch(acl -> acl.entry().principal().equals("User:intruder"));
        }
    }

    private static List<TopicPartitionInfo> underReplicated(Admin admin) throws Exception {
        TopicDescription topic = admin.describeTopics(List.of("secured-replicated")).allTopicNames().get(30, TimeUnit.SECONDS)
                .get("secured-replicated");
        return topic.partitions().stream().filter(p -> p.isr().size() < p.replicas().size()).toList();
    }

    private static List<String> consumeAll(int expected) {
        Map<String, Object> config = client("admin", "admin-secret");
        config.put("enable.auto.commit", false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < 6; p++) {
                partitions.add(new TopicPartition("secured-replicated", p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<String> keys = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(record.key());
                }
                return keys.size() >= expected;
            });
            return keys;
        }
    }

    private static Map<String, Object> withAcksAll(Map<String, Object> config) {
        config.put("acks", "all");
        config.put("delivery.timeout.ms", 60_000);
        return config;
    }

    private static Map<String, Object> client(String user, String password) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", cluster.bootstrapServers());
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", "SCRAM-SHA-512");
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";");
        config.put("ssl.truststore.location", certificates.trustStore().toString());
        config.put("ssl.truststore.type", "PKCS12");
        config.put("ssl.truststore.password", TestCertificates.PASSWORD);
        return config;
    }
}
