package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import io.tributary.broker.cluster.MetadataCommand.AllocateProducerIds;
import io.tributary.broker.cluster.MetadataCommand.AlterPartition;
import io.tributary.broker.cluster.MetadataCommand.CreatePartitions;
import io.tributary.broker.cluster.MetadataCommand.CreateTopic;
import io.tributary.broker.cluster.MetadataCommand.DeleteTopic;
import io.tributary.broker.cluster.MetadataCommand.ElectLeader;
import io.tributary.broker.cluster.MetadataCommand.FenceBroker;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import io.tributary.broker.cluster.MetadataCommand.RegisterMetadataLogDirectory;
import io.tributary.broker.cluster.MetadataCommand.ReplaceConfigs;
import io.tributary.broker.cluster.MetadataCommand.CreateAcls;
import io.tributary.broker.cluster.MetadataCommand.DeleteScramCredential;
import io.tributary.broker.cluster.MetadataCommand.PutScramCredential;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.ScramCredentialData;
import io.tributary.broker.metadata.ScramCredentialKey;
import io.tributary.broker.metadata.SecurityImage;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The metadata state machine as plain Java: placement, fencing, preferred leaders, snapshots. */
class ClusterStateTest {

    private final ClusterState state = new ClusterState(MetadataImage.EMPTY);

    private void registerBrokers(int... ids) {
        for (int id : ids) {
            assertThat(state.apply(new RegisterBroker(id, "127.0.0.1", 9000 + id)).error()).isEqualTo(Errors.NONE);
        }
    }

    private CommandResult create(String name, int partitions, int replicationFactor) {
        return state.apply(new CreateTopic(name, Uuid.randomUuid(), partitions, replicationFactor, Map.of()));
    }

    private List<PartitionState> partitions(String topic) {
        return state.image().topic(topic).orElseThrow().partitions();
    }

    @Test
    void aclsAndCredentialsChangeOnlyTheSecurityImageAndSurviveTopicChanges() {
        registerBrokers(0);
        AclBinding acl = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
                new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
        ScramCredentialKey alice = new ScramCredentialKey("alice", ScramMechanism.SCRAM_SHA_256);
        ScramCredentialData first = new ScramCredentialData(new byte[] {1}, new byte[] {2}, new byte[] {3}, 4096);
        ScramCredentialData second = new ScramCredentialData(new byte[] {9}, new byte[] {8}, new byte[] {7}, 8192);

        assertThat(state.apply(new CreateAcls(List.of(acl))).error()).isEqualTo(Errors.NONE);
        SecurityImage afterAcl = state.image().security();
        create("orders", 1, 1);
        assertThat(state.image().security()).isSameAs(afterAcl);

        assertThat(state.apply(new PutScramCredential(alice, first, true)).value()).isEqualTo(1);
        // A bootstrap user submitted again, by another broker or after a restart, keeps the first credential.
        assertThat(state.apply(new PutScramCredential(alice, second, true)).value()).isZero();
        assertThat(state.image().security().credential(alice)).contains(first);
        assertThat(state.apply(new PutScramCredential(alice, second, false)).value()).isEqualTo(1);
        assertThat(state.image().security().credential(alice)).contains(second);
        assertThat(state.image().security().acls()).containsExactly(acl);

        assertThat(state.apply(new DeleteScramCredential(alice)).error()).isEqualTo(Errors.NONE);
        assertThat(state.apply(new DeleteScramCredential(alice)).error()).isEqualTo(Errors.RESOURCE_NOT_FOUND);
    }

    @Test
    void placementSpreadsReplicasAndLeadersEvenlyAcrossLiveBrokers() {
        registerBrokers(0, 1, 2);
        create("a", 6, 3);
        create("b", 1, 1);
        create("c", 2, 2);

        assertThat(partitions("a")).allSatisfy(p -> {
            assertThat(p.replicas()).containsExactlyInAnyOrder(0, 1, 2);
            assertThat(p.isr()).isEqualTo(p.replicas());
            assertThat(p.leader()).isEqualTo(p.preferredLeader());
            assertThat(p.leaderEpoch()).isZero();
        });
        assertThat(partitions("a").stream().map(PartitionState::leader)).containsExactly(0, 1, 2, 0, 1, 2);
        // The cursor carries on across topics, so small topics do not all land on broker 0.
        assertThat(partitions("b").get(0).replicas()).containsExactly(0);
        assertThat(partitions("c").stream().map(PartitionState::replicas)).containsExactly(List.of(1, 2), List.of(2, 0));
        assertThat(state.image().leaderCounts()).containsExactlyInAnyOrderEntriesOf(Map.of(0, 3L, 1, 3L, 2, 3L));
    }

