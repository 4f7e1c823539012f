package io.tributary.broker.cluster.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import io.tributary.broker.cluster.BrokerRegistration;
import io.tributary.broker.cluster.ClusterState;
import io.tributary.broker.cluster.MetadataCommand;
import io.tributary.broker.cluster.MetadataCommand.ReassignPartition;
import io.tributary.broker.cluster.MetadataImage;
import io.tributary.broker.cluster.TopicState;
import io.tributary.broker.metadata.DynamicBrokerConfigs;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.SecurityImage;
import io.tributary.broker.metadata.ThrottledReplicas;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;

/**
 * The balancer's throttle bookkeeping against the real metadata state machine: it adds only entries
 * that were not listed, takes back only its own once a move no longer runs, sets the default rates only
 * where none is set and removes them only if no one changed them meanwhile.
 */
class BalancerThrottlesTest {

    private static final String LEADER_RATE = "leader.replication.throttled.rate";
    private static final String FOLLOWER_RATE = "follower.replication.throttled.rate";

    private ClusterState state;
    private BalancerThrottles throttles;

    @Test
    void itTakesBackExactlyWhatItSetOnceItsMovesAreDone() {
        start(Map.of("retention.ms", "1000"), Map.of());
        BalancePlanner.Move move = move(0, List.of(0, 1, 2), List.of(3, 1, 2));

        assertThat(throttles.throttle(move)).isEmpty();
        assertThat(configs()).containsEntry(ThrottledReplicas.LEADER_CONFIG, "0:0,0:1,0:2")
                .containsEntry(ThrottledReplicas.FOLLOWER_CONFIG, "0:3").containsEntry("retention.ms", "1000");
        assertThat(defaults()).containsEntry(LEADER_RATE, "1048576").containsEntry(FOLLOWER_RATE, "1048576");
        reassign(move);

        throttles.releaseFinished();
        assertThat(configs()).as("still moving").containsKey(ThrottledReplicas.FOLLOWER_CONFIG);
        assertThat(throttles.keys()).hasSize(1);

        cancel(move);
        throttles.releaseFinished();
        assertThat(configs()).isEqualTo(Map.of("retention.ms", "1000"));
        assertThat(defaults()).isEmpty();
        assertThat(throttles.keys()).isEmpty();
        assertThat(throttles.ratesSet()).isEmpty();
    }

    @Test
    void whatAnOperatorSetOrChangedStays() {
        start(Map.of(ThrottledReplicas.LEADER_CONFIG, "5:9, 0:1"), Map.of(FOLLOWER_RATE, "100"));
        BalancePlanner.Move first = move(0, List.of(0, 1, 2), List.of(3, 1, 2));
        BalancePlanner.Move second = move(1, List.of(1, 2, 0), List.of(1, 2, 3));

        throttles.throttle(first);
        reassign(first);
        throttles.throttle(second);
        reassign(second);
        assertThat(configs()).containsEntry(ThrottledReplicas.LEADER_CONFIG, "5:9,0:1,0:0,0:2,1:1,1:2,1:0")
                .containsEntry(ThrottledReplicas.FOLLOWER_CONFIG, "0:3,1:3");
        assertThat(defaults()).as("only the rate no one set").isEqualTo(Map.of(FOLLOWER_RATE, "100", LEADER_RATE, "1048576"));
        assertThat(throttles.ratesSet()).containsOnlyKeys(LEADER_RATE);

        cancel(first);
        throttles.releaseFinished();
        assertThat(configs()).containsEntry(ThrottledReplicas.LEADER_CONFIG, "5:9,0:1,1:1,1:2,1:0")
                .containsEntry(ThrottledReplicas.FOLLOWER_CONFIG, "1:3");
        assertThat(defaults()).as("a move is still in flight").containsEntry(LEADER_RATE, "1048576");

        // An operator changes the rate the balancer set: from then on it is theirs.
        state.apply(new MetadataCommand.ReplaceBrokerConfigs(DynamicBrokerConfigs.CLUSTER_DEFAULT,
                Map.of(FOLLOWER_RATE, "100", LEADER_RATE, "777")));
        cancel(second);
        throttles.releaseFinished();
        assertThat(configs()).isEqualTo(Map.of(ThrottledReplicas.LEADER_CONFIG, "5:9,0:1"));
        assertThat(defaults()).isEqualTo(Map.of(FOLLOWER_RATE, "100", LEADER_RATE, "777"));
        assertThat(throttles.ratesSet()).isEmpty();
    }

