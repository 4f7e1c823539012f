package io.tributary.broker.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.RunningBroker;
import io.tributary.broker.share.coordinator.SharePartitionKey;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.message.WriteShareGroupStateRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.ReadShareGroupStateRequest;
import org.apache.kafka.common.requests.ReadShareGroupStateResponse;
import org.apache.kafka.common.requests.WriteShareGroupStateRequest;
import org.apache.kafka.common.requests.WriteShareGroupStateResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The share coordinator's APIs on the wire of a running broker, built by kafka-clients' request builders
 * as Kafka's share-partition leaders send them: advertised at the versions kafka-clients defines (v0),
 * FindCoordinator with a SHARE key names this broker, and state written is read back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShareGroupStateRequestsTest {

    @TempDir
    Path dir;

    @Test
    void aShareStateWrittenOnTheWireIsReadBackAndItsCoordinatorFound() throws Exception {
        try (RunningBroker broker = RunningBroker.start(dir);
                Admin admin = Clients.admin(broker.bootstrapServers());
                RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
            Clients.createTopic(admin, "jobs", 1, Map.of());
            Uuid topicId = admin.describeTopics(List.of("jobs")).allTopicNames().get().get("jobs").topicId();

            ApiVersionsResponse versions = client.call(new ApiVersionsRequest.Builder(new ApiVersionsRequestData()
                    .setClientSoftwareName("compat-test").setClientSoftwareVersion("1"), (short) 3, (short) 3).build());
            for (ApiKeys api : List.of(ApiKeys.INITIALIZE_SHARE_GROUP_STATE, ApiKeys.READ_SHARE_GROUP_STATE,
                    ApiKeys.WRITE_SHARE_GROUP_STATE, ApiKeys.DELETE_SHARE_GROUP_STATE, ApiKeys.READ_SHARE_GROUP_STATE_SUMMARY)) {
                ApiVersion advertised = versions.data().apiKeys().find(api.id);
                assertThat(advertised).as(api.name()).isNotNull();
                assertThat(advertised.minVersion()).isZero();
                assertThat(advertised.maxVersion()).isEqualTo(api.latestVersion());
            }

            String key = new SharePartitionKey("workers", topicId, 0).asCoordinatorKey();
            FindCoordinatorResponse found = client.call(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                    .setKeyType(FindCoordinatorRequest.CoordinatorType.SHARE.id()).setCoordinatorKeys(List.of(key)))
                    .build((short) 6));
            assertThat(found.data().coordinators()).singleElement().satisfies(coordinator -> {
                assertThat(coordinator.errorCode()).isEqualTo(Errors.NONE.code());
                assertThat(coordinator.port()).isEqualTo(broker.port());
            });

            WriteShareGroupStateResponse written = client.call(new WriteShareGroupStateRequest.Builder(
                    new WriteShareGroupStateRequestData().setGroupId("workers").setTopics(List.of(
                            new WriteShareGroupStateRequestData.WriteStateData().setTopicId(topicId).setPartitions(List.of(
                                    new WriteShareGroupStateRequestData.PartitionData().setPartition(0).setStateEpoch(0)
                                            .setLeaderEpoch(0).setStartOffset(3).setStateBatches(List.of(
                                                    new WriteShareGroupStateRequestData.StateBatch().setFirstOffset(3)
                                                            .setLastOffset(5).setDeliveryState((byte) 4)
                                                            .setDeliveryCount((short) 5)))))))).build());
            assertThat(written.data().results().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());

            ReadShareGroupStateResponse read = client.call(new ReadShareGroupStateRequest.Builder(
                    new ReadShareGroupStateRequestData().setGroupId("workers").setTopics(List.of(
                            new ReadShareGroupStateRequestData.ReadStateData().setTopicId(topicId).setPartitions(List.of(
                                    new ReadShareGroupStateRequestData.PartitionData().setPartition(0).setLeaderEpoch(0))))))
                    .build());
            ReadShareGroupStateResponseData.PartitionResult result = read.data().results().get(0).partitions().get(0);
            assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(result.startOffset()).isEqualTo(3);
            assertThat(result.stateBatches()).singleElement().satisfies(batch -> {
                assertThat(batch.firstOffset()).isEqualTo(3);
                assertThat(batch.lastOffset()).isEqualTo(5);
                assertThat(batch.deliveryState()).isEqualTo((byte) 4);
                assertThat(batch.deliveryCount()).isEqualTo((short) 5);
            });
        }
    }
}
