package io.tributary.broker.compat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.ElectLeadersResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every version the broker advertises in ApiVersions of the APIs other clients (librdkafka,
 * Sarama, franz-go...) use to produce and consume, not just the newest one kafka-clients picks:
 * each answers a real request for a real partition, on a connection that stays open. A field set
 * in a response version that does not have it makes serialization fail and the connection close.
 */
@Timeout(value = 60, unit = SECONDS)
class ProtocolVersionsTest {

    private static final String TOPIC = "versions";
    private static final int RECORDS = 5;

    @TempDir
    static Path dataDir;

    private static RunningBroker broker;
    private static Admin admin;
    private static Uuid topicId;
    private static Map<ApiKeys, ApiVersion> advertised;

    @BeforeAll
    @Timeout(value = 30, unit = SECONDS)
    static void startBroker() throws Exception {
        broker = RunningBroker.start(dataDir);
        admin = Clients.admin(broker.bootstrapServers());
        Clients.createTopic(admin, TOPIC, 1, Map.of());
        topicId = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).topicId();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, 1_700_000_000_000L + i, null, ("v" + i).getBytes(UTF_8)))
                        .get(10, SECONDS);
            }
        }
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
            ApiVersionsResponse response = client.call(new ApiVersionsRequest.Builder(new ApiVersionsRequestData()
                    .setClientSoftwareName("compat-test").setClientSoftwareVersion("1"), (short) 3, (short) 3).build());
            advertised = new LinkedHashMap<>();
            response.data().apiKeys().forEach(v -> advertised.put(ApiKeys.forId(v.apiKey()), v));
        }
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @Test
    void metadataAtEveryAdvertisedVersion() {
        // As data: kafka-clients' MetadataRequest.Builder refuses to build v0, which the broker advertises.
        everyVersion(ApiKeys.METADATA, version -> new MetadataRequestData().setTopics(List.of(
                        new MetadataRequestData.MetadataRequestTopic().setName(TOPIC))).setAllowAutoTopicCreation(true),
                (MetadataResponse response, SoftAssertions softly) -> {
                    MetadataResponseTopic topic = response.data().topics().find(TOPIC);
                    softly.assertThat(topic).isNotNull();
                    softly.assertThat(Errors.forCode(topic.errorCode())).isEqualTo(Errors.NONE);
                    softly.assertThat(topic.partitions()).hasSize(1);
                    softly.assertThat(response.data().brokers()).extracting(b -> b.port()).containsExactly(broker.port());
                });
    }

    @Test
    void produceAtEveryAdvertisedVersion() {
        everyVersion(ApiKeys.PRODUCE, version -> {
            ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData();
            if (version >= 13) {
                topic.setTopicId(topicId);
            } else {
                topic.setName(TOPIC);
            }
            topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(
                    MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(("produced at v" + version).getBytes(UTF_8)))));
            ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
            topics.add(topic);
            return new ProduceRequest.Builder(version, version,
                    new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics)).build(version).data();
        }, (ProduceResponse response, SoftAssertions softly) -> {
            PartitionProduceResponse partition = response.data().responses().iterator().next().partitionResponses().get(0);
            softly.assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
            softly.assertThat(partition.baseOffset()).isGreaterThanOrEqualTo(RECORDS);
        });
    }

    @Test
    void fetchAtEveryAdvertisedVersion() {
        Map<TopicPartition, FetchRequest.PartitionData> fetch = Map.of(PARTITION,
                new FetchRequest.PartitionData(topicId, 0, -1, 1 << 20, Optional.empty()));
        everyVersion(ApiKeys.FETCH, version -> FetchRequest.Builder.forConsumer(version, 0, 0, fetch).build(version).data(),
                (FetchResponse response, SoftAssertions softly) -> {
                    softly.assertThat(Errors.forCode(response.error().code())).isEqualTo(Errors.NONE);
                    FetchResponseData.PartitionData partition = response.data().responses().get(0).partitions().get(0);
                    softly.assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
                    softly.assertThat(partition.highWatermark()).isGreaterThanOrEqualTo(RECORDS);
                    softly.assertThat(partition.records().sizeInBytes()).as("bytes fetched").isPositive();
                });
    }
    @Test
    void listOffsetsAtEveryAdvertisedVersion() {
        everyVersion(ApiKeys.LIST_OFFSETS, version -> ListOffsetsRequest.Builder
                .forConsumer(false, IsolationLevel.READ_UNCOMMITTED)
                .setTargetTimes(List.of(new ListOffsetsTopic().setName(TOPIC).setPartitions(List.of(
                        new ListOffsetsPartition().setPartitionIndex(0).setTimestamp(ListOffsetsRequest.EARLIEST_TIMESTAMP)))))
                .build(version).data(), (ListOffsetsResponse response, SoftAssertions softly) -> {
                    ListOffsetsPartitionResponse partition = response.data().topics().get(0).partitions().get(0);
                    softly.assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
                    softly.assertThat(partition.offset()).isZero();
                });
        everyVersion(ApiKeys.LIST_OFFSETS, version -> ListOffsetsRequest.Builder
                .forConsumer(true, IsolationLevel.READ_UNCOMMITTED)
                .setTargetTimes(List.of(new ListOffsetsTopic().setName(TOPIC).setPartitions(List.of(
                        new ListOffsetsPartition().setPartitionIndex(0).setTimestamp(1_700_000_000_002L)))))
                .build(version).data(), (ListOffsetsResponse response, SoftAssertions softly) -> {
                    ListOffsetsPartitionResponse partition = response.data().topics().get(0).partitions().get(0);
                    softly.assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
                    softly.assertThat(partition.offset()).isEqualTo(2);
                    softly.assertThat(partition.timestamp()).isEqualTo(1_700_000_000_002L);
                });
    }

    @Test
    void offsetForLeaderEpochAtEveryAdvertisedVersion() {
        everyVersion(ApiKeys.OFFSET_FOR_LEADER_EPOCH, version -> {
            OffsetForLeaderTopicCollection topics = new OffsetForLeaderTopicCollection();
            topics.add(new OffsetForLeaderTopic().setTopic(TOPIC).setPartitions(List.of(
                    new OffsetForLeaderPartition().setPartition(0).setLeaderEpoch(0).setCurrentLeaderEpoch(0))));
            // As data: the request builder makes v3+ only for consumers; v2 has no replica id (-2, its default).
            return new OffsetForLeaderEpochRequestData().setReplicaId(version >= 3 ? -1 : -2).setTopics(topics);
        }, (OffsetsForLeaderEpochResponse response, SoftAssertions softly) -> {
            EpochEndOffset partition = response.data().topics().iterator().next().partitions().get(0);
            softly.assertThat(Errors.forCode(partition.errorCode())).isEqualTo(Errors.NONE);
            softly.assertThat(partition.endOffset()).isGreaterThanOrEqualTo(RECORDS);
        });
    }

    @Test
    void alterConfigsAtEveryAdvertisedVersion() {
        everyVersion(ApiKeys.ALTER_CONFIGS, version -> {
            AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(TOPIC);
            resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms").setValue("86400000"));
            AlterConfigsRequestData data = new AlterConfigsRequestData().setValidateOnly(true);
            data.resources().add(resource);
            return data;
        }, (AlterConfigsResponse response, SoftAssertions softly) ->
                softly.assertThat(Errors.forCode(response.data().responses().get(0).errorCode())).isEqualTo(Errors.NONE));
    }

    @Test
    void electLeadersAtEveryAdvertisedVersion() {
        everyVersion(ApiKeys.ELECT_LEADERS, version -> {
            ElectLeadersRequestData.TopicPartitionsCollection partitions = new ElectLeadersRequestData.TopicPartitionsCollection();
            partitions.add(new ElectLeadersRequestData.TopicPartitions().setTopic(TOPIC).setPartitions(List.of(0)));
            return new ElectLeadersRequestData().setTopicPartitions(partitions).setTimeoutMs(10_000);
        }, (ElectLeadersResponse response, SoftAssertions softly) -> {
            softly.assertThat(Errors.forCode(response.data().errorCode())).isEqualTo(Errors.NONE);
            softly.assertThat(Errors.forCode(response.data().replicaElectionResults().get(0).partitionResult().get(0)
                    .errorCode())).isEqualTo(Errors.ELECTION_NOT_NEEDED);
        });
    }

    /** A check of one version's response, reporting into the soft assertions. */
    private interface Check<R extends AbstractResponse> {
        void check(R response, SoftAssertions softly);
    }

    /** The request body to send at a version. */
    private interface Build {
        ApiMessage build(short version);
    }

    /** Sends the request at every version the broker advertises for {@code api}, each on a new connection. */
    @SuppressWarnings("unchecked")
    private static <R extends AbstractResponse> void everyVersion(ApiKeys api, Build build, Check<R> check) {
        ApiVersion range = advertised.get(api);
        assertThat(range).as("%s advertised", api).isNotNull();
        SoftAssertions softly = new SoftAssertions();
        for (short version = range.minVersion(); version <= range.maxVersion(); version++) {
            short v = version;
            Consumer<SoftAssertions> atVersion = s -> {
                try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
                    R response = (R) client.call(api, v, build.build(v));
                    check.check(response, s);
                } catch (RuntimeException e) {
                    s.fail(api + " v" + v + " failed: " + e);
                }
            };
            SoftAssertions one = new SoftAssertions();
            atVersion.accept(one);
            one.errorsCollected().forEach(error -> softly.fail(api + " v" + v + ": " + error.getMessage()));
        }
        softly.assertAll();
    }
}
