package io.tributary.broker.api;

import static io.tributary.broker.api.HandlerHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import io.tributary.broker.share.coordinator.ShareCoordinator;
import io.tributary.broker.share.coordinator.ShareCoordinatorConfig;
import io.tributary.broker.share.coordinator.SharePartitionKey;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteShareGroupStateRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.InitializeShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryResponseData;
import org.apache.kafka.common.message.WriteShareGroupStateRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteShareGroupStateResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitializeShareGroupStateResponse;
import org.apache.kafka.common.requests.ReadShareGroupStateResponse;
import org.apache.kafka.common.requests.ReadShareGroupStateSummaryResponse;
import org.apache.kafka.common.requests.WriteShareGroupStateResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The share coordinator's APIs as another broker sends them (through their wire form): state written with
 * WriteShareGroupState is read back as sent, fenced as Kafka fences, initialized, summarized and deleted;
 * all of them, and FindCoordinator's SHARE keys, only for principals allowed CLUSTER_ACTION.
 */
class ShareGroupStateHandlersTest {

    private static final String GROUP = "queue-readers";

    @TempDir
    Path dir;

    private HandlerHarness broker;
    private ShareCoordinator shares;
    private Uuid topicId;

    @BeforeEach
    void start() {
        broker = new HandlerHarness(dir);
        broker.createTopic("jobs", 2);
        topicId = broker.topics.store().topic("jobs").orElseThrow().id();
        shares = new ShareCoordinator(new ShareCoordinatorConfig(3, 1, 1024 * 1024, 5_000), broker.topics,
                broker.partitions, Clock.systemUTC());
        shares.startup();
    }

    @AfterEach
    void stop() throws IOException {
        shares.close();
        broker.close();
    }

    private void allowClusterAction() {
        broker.authorizer.allowCluster(ALICE, AclOperation.CLUSTER_ACTION);
    }

    private WriteShareGroupStateResponse write(int partition, int stateEpoch, int leaderEpoch, long startOffset,
            WriteShareGroupStateRequestData.StateBatch... batches) {
        return broker.call(new WriteShareGroupStateHandler(shares, broker.authorization), new WriteShareGroupStateRequestData()
                .setGroupId(GROUP).setTopics(List.of(new WriteShareGroupStateRequestData.WriteStateData().setTopicId(topicId)
                        .setPartitions(List.of(new WriteShareGroupStateRequestData.PartitionData().setPartition(partition)
                                .setStateEpoch(stateEpoch).setLeaderEpoch(leaderEpoch).setStartOffset(startOffset)
                                .setStateBatches(List.of(batches)))))));
    }

    private ReadShareGroupStateResponseData.PartitionResult read(int partition, int leaderEpoch) {
        ReadShareGroupStateResponse response = broker.call(new ReadShareGroupStateHandler(shares, broker.authorization),
                new ReadShareGroupStateRequestData().setGroupId(GROUP).setTopics(List.of(
                        new ReadShareGroupStateRequestData.ReadStateData().setTopicId(topicId).setPartitions(List.of(
                                new ReadShareGroupStateRequestData.PartitionData().setPartition(partition)
                                        .setLeaderEpoch(leaderEpoch))))));
        return response.data().results().get(0).partitions().get(0);
    }

    private ReadShareGroupStateSummaryResponseData.PartitionResult summary(int partition) {
        ReadShareGroupStateSummaryResponse response = broker.call(new ReadShareGroupStateSummaryHandler(shares,
                broker.authorization), new ReadShareGroupStateSummaryRequestData().setGroupId(GROUP).setTopics(List.of(
                        new ReadShareGroupStateSummaryRequestData.ReadStateSummaryData().setTopicId(topicId).setPartitions(
                                List.of(new ReadShareGroupStateSummaryRequestData.PartitionData().setPartition(partition)
                                        .setLeaderEpoch(-1))))));
        return response.data().results().get(0).partitions().get(0);
    }

    private static WriteShareGroupStateRequestData.StateBatch batch(long first, long last, byte state, short count) {
        return new WriteShareGroupStateRequestData.StateBatch().setFirstOffset(first).setLastOffset(last)
                .setDeliveryState(state).setDeliveryCount(count);
    }

    private static short errorOf(WriteShareGroupStateResponse response) {
        return response.data().results().get(0).partitions().get(0).errorCode();
    }

