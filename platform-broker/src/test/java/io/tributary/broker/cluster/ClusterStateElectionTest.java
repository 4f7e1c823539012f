package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import io.tributary.broker.cluster.MetadataCommand.AlterPartition;
import io.tributary.broker.cluster.MetadataCommand.CreateTopic;
import io.tributary.broker.cluster.MetadataCommand.ElectLeader;
import io.tributary.broker.cluster.MetadataCommand.FenceBroker;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import io.tributary.broker.cluster.MetadataCommand.ReplaceBrokerConfigs;
import io.tributary.broker.metadata.DynamicBrokerConfigs;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * Leader elections as the metadata state machine applies them (Kafka's controller's answers to
 * ElectLeaders), what the controller picks to elect by itself, and the dynamic broker configs.
 */
class ClusterStateElectionTest {

    private final ClusterState state = new ClusterState(MetadataImage.EMPTY);

    private void registerBrokers(int... ids) {
        for (int id : ids) {
            assertThat(state.apply(new RegisterBroker(id, "127.0.0.1", 9000 + id)).error()).isEqualTo(Errors.NONE);
        }
    }

    private void create(String name, int partitions, int replicationFactor, Map<String, String> configs) {
        assertThat(state.apply(new CreateTopic(name, Uuid.randomUuid(), partitions, replicationFactor, configs)).error())
                .isEqualTo(Errors.NONE);
    }

    private PartitionState partition(String topic, int index) {
        return state.image().partition(topic, index).orElseThrow();
    }

    private CommandResult elect(String topic, int partition, ElectionType type) {
        return state.apply(new ElectLeader(topic, partition, type));
    }

