package io.tributary.broker.cluster;

import io.tributary.broker.compat.KafkaTools;
import static io.tributary.broker.cluster.BrokerOnlyNodeTest.admin;
import static io.tributary.broker.cluster.BrokerOnlyNodeTest.assertSameMetadata;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import io.tributary.broker.cluster.raft.RaftMetadataQuorum;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.QuorumInfo;
import org.apache.kafka.clients.admin.RaftVoterEndpoint;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.DuplicateVoterException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.VoterNotFoundException;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The voter set of the metadata quorum changes on a running cluster, through Kafka's own
 * {@code kafka-metadata-quorum} and AdminClient: a voter whose disk died is removed and replaced by a new
 * node, which joins as a broker and is promoted; the quorum commits throughout, the new voter really votes
 * (the quorum survives the loss of an old voter afterwards), and every node ends with the same metadata.
 * Bad requests get Kafka's errors and change nothing.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class VoterReplacementTest {

    @TempDir
    Path dir;

    @Test
    void aVoterWhoseDiskDiedIsReplacedByANewNodeWhileTheQuorumStaysAvailable() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir, 3, "--tributary.cluster.snapshot-threshold=20",
                "--tributary.broker.replica-lag-time-max=2s")) {
            String bootstrap = cluster.node(0).bootstrapServers() + "," + cluster.node(1).bootstrapServers();
            try (Admin admin = admin(bootstrap)) {
                admin.createTopics(List.of(new NewTopic("ledger", 2, (short) 3))).all().get(30, TimeUnit.SECONDS);
                AckedLoad load = new AckedLoad(bootstrap, "ledger", 2);
                load.awaitMoreAcks(50, Duration.ofSeconds(30));

                QuorumInfo quorum = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS);
                assertThat(quorum.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(0, 1, 2);
                assertThat(quorum.voters()).allSatisfy(voter -> assertThat(voter.replicaDirectoryId())
                        .isEqualTo(directoryId(cluster.node(voter.replicaId()))));
                assertThat(quorum.observers()).isEmpty();
                assertThat(quorum.leaderId()).isIn(0, 1, 2);
                assertThat(quorum.highWatermark()).isPositive();
                assertThat(quorum.nodes().get(2).endpoints())
                        .containsExactly(new RaftVoterEndpoint("RAFT", "127.0.0.1", cluster.node(2).raftPort()));

                String clusterId = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
                KafkaTools.Run status = quorumTool("--bootstrap-server", bootstrap, "describe", "--status");
                assertThat(status.exitCode()).as(status.output()).isZero();
                assertThat(status.output()).contains("ClusterId:              " + clusterId)
                        .contains("LeaderId:               " + quorum.leaderId())
                        .contains("\"id\": 2, \"directoryId\": \"" + directoryId(cluster.node(2)) + "\"");

                refusesBadVoterChanges(admin, cluster);

                // Node 2's disk dies: it stops and its data is gone. It leaves the quorum, as Kafka's tool removes it.
                Uuid deadDirectory = directoryId(cluster.node(2));
                cluster.node(2).stop();
                deleteRecursively(cluster.node(2).dataDir);
                KafkaTools.Run removed = quorumTool("--bootstrap-server", bootstrap, "remove-controller",
                        "--controller-id", "2", "--controller-directory-id", deadDirectory.toString());
                assertThat(removed.exitCode()).as(removed.output()).isZero();
                assertThat(voters(admin)).containsExactlyInAnyOrder(0, 1);
                admin.createTopics(List.of(new NewTopic("during", 1, (short) 2))).all().get(30, TimeUnit.SECONDS);

                // Its replacement starts as a broker only, then is added as a voter with Kafka's tool.
                LocalCluster.Node replacement = cluster.addNode(3);
                assertThat(replacement.bean(RaftMetadataQuorum.class).role()).contains(RaftPeerRole.LISTENER);
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.describeMetadataQuorum()
                        .quorumInfo().get(10, TimeUnit.SECONDS).observers()).extracting(QuorumInfo.ReplicaState::replicaId)
                        .containsExactly(3));
                Path controllerProperties = dir.resolve("controller-3.properties");
                Files.writeString(controllerProperties, String.join("\n", "node.id=3", "process.roles=broker,controller",
                        "metadata.log.dir=" + replacement.raftDir(), "controller.listener.names=RAFT",
                        "listeners=RAFT://127.0.0.1:" + replacement.raftPort(), "bootstrap.servers=" + bootstrap));
                KafkaTools.Run added = quorumTool("--bootstrap-server", bootstrap, "--command-config",
                        controllerProperties.toString(), "add-controller");
                assertThat(added.exitCode()).as(added.output()).isZero();
                assertThat(added.output()).contains("Added controller 3 with directory id " + directoryId(replacement));
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                        replacement.bean(RaftMetadataQuorum.class).role()).hasValueSatisfying(
                                role -> assertThat(role).isIn(RaftPeerRole.FOLLOWER, RaftPeerRole.LEADER)));
                QuorumInfo replaced = admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS);
                assertThat(replaced.voters()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactlyInAnyOrder(0, 1, 3);
                assertThat(replaced.observers()).isEmpty();
                KafkaTools.Run replication = quorumTool("--bootstrap-server", bootstrap, "describe", "--replication");
                assertThat(replication.exitCode()).as(replication.output()).isZero();
                assertThat(replication.output()).contains("NodeId").contains("Leader").contains("Follower")
                        .contains(directoryId(replacement).toString()).doesNotContain(deadDirectory.toString());
                admin.createTopics(List.of(new NewTopic("after", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
                assertSameMetadata(cluster, 0, 1);
                assertSameMetadata(cluster, 0, 3);

                // The new voter votes: with one of the old voters stopped, it and the other still make a quorum.
                int leader = replaced.leaderId();
                int stopped = leader == 3 ? 0 : leader;
                int survivor = stopped == 0 ? 1 : 0;
                cluster.node(stopped).stop();
                try (Admin survivorAdmin = admin(cluster.node(survivor).bootstrapServers())) {
                    survivorAdmin.createTopics(List.of(new NewTopic("with-new-voter", 1, (short) 2))).all()
                            .get(60, TimeUnit.SECONDS);
                }
                cluster.node(stopped).start();
                assertSameMetadata(cluster, survivor, stopped);
                assertSameMetadata(cluster, survivor, 3);

                // The leader itself, running, is removed: the leadership moves first, and it goes on as a broker
                // only (an observer), until it is added back.
                try (Admin any = admin(cluster.node(survivor).bootstrapServers() + "," + replacement.bootstrapServers())) {
                    int current = any.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).leaderId();
                    LocalCluster.Node demoted = cluster.node(current);
                    any.removeRaftVoter(current, directoryId(demoted)).all().get(60, TimeUnit.SECONDS);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        QuorumInfo info = any.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS);
                        assertThat(info.voters()).extracting(QuorumInfo.ReplicaState::replicaId).hasSize(2).doesNotContain(current);
                        assertThat(info.observers()).extracting(QuorumInfo.ReplicaState::replicaId).containsExactly(current);
                        assertThat(demoted.bean(RaftMetadataQuorum.class).role()).contains(RaftPeerRole.LISTENER);
                    });
                    // Three replicas need all three brokers unfenced; on a loaded machine a 3 s session can lapse
                    // while the leadership moves, and the broker registers again at its next heartbeat.
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(any.describeCluster()
                            .nodes().get(10, TimeUnit.SECONDS)).extracting(Node::id).containsExactlyInAnyOrder(0, 1, 3));
                    any.createTopics(List.of(new NewTopic("while-observing", 1, (short) 3))).all().get(30, TimeUnit.SECONDS);
                    assertThat(demoted.image().topic("while-observing")).isPresent();
                    any.addRaftVoter(current, directoryId(demoted),
                            Set.of(new RaftVoterEndpoint("RAFT", "127.0.0.1", demoted.raftPort()))).all().get(60, TimeUnit.SECONDS);
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                            demoted.bean(RaftMetadataQuorum.class).role()).hasValueSatisfying(
                                    role -> assertThat(role).isNotEqualTo(RaftPeerRole.LISTENER)));
                    assertThat(voters(any)).containsExactlyInAnyOrder(0, 1, 3);
                }
                assertSameMetadata(cluster, 0, 1);
                assertSameMetadata(cluster, 0, 3);
                load.stopAndVerify(cluster.node(survivor).bootstrapServers());
            }
        }
    }

    /** Kafka's errors for what cannot be done, and the voters unchanged. */
    private static void refusesBadVoterChanges(Admin admin, LocalCluster cluster) throws Exception {
        Set<RaftVoterEndpoint> endpoint1 = Set.of(new RaftVoterEndpoint("RAFT", "127.0.0.1", cluster.node(1).raftPort()));
        assertThatThrownBy(() -> admin.addRaftVoter(1, directoryId(cluster.node(1)), endpoint1).all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(DuplicateVoterException.class)
                .hasMessageContaining("is already part of the set of voters");
        assertThatThrownBy(() -> admin.addRaftVoter(5, Uuid.randomUuid(),
                Set.of(new RaftVoterEndpoint("RAFT", "127.0.0.1", 1))).all().get(30, TimeUnit.SECONDS))
                .as("not a running broker-only node").isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> admin.addRaftVoter(5, Uuid.randomUuid(),
                Set.of(new RaftVoterEndpoint("CONTROLLER", "127.0.0.1", 1))).all().get(30, TimeUnit.SECONDS))
                .as("without the RAFT endpoint").isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> admin.removeRaftVoter(7, Uuid.randomUuid()).all().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(VoterNotFoundException.class);
        assertThatThrownBy(() -> admin.removeRaftVoter(0, Uuid.randomUuid()).all().get(30, TimeUnit.SECONDS))
                .as("a voter's id with another directory").isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(VoterNotFoundException.class);
        assertThat(voters(admin)).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void theLastVoterCannotBeRemoved() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir, 1);
                Admin admin = admin(cluster.node(0).bootstrapServers())) {
            assertThatThrownBy(() -> admin.removeRaftVoter(0, directoryId(cluster.node(0))).all().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(VoterNotFoundException.class)
                    .hasMessageContaining("Cannot remove voter ReplicaKey(id=0");
            assertThat(voters(admin)).containsExactly(0);
            admin.createTopics(List.of(new NewTopic("still-served", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static List<Integer> voters(Admin admin) throws Exception {
        return admin.describeMetadataQuorum().quorumInfo().get(30, TimeUnit.SECONDS).voters().stream()
                .map(QuorumInfo.ReplicaState::replicaId).toList();
    }

    private static Uuid directoryId(LocalCluster.Node node) {
        return node.bean(RaftMetadataQuorum.class).meta().directoryId();
    }

    private static KafkaTools.Run quorumTool(String... args) {
        return KafkaTools.metadataQuorum(args);
    }

    private static void deleteRecursively(Path root) throws java.io.IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