    @Test
    void aListThrottlingEveryReplicaIsLeftAsItIsAndAMoveThatDidNotStartIsTakenBackAtOnce() {
        start(Map.of(ThrottledReplicas.LEADER_CONFIG, "*"), Map.of());
        BalancePlanner.Move move = move(0, List.of(0, 1, 2), List.of(3, 1, 2));
        throttles.throttle(move);
        assertThat(configs()).containsEntry(ThrottledReplicas.LEADER_CONFIG, "*")
                .containsEntry(ThrottledReplicas.FOLLOWER_CONFIG, "0:3");

        throttles.abandon(move);
        assertThat(configs()).isEqualTo(Map.of(ThrottledReplicas.LEADER_CONFIG, "*"));
        assertThat(defaults()).isEmpty();

        assertThat(throttles.throttle(new BalancePlanner.Move("gone", 0, List.of(0, 1, 2), List.of(3, 1, 2))))
                .hasValueSatisfying(reason -> assertThat(reason).contains("gone"));
        assertThat(throttles.keys()).isEmpty();
    }

    @Test
    void aTopicDeletedAndCreatedAgainKeepsItsNewConfigs() {
        start(Map.of(), Map.of());
        BalancePlanner.Move move = move(0, List.of(0, 1, 2), List.of(3, 1, 2));
        throttles.throttle(move);
        reassign(move);
        state.apply(new MetadataCommand.DeleteTopic("t"));
        state.apply(MetadataCommand.CreateTopic.assigned("t", Uuid.randomUuid(), List.of(List.of(0, 1, 2)),
                Map.of(ThrottledReplicas.FOLLOWER_CONFIG, "0:3")));

        throttles.releaseFinished();
        assertThat(configs()).isEqualTo(Map.of(ThrottledReplicas.FOLLOWER_CONFIG, "0:3"));
        assertThat(throttles.keys()).isEmpty();
        assertThat(defaults()).isEmpty();
    }

    private void start(Map<String, String> topicConfigs, Map<String, String> defaults) {
        Map<Integer, BrokerRegistration> brokers = new HashMap<>();
        for (int id = 0; id < 4; id++) {
            brokers.put(id, new BrokerRegistration(id, "h", 9092 + id, -1, false));
        }
        List<PartitionState> partitions = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            partitions.add(PartitionState.initial(List.of(p % 3, (p + 1) % 3, (p + 2) % 3)));
        }
        TopicState topic = new TopicState(new TopicInfo("t", Uuid.randomUuid(), 3, topicConfigs), partitions);
        state = new ClusterState(new MetadataImage(brokers, Map.of("t", topic), 0, 0, SecurityImage.EMPTY,
                DynamicBrokerConfigs.EMPTY.with(DynamicBrokerConfigs.CLUSTER_DEFAULT, defaults)));
        throttles = new BalancerThrottles(1024 * 1024, state::image, state::apply);
    }

    private static BalancePlanner.Move move(int partition, List<Integer> from, List<Integer> to) {
        return new BalancePlanner.Move("t", partition, from, to);
    }

    private void reassign(BalancePlanner.Move move) {
        assertThat(state.apply(new ReassignPartition("t", move.partition(), move.to(), false)).error().code()).isZero();
        assertThat(state.image().partition("t", move.partition()).orElseThrow().isReassigning()).isTrue();
    }

    private void cancel(BalancePlanner.Move move) {
        assertThat(state.apply(new ReassignPartition("t", move.partition(), null, false)).error().code()).isZero();
    }

    private Map<String, String> configs() {
        return state.image().topics().get("t").info().configs();
    }

    private Map<String, String> defaults() {
        return state.image().brokerConfigs().clusterDefault();
    }
}