    @Test
    void aPreferredElectionMovesTheLeadershipOnlyToALiveInSyncPreferredReplica() {
        registerBrokers(0, 1, 2);
        create("t", 1, 3, Map.of());
        assertThat(partition("t", 0).replicas()).containsExactly(0, 1, 2);
        assertThat(elect("t", 0, ElectionType.PREFERRED).error()).isEqualTo(Errors.ELECTION_NOT_NEEDED);

        state.apply(new FenceBroker(0));
        assertThat(partition("t", 0).leader()).isEqualTo(1);
        MetadataImage fenced = state.image();
        CommandResult refused = elect("t", 0, ElectionType.PREFERRED);
        assertThat(refused.error()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        assertThat(state.image()).as("a refused election changes nothing").isEqualTo(fenced);

        // Back, but not yet in sync: still not available.
        state.apply(new RegisterBroker(0, "127.0.0.1", 9000));
        assertThat(elect("t", 0, ElectionType.PREFERRED).error()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);

        state.apply(new AlterPartition("t", 0, 1, 1, List.of(1, 2, 0)));
        assertThat(partition("t", 0).leader()).isEqualTo(1);
        assertThat(elect("t", 0, ElectionType.PREFERRED).error()).isEqualTo(Errors.NONE);
        PartitionState elected = partition("t", 0);
        assertThat(elected.leader()).isZero();
        assertThat(elected.leaderEpoch()).isEqualTo(2);
        assertThat(elected.isr()).containsExactly(1, 2, 0);
        assertThat(elect("t", 0, ElectionType.PREFERRED).error()).isEqualTo(Errors.ELECTION_NOT_NEEDED);
    }

    @Test
    void anUncleanElectionGivesALeaderlessPartitionALiveOutOfSyncReplicaAloneInTheIsr() {
        registerBrokers(0, 1, 2);
        create("t", 1, 3, Map.of());
        // Brokers 1 and 2 fell behind: broker 0 is the only one in sync, then dies.
        state.apply(new AlterPartition("t", 0, 0, 0, List.of(0)));
        state.apply(new FenceBroker(1));
        state.apply(new FenceBroker(2));
        state.apply(new FenceBroker(0));
        PartitionState leaderless = partition("t", 0);
        assertThat(leaderless.leader()).isEqualTo(PartitionState.NO_LEADER);
        assertThat(leaderless.isr()).containsExactly(0);

        MetadataImage before = state.image();
        assertThat(elect("t", 0, ElectionType.UNCLEAN).error()).as("no live replica")
                .isEqualTo(Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE);
        assertThat(state.image()).isEqualTo(before);
        assertThat(elect("t", 0, ElectionType.PREFERRED).error()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);

        state.apply(new RegisterBroker(2, "127.0.0.1", 9002));
        state.apply(new RegisterBroker(1, "127.0.0.1", 9001));
        assertThat(partition("t", 0).leader()).as("no clean election: the out-of-sync replicas wait")
                .isEqualTo(PartitionState.NO_LEADER);

        assertThat(elect("t", 0, ElectionType.UNCLEAN).error()).isEqualTo(Errors.NONE);
        PartitionState unclean = partition("t", 0);
        assertThat(unclean.leader()).as("the first live replica in preference order").isEqualTo(1);
        assertThat(unclean.isr()).containsExactly(1);
        assertThat(unclean.leaderEpoch()).isEqualTo(leaderless.leaderEpoch() + 1);
        assertThat(elect("t", 0, ElectionType.UNCLEAN).error()).isEqualTo(Errors.ELECTION_NOT_NEEDED);

        // The former in-sync replica returns as a follower of the new leader's log.
        state.apply(new RegisterBroker(0, "127.0.0.1", 9000));
        assertThat(partition("t", 0).leader()).isEqualTo(1);
        assertThat(partition("t", 0).isr()).containsExactly(1);
    }

    @Test
    void anUncleanElectionPrefersALiveInSyncReplicaWhenThereIsOne() {
        registerBrokers(0, 1);
        create("t", 1, 1, Map.of());
        int only = partition("t", 0).leader();
        state.apply(new FenceBroker(only));
        // The last in-sync replica returns: it leads again by itself, and nothing is unclean.
        state.apply(new RegisterBroker(only, "127.0.0.1", 9000));
        assertThat(partition("t", 0).leader()).isEqualTo(only);
        assertThat(elect("t", 0, ElectionType.UNCLEAN).error()).isEqualTo(Errors.ELECTION_NOT_NEEDED);
    }

    @Test
    void electionsOfUnknownTopicsOrPartitionsAreRefusedAsKafkaRefusesThem() {
        registerBrokers(0);
        create("t", 1, 1, Map.of());
        CommandResult topic = elect("missing", 0, ElectionType.PREFERRED);
        assertThat(topic.error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(topic.message()).isEqualTo("No such topic as missing");
        CommandResult partition = elect("t", 9, ElectionType.UNCLEAN);
        assertThat(partition.error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(partition.message()).isEqualTo("No such partition as t-9");
        assertThat(elect("t", -1, ElectionType.PREFERRED).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void theControllerElectsPreferredLeadersBackAndUncleanLeadersOnlyWhereTheTopicAllows() {
        registerBrokers(0, 1, 2);
        create("balanced", 3, 3, Map.of());
        create("lossy", 1, 2, Map.of("unclean.leader.election.enable", "true"));
        create("safe", 1, 2, Map.of());
        assertThat(ControllerElections.preferredElections(state.image())).isEmpty();

        // balanced-0's preferred replica 0 comes back in sync under leader 1.
        state.apply(new FenceBroker(0));
        state.apply(new RegisterBroker(0, "127.0.0.1", 9000));
        state.apply(new AlterPartition("balanced", 0, 1, 1, List.of(1, 2, 0)));
        assertThat(ControllerElections.preferredElections(state.image()))
                .containsExactly(new TopicPartition("balanced", 0));

        // lossy and safe lose their only in-sync replica while the other replica is live but behind.
        for (String topic : List.of("lossy", "safe")) {
            PartitionState p = partition(topic, 0);
            state.apply(new AlterPartition(topic, 0, p.leader(), p.leaderEpoch(), List.of(p.leader())));
            state.apply(new FenceBroker(p.leader()));
        }
        assertThat(ControllerElections.uncleanElections(state.image(),
                info -> "true".equals(info.configs().get("unclean.leader.election.enable"))))
                .containsExactly(new TopicPartition("lossy", 0));
        assertThat(ControllerElections.uncleanElections(state.image(), info -> false)).isEmpty();
    }

    @Test
    void dynamicBrokerConfigsAreReplacedPerResourceAndRemovedWhenEmpty() {
        state.apply(new ReplaceBrokerConfigs("", Map.of("leader.replication.throttled.rate", "100")));
        state.apply(new ReplaceBrokerConfigs("1", Map.of("follower.replication.throttled.rate", "5",
                "leader.replication.throttled.rate", "7")));
        DynamicBrokerConfigs configs = state.image().brokerConfigs();
        assertThat(configs.clusterDefault()).containsExactly(Map.entry("leader.replication.throttled.rate", "100"));
        assertThat(configs.broker(1)).hasSize(2);
        assertThat(configs.broker(2)).isEmpty();

        state.apply(new ReplaceBrokerConfigs("1", Map.of("unclean.leader.election.enable", "true")));
        assertThat(state.image().brokerConfigs().broker(1))
                .containsExactly(Map.entry("unclean.leader.election.enable", "true"));
        state.apply(new ReplaceBrokerConfigs("", Map.of()));
        assertThat(state.image().brokerConfigs().byResource()).containsOnlyKeys("1");
    }
}
