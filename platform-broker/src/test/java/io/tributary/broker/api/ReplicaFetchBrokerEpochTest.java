package io.tributary.broker.api;

import static io.tributary.broker.api.HandlerHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.IsrChannel;
import io.tributary.broker.partition.LocalReplica;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KIP-903 on the leader: the broker epoch a follower's fetch carries (FetchRequest v15+'s
 * ReplicaState.ReplicaEpoch) is what the leader proposes with that follower for the ISR; a fetch of
 * an older version carries none, which the leader proposes as unknown (-1), as Kafka does.
 */
class ReplicaFetchBrokerEpochTest {

    /** A proposal the leader made. */
    private record Proposal(TopicPartition partition, List<Integer> isr, List<Long> brokerEpochs) {
    }

    @TempDir
    Path dir;

    private HandlerHarness broker;
    private final List<Proposal> proposals = new CopyOnWriteArrayList<>();
    private TopicInfo topic;

    @BeforeEach
    void start() {
        broker = new HandlerHarness(dir);
        broker.createTopic("orders", 2);
        broker.authorizer.allowCluster(ALICE, AclOperation.CLUSTER_ACTION);
        broker.partitions.isrChannel((partition, leaderEpoch, isr, brokerEpochs, done) -> {
            proposals.add(new Proposal(partition, isr, brokerEpochs));
            done.ended(IsrChannel.Result.COMMITTED);
        });
        topic = broker.topics.store().topic("orders").orElseThrow();
        // Both partitions led here in epoch 1, with broker 1 a follower out of the ISR.
        var config = broker.partitions.partition(new TopicPartition("orders", 0)).orElseThrow().log().config();
        PartitionState state = new PartitionState(0, 1, List.of(0, 1), List.of(0));
        broker.partitions.reconcile(Map.of(new TopicPartition("orders", 0), new LocalReplica(topic, state, config),
                new TopicPartition("orders", 1), new LocalReplica(topic, state, config)));
    }

    @AfterEach
    void stop() throws IOException {
        broker.close();
    }

    @Test
    void aFollowersBrokerEpochGoesWithItIntoTheLeadersIsrProposal() {
        FetchHandler fetch = new FetchHandler(broker.topics.store(), broker.partitions, broker.authorization);
        FetchRequestData v17 = fetchFromLogEnd(0);
        v17.setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(1).setReplicaEpoch(42));

        FetchResponse response = broker.call(fetch, v17, (short) 17);

        assertThat(error(response)).isEqualTo(Errors.NONE);
        assertThat(proposals).containsExactly(new Proposal(new TopicPartition("orders", 0), List.of(0, 1),
                List.of(-1L, 42L)));
    }

    @Test
    void aFetchOlderThanVersionFifteenCarriesNoBrokerEpochAndTheLeaderProposesItUnknown() {
        FetchHandler fetch = new FetchHandler(broker.topics.store(), broker.partitions, broker.authorization);
        FetchRequestData v14 = fetchFromLogEnd(1).setReplicaId(1);

        FetchResponse response = broker.call(fetch, v14, (short) 14);

        assertThat(error(response)).isEqualTo(Errors.NONE);
        assertThat(proposals).containsExactly(new Proposal(new TopicPartition("orders", 1), List.of(0, 1),
                List.of(-1L, -1L)));
    }

    /** A replica fetch of one partition of "orders" from its (empty) log's end, in leader epoch 1. */
    private FetchRequestData fetchFromLogEnd(int partition) {
        FetchRequestData data = new FetchRequestData().setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20);
        data.topics().add(new FetchRequestData.FetchTopic().setTopicId(topic.id()).setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(partition).setCurrentLeaderEpoch(1).setFetchOffset(0)
                        .setPartitionMaxBytes(1 << 20))));
        return data;
    }

    private static Errors error(FetchResponse response) {
        return Errors.forCode(response.data().responses().get(0).partitions().get(0).errorCode());
    }
}