    @Test
    void stateWrittenIsReadBackAsSentAndAShareWithoutStateIsUninitialized() {
        allowClusterAction();

        ReadShareGroupStateResponseData.PartitionResult before = read(0, 1);
        assertThat(before.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(before.startOffset()).isEqualTo(-1);
        assertThat(before.stateEpoch()).isZero();
        assertThat(before.stateBatches()).isEmpty();

        assertThat(errorOf(write(0, 0, 1, 10, batch(10, 19, (byte) 2, (short) 1), batch(20, 24, (byte) 0, (short) 2))))
                .isEqualTo(Errors.NONE.code());

        ReadShareGroupStateResponseData.PartitionResult after = read(0, 1);
        assertThat(after.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(after.startOffset()).isEqualTo(10);
        assertThat(after.stateBatches()).extracting(ReadShareGroupStateResponseData.StateBatch::firstOffset,
                ReadShareGroupStateResponseData.StateBatch::lastOffset, ReadShareGroupStateResponseData.StateBatch::deliveryState,
                ReadShareGroupStateResponseData.StateBatch::deliveryCount)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(10L, 19L, (byte) 2, (short) 1),
                        org.assertj.core.groups.Tuple.tuple(20L, 24L, (byte) 0, (short) 2));
        assertThat(read(1, 1).startOffset()).isEqualTo(-1); // the other partition has none
    }

    @Test
    void olderLeadersAndStateEpochsAreFenced() {
        allowClusterAction();
        write(0, 1, 3, 0);

        assertThat(errorOf(write(0, 1, 2, 5))).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
        assertThat(errorOf(write(0, 0, 3, 5))).isEqualTo(Errors.FENCED_STATE_EPOCH.code());
        assertThat(read(0, 2).errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
        assertThat(read(0, 4).errorCode()).isEqualTo(Errors.NONE.code()); // the new leader's epoch is recorded
        assertThat(errorOf(write(0, 1, 3, 5))).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
        assertThat(summary(0).leaderEpoch()).isEqualTo(4);
    }

    @Test
    void unknownTopicsAndPartitionsAreRefused() {
        allowClusterAction();

        assertThat(errorOf(write(2, 0, 0, 0))).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(errorOf(write(-1, 0, 0, 0))).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(errorOf(write(0, 0, 0, 10, batch(10, 9, (byte) 0, (short) 1)))).isEqualTo(Errors.INVALID_REQUEST.code());
    }

    @Test
    void initializeSummaryAndDeleteActOnTheStoredState() {
        allowClusterAction();
        write(0, 0, 1, 10, batch(10, 19, (byte) 2, (short) 1));

        InitializeShareGroupStateResponse initialized = broker.call(new InitializeShareGroupStateHandler(shares,
                broker.authorization), new InitializeShareGroupStateRequestData().setGroupId(GROUP).setTopics(List.of(
                        new InitializeShareGroupStateRequestData.InitializeStateData().setTopicId(topicId).setPartitions(
                                List.of(new InitializeShareGroupStateRequestData.PartitionData().setPartition(0)
                                        .setStateEpoch(1).setStartOffset(50))))));
        assertThat(initialized.data().results().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        ReadShareGroupStateSummaryResponseData.PartitionResult summary = summary(0);
        assertThat(summary.stateEpoch()).isEqualTo(1);
        assertThat(summary.leaderEpoch()).isEqualTo(1);
        assertThat(summary.startOffset()).isEqualTo(50);
        assertThat(read(0, 1).stateBatches()).isEmpty();

        DeleteShareGroupStateResponse deleted = broker.call(new DeleteShareGroupStateHandler(shares, broker.authorization),
                new DeleteShareGroupStateRequestData().setGroupId(GROUP).setTopics(List.of(
                        new DeleteShareGroupStateRequestData.DeleteStateData().setTopicId(topicId).setPartitions(List.of(
                                new DeleteShareGroupStateRequestData.PartitionData().setPartition(0))))));
        assertThat(deleted.data().results().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(summary(0).startOffset()).isEqualTo(-1);
        assertThat(read(0, 0).startOffset()).isEqualTo(-1);
    }

    @Test
    void withoutClusterActionNothingIsReadOrWritten() {
        assertThat(errorOf(write(0, 0, 1, 10))).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(read(0, 1).errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(summary(0).errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());

        allowClusterAction();
        assertThat(read(0, 1).startOffset()).isEqualTo(-1);
    }

    @Test
    void findCoordinatorAnswersTheLeaderOfTheKeysStatePartitionForClusterActionOnly() {
        String key = new SharePartitionKey(GROUP, topicId, 1).asCoordinatorKey();
        FindCoordinatorHandler find = new FindCoordinatorHandler(broker.broker, broker.groups, null, shares,
                broker.topics.store(), broker.authorization);
        FindCoordinatorRequestData request = new FindCoordinatorRequestData()
                .setKeyType(FindCoordinatorRequest.CoordinatorType.SHARE.id()).setCoordinatorKeys(List.of(key, "not-a-share-key"));

        FindCoordinatorResponse refused = broker.call(find, request, (short) 6);
        assertThat(refused.data().coordinators()).extracting(FindCoordinatorResponseData.Coordinator::errorCode)
                .containsOnly(Errors.CLUSTER_AUTHORIZATION_FAILED.code());

        allowClusterAction();
        FindCoordinatorResponse found = broker.call(find, request, (short) 6);
        assertThat(found.data().coordinators().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(found.data().coordinators().get(0).nodeId()).isEqualTo(0);
        assertThat(found.data().coordinators().get(1).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
        assertThat(broker.topics.store().topic(ShareCoordinator.STATE_TOPIC)).hasValueSatisfying(topic -> {
            assertThat(topic.partitionCount()).isEqualTo(3);
            assertThat(topic.configs()).containsEntry("cleanup.policy", "compact");
        });
        assertThat(shares.partitionFor(key))
                .isEqualTo(org.apache.kafka.common.utils.Utils.abs(key.hashCode()) % 3);
    }
}