    @Test
    void aReplicationFactorAboveTheLiveBrokersIsRefused() {
        registerBrokers(0, 1);
        CommandResult result = create("t", 1, 3);

        assertThat(result.error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(state.image().topics()).isEmpty();
        assertThat(create("t", 1, 2).error()).isEqualTo(Errors.NONE);
        assertThat(create("t", 1, 2).error()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
        assertThat(create("bad name", 1, 1).error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
    }

    @Test
    void fencingABrokerMovesItsLeadershipsToAnotherInSyncReplicaInANewEpoch() {
        registerBrokers(0, 1, 2);
        create("t", 3, 3);

        state.apply(new FenceBroker(1));

        assertThat(state.image().liveBrokers()).extracting(BrokerRegistration::nodeId).containsExactly(0, 2);
        List<PartitionState> after = partitions("t");
        assertThat(after).allSatisfy(p -> {
            assertThat(p.isr()).doesNotContain(1);
            assertThat(p.leader()).isNotEqualTo(1);
        });
        assertThat(after.get(1).leader()).isEqualTo(2); // replicas [1, 2, 0]: the next in-sync one
        assertThat(after.get(1).leaderEpoch()).isEqualTo(1);
        assertThat(after.get(0).leaderEpoch()).as("a leader that stays keeps its epoch").isZero();
        assertThat(after.get(2).leaderEpoch()).isZero();
    }

    @Test
    void aPartitionWhoseLastInSyncReplicaIsFencedHasNoLeaderUntilItReturns() {
        registerBrokers(0, 1);
        create("t", 1, 1);
        int only = partitions("t").get(0).leader();

        state.apply(new FenceBroker(only));
        assertThat(partitions("t").get(0).leader()).isEqualTo(PartitionState.NO_LEADER);
        assertThat(partitions("t").get(0).isr()).containsExactly(only);

        state.apply(new RegisterBroker(only, "127.0.0.1", 9000));
        assertThat(partitions("t").get(0).leader()).isEqualTo(only);
        assertThat(partitions("t").get(0).leaderEpoch()).isEqualTo(2);
    }

    @Test
    void aReturningBrokerRejoinsTheIsrOnlyThroughItsLeaderAndTakesBackItsPreferredLeadershipOnlyByAnElection() {
        registerBrokers(0, 1, 2);
        create("t", 3, 2);
        state.apply(new FenceBroker(0));
        assertThat(partitions("t").get(0).leader()).isEqualTo(1);

        state.apply(new RegisterBroker(0, "127.0.0.1", 9100));
        PartitionState registered = partitions("t").get(0);
        assertThat(registered.isr()).as("registration alone does not make it in sync").containsExactly(1);
        assertThat(registered.leader()).isEqualTo(1);
        assertThat(state.image().brokers().get(0).port()).isEqualTo(9100);

        assertThat(state.apply(new AlterPartition("t", 0, 1, 1, List.of(1, 0))).error()).isEqualTo(Errors.NONE);
        PartitionState inSync = partitions("t").get(0);
        assertThat(inSync.isr()).containsExactly(1, 0);
        assertThat(inSync.leader()).as("an ISR change never moves the leadership, as in Kafka").isEqualTo(1);
        assertThat(inSync.leaderEpoch()).isEqualTo(1);

        assertThat(state.apply(new ElectLeader("t", 0, ElectionType.PREFERRED)).error()).isEqualTo(Errors.NONE);
        PartitionState preferred = partitions("t").get(0);
        assertThat(preferred.leader()).as("preferred leader back by an election").isZero();
        assertThat(preferred.isr()).containsExactly(1, 0);
        assertThat(preferred.leaderEpoch()).isEqualTo(2);
    }

    @Test
    void anIsrChangeFromAStaleLeaderOrForAFencedReplicaIsRefused() {
        registerBrokers(0, 1, 2);
        create("t", 1, 3);
        PartitionState initial = partitions("t").get(0);
        int leader = initial.leader();
        int follower = initial.replicas().get(1);
        List<Integer> shrunk = initial.isr().stream().filter(r -> r != follower).toList();

        assertThat(state.apply(new AlterPartition("t", 0, leader, 0, shrunk)).error()).isEqualTo(Errors.NONE);
        assertThat(partitions("t").get(0).isr()).doesNotContain(follower);
        assertThat(partitions("t").get(0).leaderEpoch()).as("an ISR change keeps the epoch").isZero();

        assertThat(state.apply(new AlterPartition("t", 0, leader, -1, initial.isr())).error())
                .isEqualTo(Errors.FENCED_LEADER_EPOCH);
        assertThat(state.apply(new AlterPartition("t", 0, follower, 0, initial.isr())).error())
                .isEqualTo(Errors.FENCED_LEADER_EPOCH);
        state.apply(new FenceBroker(follower));
        assertThat(state.apply(new AlterPartition("t", 0, leader, 0, initial.isr())).error())
                .isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(partitions("t").get(0).isr()).isEqualTo(shrunk);
    }

    /**
     * KIP-903: a leader saw the follower caught up and proposes it, but before the quorum applies the
     * proposal the follower is fenced, restarts (perhaps without records it had not flushed) and
     * registers again. The proposal carries the broker epoch of the incarnation the leader saw, which is
     * no longer the registered one: refused, and the ISR stays as it was.
     */
    @Test
    void anIsrChangeAddingAReplicaThatRegisteredAgainSinceTheLeaderSawItIsRefused() {
        registerBrokers(0, 1, 2);
        create("t", 1, 3);
        PartitionState initial = partitions("t").get(0);
        int leader = initial.leader();
        int other = initial.replicas().get(1);
        int follower = initial.replicas().get(2);
        assertThat(state.apply(new AlterPartition("t", 0, leader, 0, List.of(leader, other))).error())
                .isEqualTo(Errors.NONE);
        long seen = state.image().brokers().get(follower).epoch();
        List<Long> epochs = List.of(state.image().brokers().get(leader).epoch(),
                state.image().brokers().get(other).epoch(), seen);
        AlterPartition stale = new AlterPartition("t", 0, leader, 0, List.of(leader, other, follower), epochs);

        state.apply(new FenceBroker(follower));
        CommandResult registered = state.apply(new RegisterBroker(follower, "127.0.0.1", 9000 + follower));
        long current = state.image().brokers().get(follower).epoch();
        assertThat(current).as("a new incarnation's epoch").isNotEqualTo(seen).isEqualTo(registered.value());

        CommandResult refused = state.apply(stale);
        assertThat(refused.error()).isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(refused.message()).contains("broker epoch " + current).contains(String.valueOf(seen));
        assertThat(partitions("t").get(0).isr()).containsExactly(leader, other);
        assertThat(partitions("t").get(0).leaderEpoch()).isZero();

        // The leader's next proposal, made once the new incarnation fetched and caught up, carries its epoch.
        AlterPartition fresh = new AlterPartition("t", 0, leader, 0, List.of(leader, other, follower),
                List.of(epochs.get(0), epochs.get(1), current));
        assertThat(state.apply(fresh).error()).isEqualTo(Errors.NONE);
        assertThat(partitions("t").get(0).isr()).containsExactly(leader, other, follower);
    }

    @Test
    void brokerEpochsAreTheRegistrationsLogIndexesAndOnlyTheReplicasAChangeAddsAreChecked() {
        assertThat(state.apply(10, new RegisterBroker(0, "127.0.0.1", 9000)).value()).isEqualTo(10);
        assertThat(state.apply(11, new RegisterBroker(1, "127.0.0.1", 9001)).value()).isEqualTo(11);
        assertThat(state.apply(12, new RegisterBroker(2, "127.0.0.1", 9002)).value()).isEqualTo(12);
        assertThat(state.image().brokers().get(1).epoch()).isEqualTo(11);
        state.apply(13, new CreateTopic("t", Uuid.randomUuid(), 1, 3, Map.of(), List.of(List.of(0, 1, 2))));
        state.apply(14, new FenceBroker(1));
        assertThat(state.image().brokers().get(1).epoch()).as("fencing keeps the epoch").isEqualTo(11);
        assertThat(partitions("t").get(0).isr()).containsExactly(0, 2);

        // A replica that stays in the ISR is not checked: a shrink goes through whatever the epochs say.
        assertThat(state.apply(15, new AlterPartition("t", 0, 0, 0, List.of(0), List.of(99L))).error())
                .isEqualTo(Errors.NONE);
        // A fenced replica is refused whatever its epoch; an unknown epoch (-1) is not checked, as in Kafka.
        assertThat(state.apply(16, new AlterPartition("t", 0, 0, 0, List.of(0, 1), List.of(10L, 11L))).error())
                .isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(state.apply(17, new AlterPartition("t", 0, 0, 0, List.of(0, 2), List.of(10L, 13L))).error())
                .isEqualTo(Errors.INELIGIBLE_REPLICA);
        assertThat(state.apply(18, new AlterPartition("t", 0, 0, 0, List.of(0, 2), List.of(10L, -1L))).error())
                .isEqualTo(Errors.NONE);
        assertThat(partitions("t").get(0).isr()).containsExactly(0, 2);
    }

    @Test
    void aRestartedBrokerThatWasNeverFencedLeavesTheIsrAndItsLeadership() {
        registerBrokers(0, 1, 2);
        create("t", 1, 3);
        int leader = partitions("t").get(0).leader();

        state.apply(new RegisterBroker(leader, "127.0.0.1", 9200));

        PartitionState after = partitions("t").get(0);
        assertThat(after.isr()).doesNotContain(leader).hasSize(2);
        assertThat(after.leader()).isNotEqualTo(leader).isIn(after.isr());
        assertThat(after.leaderEpoch()).isEqualTo(1);
    }

    @Test
    void partitionsConfigsDeletionAndProducerIdBlocks() {
        registerBrokers(0, 1);
        create("t", 1, 2);
        assertThat(state.apply(new CreatePartitions("t", 3)).error()).isEqualTo(Errors.NONE);
        assertThat(state.apply(new CreatePartitions("t", 2)).error()).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(partitions("t")).hasSize(3).allSatisfy(p -> assertThat(p.replicas()).hasSize(2));
        assertThat(state.image().topic("t").orElseThrow().info().partitionCount()).isEqualTo(3);

        state.apply(new ReplaceConfigs("t", Map.of("retention.ms", "1000")));
        assertThat(state.image().topic("t").orElseThrow().info().configs()).containsEntry("retention.ms", "1000");

        assertThat(state.apply(new AllocateProducerIds(0)).value()).isZero();
        assertThat(state.apply(new AllocateProducerIds(1)).value()).isEqualTo(ClusterState.PRODUCER_ID_BLOCK);

        assertThat(state.apply(new DeleteTopic("t")).error()).isEqualTo(Errors.NONE);
        assertThat(state.apply(new DeleteTopic("t")).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void commandsAndSnapshotsSurviveTheirEncoding() throws IOException {
        registerBrokers(0, 1, 2);
        Uuid id = Uuid.randomUuid();
        MetadataCommand command = new CreateTopic("t", id, 4, 3, Map.of("cleanup.policy", "compact"));
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(command))).isEqualTo(command);
        MetadataCommand alter = new AlterPartition("t", 2, 1, 7, List.of(1, 0));
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(alter))).isEqualTo(alter);
        MetadataCommand withEpochs = new AlterPartition("t", 2, 1, 7, List.of(1, 0), List.of(-1L, 42L));
        assertThat(MetadataCodec.decodeCommand(MetadataCodec.encode(withEpochs))).isEqualTo(withEpochs);
        state.apply(command);
        state.apply(new FenceBroker(2));
        state.apply(new AllocateProducerIds(0));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        MetadataCodec.writeImage(new DataOutputStream(bytes), state.image());
        MetadataImage read = MetadataCodec.readImage(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(read).isEqualTo(state.image());
        assertThat(read.brokers().get(2).epoch()).as("a broker's epoch survives a snapshot").isEqualTo(3);
        CommandResult failure = new CommandResult(Errors.INVALID_REPLICATION_FACTOR, "no", 0);
        assertThat(MetadataCodec.decodeResult(MetadataCodec.encode(failure))).isEqualTo(failure);
    }

    @Test
    void aNodesMetadataLogDirectoryIsKeptThroughEveryOtherChangeAndReplacedByItsNextStorage() {
        Uuid first = Uuid.randomUuid();
        assertThat(state.apply(new RegisterMetadataLogDirectory(3, first)).error()).isEqualTo(Errors.NONE);
        registerBrokers(0, 1, 3);
        create("t", 3, 3);
        state.apply(new FenceBroker(1));
        state.apply(new AllocateProducerIds(0));
        state.apply(new CreateAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL),
                new AccessControlEntry("User:a", "*", AclOperation.READ, AclPermissionType.ALLOW)))));
        assertThat(state.image().metadataLogDirectory(3)).isEqualTo(first);
        assertThat(state.image().metadataLogDirectory(0)).isEqualTo(Uuid.ZERO_UUID);

        // The same node id on a new disk: its new storage's id replaces the old one.
        Uuid second = Uuid.randomUuid();
        state.apply(new RegisterMetadataLogDirectory(3, second));
        assertThat(state.image().metadataLogDirectories()).containsExactly(Map.entry(3, second));
    }
}
