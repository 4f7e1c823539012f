package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.cluster.raft.RaftMetadataQuorum;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fourth node, not among the three voters, joins the running cluster under load as a broker only:
 * it receives the metadata log as a Raft listener without voting, registers, takes replicas of a new
 * topic and serves the same metadata as the voters; it survives its own restart (catching up what it
 * missed) and a change of the quorum's leader. Nobody else restarts.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BrokerOnlyNodeTest {

    @TempDir
    Path dir;

    @Test
    void aBrokerOnlyNodeJoinsTakesReplicasAndSurvivesItsRestartAndALeaderChange() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir, 3, "--tributary.cluster.snapshot-threshold=20",
                "--tributary.broker.replica-lag-time-max=2s")) {
            try (Admin admin = admin(cluster.node(0).bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic("steady", 2, (short) 3))).all().get(30, TimeUnit.SECONDS);
            }
            AckedLoad load = new AckedLoad(cluster.node(0).bootstrapServers() + "," + cluster.node(1).bootstrapServers(),
                    "steady", 2);
            load.awaitMoreAcks(50, Duration.ofSeconds(30));

            LocalCluster.Node fourth = cluster.addNode(3);
            RaftMetadataQuorum quorum = fourth.bean(RaftMetadataQuorum.class);
            assertThat(quorum.role()).contains(RaftPeerRole.LISTENER);
            assertThat(cluster.node(0).bean(RaftMetadataQuorum.class).meta().clusterId())
                    .as("the same cluster id, kept in its Raft directory").isEqualTo(quorum.meta().clusterId());
            Properties meta = new Properties();
            meta.load(Files.newBufferedReader(fourth.raftDir().resolve("meta.properties")));
            assertThat(meta).containsEntry("node.id", "3").containsEntry("cluster.id", quorum.meta().clusterId().toString());
            assertSameMetadata(cluster, 0, 3);

            try (Admin admin = admin(fourth.bootstrapServers())) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.describeCluster().nodes()
                        .get(10, TimeUnit.SECONDS)).extracting(Node::id).containsExactlyInAnyOrder(0, 1, 2, 3));
                admin.createTopics(List.of(new NewTopic("spread", 4, (short) 3))).all().get(30, TimeUnit.SECONDS);
                TopicDescription spread = admin.describeTopics(List.of("spread")).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get("spread");
                assertThat(spread.partitions()).as("the new broker holds replicas of the new topic")
                        .filteredOn(p -> p.replicas().stream().anyMatch(n -> n.id() == 3)).hasSize(3);
                assertThat(spread.partitions()).extracting(p -> p.leader().id()).contains(3);
            }
            AckedLoad spreadLoad = new AckedLoad(fourth.bootstrapServers(), "spread", 4);
            spreadLoad.awaitMoreAcks(30, Duration.ofSeconds(30));
            awaitFullIsr(cluster.node(0), "spread");
            assertSameMetadata(cluster, 0, 3);

            // Its restart: it misses a topic created meanwhile and catches up, still a listener.
            fourth.stop();
            try (Admin admin = admin(cluster.node(1).bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic("while-away", 1, (short) 2))).all().get(30, TimeUnit.SECONDS);
            }
            fourth.start();
            assertThat(fourth.bean(RaftMetadataQuorum.class).role()).contains(RaftPeerRole.LISTENER);
            assertThat(fourth.image().topic("while-away")).isPresent();
            awaitFullIsr(cluster.node(0), "spread");
            assertSameMetadata(cluster, 0, 3);

            // The voters' leader (the controller) stops: the broker-only node follows the new leader.
            int controller = cluster.node(0).bean(RaftMetadataQuorum.class).leaderId();
            cluster.node(controller).stop();
            int survivor = controller == 0 ? 1 : 0;
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                int leader = cluster.node(survivor).bean(RaftMetadataQuorum.class).leaderId();
                assertThat(leader).isNotIn(-1, controller);
                assertThat(fourth.bean(RaftMetadataQuorum.class).leaderId()).isEqualTo(leader);
            });
            try (Admin admin = admin(fourth.bootstrapServers())) {
                admin.createTopics(List.of(new NewTopic("after-leader-change", 2, (short) 2))).all().get(30, TimeUnit.SECONDS);
            }
            assertThat(fourth.image().topic("after-leader-change")).isPresent();
            cluster.node(controller).start();
            awaitFullIsr(cluster.node(survivor), "spread");
            assertSameMetadata(cluster, survivor, 3);
            assertSameMetadata(cluster, controller, 3);

            spreadLoad.stopAndVerify(fourth.bootstrapServers());
            load.stopAndVerify(cluster.node(survivor).bootstrapServers());
        }
    }

    /**
     * A second broker-only node joining does not push the first out of the quorum's listeners (Ratis'
     * ADD mode did: it staged the request's listeners alone), and both go on receiving the metadata.
     */
    @Test
    void aSecondBrokerOnlyNodeJoiningKeepsTheFirstAListener() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir, 3)) {
            LocalCluster.Node fourth = cluster.addNode(3);
            LocalCluster.Node fifth = cluster.addNode(4);
            try (Admin admin = admin(cluster.node(0).bootstrapServers())) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS);
                    assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(0, 1, 2);
                    assertThat(quorum.observers()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(3, 4);
                });
                admin.createTopics(List.of(new NewTopic("after-both-joined", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
            }
            for (LocalCluster.Node node : List.of(fourth, fifth)) {
                assertThat(node.bean(RaftMetadataQuorum.class).role()).contains(RaftPeerRole.LISTENER);
                await().atMost(Duration.ofSeconds(10)).until(() -> node.image().topic("after-both-joined").isPresent());
            }
            assertSameMetadata(cluster, 0, 3);
            assertSameMetadata(cluster, 0, 4);
        }
    }

    /** The two nodes' replicas of the metadata become identical (and stay so while nothing changes). */
    static void assertSameMetadata(LocalCluster cluster, int one, int other) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            MetadataImage expected = cluster.node(one).image();
            assertThat(cluster.node(other).image()).isEqualTo(expected);
        });
    }

    private static void awaitFullIsr(LocalCluster.Node node, String topic) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (PartitionState partition : node.image().topic(topic).orElseThrow().partitions()) {
                assertThat(partition.isr()).containsExactlyInAnyOrderElementsOf(partition.replicas());
            }
        });
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }
}
