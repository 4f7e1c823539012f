package io.tributary.broker.api;

import static io.tributary.broker.api.HandlerHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Produce, Fetch, ListOffsets, OffsetForLeaderEpoch and DeleteRecords refuse what Kafka refuses. */
class TopicDataAuthorizationTest {

    private static final short BY_NAME = 12;

    @TempDir
    Path dir;

    private HandlerHarness broker;

    @BeforeEach
    void start() {
        broker = new HandlerHarness(dir);
        broker.createTopic("orders", 2);
        broker.createTopic("secrets", 1);
    }

    @AfterEach
    void stop() throws IOException {
        broker.close();
    }

    @Test
    void produceAppendsOnlyToTopicsThePrincipalMayWriteAndAsksOnceForAllOfThem() {
        broker.authorizer.allow(ALICE, AclOperation.WRITE, ResourceType.TOPIC, "orders");
        ProduceHandler produce = new ProduceHandler(broker.topics, broker.partitions, broker.authorization);

        ProduceResponse response = broker.call(produce, produce(null, records(), "orders", "secrets", "missing"), BY_NAME);

        assertThat(error(response, "orders")).isEqualTo(Errors.NONE);
        assertThat(error(response, "secrets")).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
        // Unauthorized and unknown look alike, so that the topic's existence does not leak.
        assertThat(error(response, "missing")).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
        assertThat(broker.logEndOffset("orders", 0)).isEqualTo(1);
        assertThat(broker.logEndOffset("secrets", 0)).isZero();
        assertThat(broker.authorizer.asked()).hasSize(1);
    }

    @Test
    void anAuthorizedUnknownTopicIsStillUnknown() {
        broker.authorizer.allow(ALICE, AclOperation.WRITE, ResourceType.TOPIC, "missing");
        ProduceHandler produce = new ProduceHandler(broker.topics, broker.partitions, broker.authorization);

        ProduceResponse response = broker.call(produce, produce(null, records(), "missing"), BY_NAME);

        assertThat(error(response, "missing")).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void transactionalBatchesNeedWriteOnTheTransactionalId() {
        broker.authorizer.allow(ALICE, AclOperation.WRITE, ResourceType.TOPIC, "orders");
        ProduceHandler produce = new ProduceHandler(broker.topics, broker.partitions, broker.authorization);
        MemoryRecords transactional = MemoryRecords.withTransactionalRecords(Compression.NONE, 7L, (short) 0, 0,
                new SimpleRecord("v".getBytes()));

        ProduceResponse response = broker.call(produce, produce("payments-tx", transactional, "orders"), BY_NAME);

        assertThat(error(response, "orders")).isEqualTo(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        assertThat(broker.logEndOffset("orders", 0)).isZero();
    }

    @Test
    void anUnknownTopicIdIsUnknownBeforeAnyAuthorization() {
        ProduceHandler produce = new ProduceHandler(broker.topics, broker.partitions, broker.authorization);
        ProduceRequestData data = produce(null, records(), "orders");
        data.topicData().iterator().next().setName("").setTopicId(Uuid.randomUuid());

        ProduceResponse response = broker.call(produce, data, (short) 13);

        assertThat(response.data().responses().iterator().next().partitionResponses().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());
    }

    @Test
    void consumersFetchOnlyTopicsTheyMayRead() {
        broker.authorizer.allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders");
        FetchHandler fetch = new FetchHandler(broker.topics.store(), broker.partitions, broker.authorization);

        FetchResponse response = broker.call(fetch, fetch(-1, "orders", "secrets", "missing"), BY_NAME);

        assertThat(fetchError(response, "orders")).isEqualTo(Errors.NONE);
        assertThat(fetchError(response, "secrets")).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
        assertThat(fetchError(response, "missing")).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
    }

    @Test
    void followersNeedClusterActionRatherThanRead() {
        broker.authorizer.allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders");
        FetchHandler fetch = new FetchHandler(broker.topics.store(), broker.partitions, broker.authorization);

        FetchResponse refused = broker.call(fetch, fetch(1, "orders"), BY_NAME);
        broker.authorizer.allowCluster(ALICE, AclOperation.CLUSTER_ACTION);
        FetchResponse allowed = broker.call(fetch, fetch(1, "orders"), BY_NAME);

        assertThat(fetchError(refused, "orders")).isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
        // Past the check: broker 1 holds no replica here.
        assertThat(fetchError(allowed, "orders")).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Test
    void listOffsetsNeedsDescribe() {
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "orders");
        ListOffsetsHandler listOffsets = new ListOffsetsHandler(broker.partitions, broker.authorization);
        ListOffsetsRequestData data = new ListOffsetsRequestData().setReplicaId(-1);
        for (String topic : List.of("orders", "secrets")) {
            data.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName(topic).setPartitions(List.of(
                    new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1))));
        }

        ListOffsetsResponse response = broker.call(listOffsets, data);

        assertThat(response.data().topics()).extracting(topic -> topic.name() + ":" + topic.partitions().get(0).errorCode())
                .containsExactly("orders:" + Errors.NONE.code(), "secrets:" + Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    @Test
    void offsetForLeaderEpochNeedsClusterActionOrDescribe() {
        OffsetForLeaderEpochHandler handler = new OffsetForLeaderEpochHandler(broker.partitions, broker.authorization);
        broker.authorizer.allow(ALICE, AclOperation.DESCRIBE, ResourceType.TOPIC, "orders");

        OffsetsForLeaderEpochResponse consumer = broker.call(handler, epochRequest("orders", "secrets"));
        broker.authorizer.allowCluster(ALICE, AclOperation.CLUSTER_ACTION);
        OffsetsForLeaderEpochResponse replica = broker.call(handler, epochRequest("orders", "secrets"));

        assertThat(consumer.data().topics().find("orders").partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(consumer.data().topics().find("secrets").partitions().get(0).errorCode())
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(replica.data().topics().find("secrets").partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
    }

    @Test
    void deleteRecordsNeedsDeleteAndLeavesRefusedLogsAlone() {
        broker.authorizer.allow(ALICE, AclOperation.WRITE, ResourceType.TOPIC, "orders")
                .allow(ALICE, AclOperation.WRITE, ResourceType.TOPIC, "secrets")
                .allow(ALICE, AclOperation.DELETE, ResourceType.TOPIC, "orders");
        ProduceHandler produce = new ProduceHandler(broker.topics, broker.partitions, broker.authorization);
        broker.call(produce, produce(null, records(), "orders", "secrets"), BY_NAME);
        DeleteRecordsHandler deleteRecords = new DeleteRecordsHandler(broker.partitions, broker.topics.store(), broker.authorization);
        DeleteRecordsRequestData data = new DeleteRecordsRequestData().setTimeoutMs(1000);
        for (String topic : List.of("orders", "secrets")) {
            data.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(topic).setPartitions(List.of(
                    new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(-1))));
        }

        DeleteRecordsResponse response = broker.call(deleteRecords, data);

        assertThat(response.data().topics().find("orders").partitions().find(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().topics().find("secrets").partitions().find(0).errorCode())
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        assertThat(broker.partitions.partition(new TopicPartition("secrets", 0)).orElseThrow().log().logStartOffset()).isZero();
        assertThat(broker.partitions.partition(new TopicPartition("orders", 0)).orElseThrow().log().logStartOffset()).isOne();
    }

    private static MemoryRecords records() {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()));
    }

    private static ProduceRequestData produce(String transactionalId, MemoryRecords records, String... topics) {
        TopicProduceDataCollection topicData = new TopicProduceDataCollection();
        for (String topic : topics) {
            topicData.add(new TopicProduceData().setName(topic).setPartitionData(List.of(
                    new PartitionProduceData().setIndex(0).setRecords(records))));
        }
        return new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5000).setTransactionalId(transactionalId)
                .setTopicData(topicData);
    }

    private static Errors error(ProduceResponse response, String topic) {
        PartitionProduceResponse partition = response.data().responses().find(topic, Uuid.ZERO_UUID).partitionResponses().get(0);
        return Errors.forCode(partition.errorCode());
    }

    private static FetchRequestData fetch(int replicaId, String... topics) {
        FetchRequestData data = new FetchRequestData().setReplicaId(replicaId).setMaxWaitMs(0).setMinBytes(0)
                .setMaxBytes(1 << 20);
        for (String topic : topics) {
            data.topics().add(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
                    new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1 << 20))));
        }
        return data;
    }

    private static Errors fetchError(FetchResponse response, String topic) {
        FetchResponseData.FetchableTopicResponse found = response.data().responses().stream()
                .filter(t -> t.topic().equals(topic)).findFirst().orElseThrow();
        return Errors.forCode(found.partitions().get(0).errorCode());
    }

    private static OffsetForLeaderEpochRequestData epochRequest(String... topics) {
        OffsetForLeaderTopicCollection collection = new OffsetForLeaderTopicCollection();
        for (String topic : topics) {
            collection.add(new OffsetForLeaderTopic().setTopic(topic).setPartitions(List.of(
                    new OffsetForLeaderPartition().setPartition(0).setLeaderEpoch(0).setCurrentLeaderEpoch(-1))));
        }
        return new OffsetForLeaderEpochRequestData().setReplicaId(-1).setTopics(collection);
    }

    @Test
    void describeProducersNeedsReadOnTheTopic() {
        broker.authorizer.allow(ALICE, AclOperation.READ, ResourceType.TOPIC, "orders");
        DescribeProducersHandler handler = new DescribeProducersHandler(broker.partitions, broker.authorization);

        org.apache.kafka.common.requests.DescribeProducersResponse response = broker.call(handler,
                new org.apache.kafka.common.message.DescribeProducersRequestData().setTopics(List.of(
                        new org.apache.kafka.common.message.DescribeProducersRequestData.TopicRequest()
                                .setName("orders").setPartitionIndexes(List.of(0, 7)),
                        new org.apache.kafka.common.message.DescribeProducersRequestData.TopicRequest()
                                .setName("secrets").setPartitionIndexes(List.of(0)))));

        var orders = response.data().topics().get(0).partitions();
        assertThat(Errors.forCode(orders.get(0).errorCode())).isEqualTo(Errors.NONE);
        assertThat(orders.get(0).activeProducers()).isEmpty();
        assertThat(Errors.forCode(orders.get(1).errorCode())).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(Errors.forCode(response.data().topics().get(1).partitions().get(0).errorCode()))
                .isEqualTo(Errors.TOPIC_AUTHORIZATION_FAILED);
    }
}
