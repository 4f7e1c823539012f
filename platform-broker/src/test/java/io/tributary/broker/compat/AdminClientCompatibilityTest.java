package io.tributary.broker.compat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Admin client (kafka-clients) against the broker: topics, configs, cluster, offsets
 * and records, and the errors Kafka answers for requests it refuses. One broker serves the class;
 * every test works on its own topics.
 */
@Timeout(value = 60, unit = SECONDS)
class AdminClientCompatibilityTest {

    private static final String DEFAULT_SEGMENT_BYTES = "1073741824";
    private static final String DEFAULT_MAX_MESSAGE_BYTES = "1048588";
    private static final String DEFAULT_SEGMENT_MS = "604800000";

    @TempDir
    static Path dataDir;

    private static RunningBroker broker;
    private static Admin admin;

    @BeforeAll
    @Timeout(value = 30, unit = SECONDS)
    static void startBroker() {
        broker = RunningBroker.start(dataDir);
        admin = Clients.admin(broker.bootstrapServers());
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

    // ------------------------------------------------------------------ topics

    @Test
    void createTopicsWithPartitionsAndConfigs() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(
                new NewTopic("created", 3, (short) 1).configs(Map.of("retention.ms", "3600000")),
                new NewTopic("created-with-defaults", Optional.empty(), Optional.empty())));
        result.all().get();

        assertThat(result.numPartitions("created").get()).isEqualTo(3);
        assertThat(result.replicationFactor("created").get()).isEqualTo(1);
        assertThat(result.topicId("created").get()).isNotNull().isNotEqualTo(Uuid.ZERO_UUID);
        ConfigEntry retention = result.config("created").get().get("retention.ms");
        assertThat(retention.value()).isEqualTo("3600000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(result.numPartitions("created-with-defaults").get()).as("num.partitions").isEqualTo(1);

        TopicDescription created = describe("created");
        assertThat(created.partitions()).hasSize(3);
        assertThat(created.topicId()).isEqualTo(result.topicId("created").get());
        assertThat(describe("created-with-defaults").partitions()).hasSize(1);
    }

    /** What {@code kafka-log-dirs} shows: the broker's one log directory, each replica's size, the volume's bytes. */
    @Test
    void describeLogDirsReportsEachReplicasSize() throws Exception {
        Clients.createTopic(admin, "sized", 2, Map.of());
        try (var producer = Clients.producer(broker.bootstrapServers())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("sized", 1, "k".getBytes(UTF_8),
                    new byte[1000])).get(30, SECONDS);
        }
        int nodeId = admin.describeCluster().nodes().get(30, SECONDS).iterator().next().id();
        Map<String, org.apache.kafka.clients.admin.LogDirDescription> dirs =
                admin.describeLogDirs(List.of(nodeId)).allDescriptions().get(30, SECONDS).get(nodeId);
        assertThat(dirs).hasSize(1);
        var dir = dirs.values().iterator().next();
        assertThat(dir.error()).isNull();
        assertThat(dir.totalBytes().orElseThrow()).isPositive();
        assertThat(dir.usableBytes().orElseThrow()).isPositive();
        assertThat(dir.replicaInfos().get(new org.apache.kafka.common.TopicPartition("sized", 0)).size()).isZero();
        assertThat(dir.replicaInfos().get(new org.apache.kafka.common.TopicPartition("sized", 1)).size()).isGreaterThan(1000);

        var only = admin.describeReplicaLogDirs(List.of(new org.apache.kafka.common.TopicPartitionReplica("sized", 1, nodeId)))
                .all().get(30, SECONDS);
        assertThat(only.values().iterator().next().getCurrentReplicaLogDir()).isEqualTo(dirs.keySet().iterator().next());
    }

    @Test
    void validateOnlyCreatesNoTopic() throws Exception {
        CreateTopicsResult result = admin.createTopics(
                List.of(new NewTopic("validated-only", 2, (short) 1).configs(Map.of("cleanup.policy", "compact"))),
                new CreateTopicsOptions().validateOnly(true));
        result.all().get();
        assertThat(result.numPartitions("validated-only").get()).isEqualTo(2);

        assertThat(topicNames()).doesNotContain("validated-only");
        assertThatThrownBy(() -> describe("validated-only")).cause().isInstanceOf(UnknownTopicOrPartitionException.class);

        // A validation that fails reports the error, and creates nothing either.
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("validated-only", 1, (short) 3)),
                new CreateTopicsOptions().validateOnly(true)).all().get())
                .cause().isInstanceOf(InvalidReplicationFactorException.class);
        assertThat(topicNames()).doesNotContain("validated-only");
    }

    @Test
    void listTopicsShowsTheTopicsWithTheirIds() throws Exception {
        Clients.createTopic(admin, "listed-1", 1, Map.of());
        Clients.createTopic(admin, "listed-2", 2, Map.of());

        Map<String, TopicListing> listings = admin.listTopics().namesToListings().get();

        assertThat(listings).containsKeys("listed-1", "listed-2");
        for (String name : List.of("listed-1", "listed-2")) {
            assertThat(listings.get(name).isInternal()).isFalse();
            assertThat(listings.get(name).topicId()).isEqualTo(describe(name).topicId());
        }
    }

    @Test
    void describeTopicsShowsPartitionsLeaderReplicasIsrAndTopicId() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("described", 4, (short) 1)));
        result.all().get();
        Uuid topicId = result.topicId("described").get();

        TopicDescription description = describe("described");

        assertThat(description.name()).isEqualTo("described");
        assertThat(description.topicId()).isEqualTo(topicId);
        assertThat(description.isInternal()).isFalse();
        Node node = onlyNode();
        assertThat(description.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2, 3);
        for (TopicPartitionInfo partition : description.partitions()) {
            assertThat(partition.leader()).isEqualTo(node);
            assertThat(partition.replicas()).containsExactly(node);
            assertThat(partition.isr()).containsExactly(node);
        }
    }
    @Test
    void describeTopicsById() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("described-by-id", 3, (short) 1)));
        result.all().get();
        Uuid topicId = result.topicId("described-by-id").get();

        TopicDescription description = admin.describeTopics(TopicCollection.ofTopicIds(List.of(topicId)))
                .allTopicIds().get().get(topicId);

        assertThat(description.name()).isEqualTo("described-by-id");
        assertThat(description.topicId()).isEqualTo(topicId);
        assertThat(description.partitions()).hasSize(3);
        Uuid unknown = Uuid.randomUuid();
        assertThatThrownBy(() -> admin.describeTopics(TopicCollection.ofTopicIds(List.of(unknown))).allTopicIds().get())
                .cause().isInstanceOf(UnknownTopicIdException.class);
    }

    @Test
    void deleteTopicsById() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic("deleted-by-id", 2, (short) 1)));
        result.all().get();
        Uuid topicId = result.topicId("deleted-by-id").get();

        admin.deleteTopics(TopicCollection.ofTopicIds(List.of(topicId))).all().get();

        assertThat(topicNames()).doesNotContain("deleted-by-id");
        assertThatThrownBy(() -> admin.deleteTopics(TopicCollection.ofTopicIds(List.of(topicId))).all().get())
                .cause().isInstanceOf(UnknownTopicIdException.class);
    }

    @Test
    void deleteTopicsRemovesTheTopicAndProducingCreatesItAgainOnlyByAutoCreation() throws Exception {
        String topic = "doomed";
        Clients.createTopic(admin, topic, 2, Map.of());
        Uuid firstId = describe(topic).topicId();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ("v" + i).getBytes(UTF_8))).get(10, SECONDS);
            }
        }

        admin.deleteTopics(List.of(topic)).all().get();

        assertThat(topicNames()).doesNotContain(topic);
        assertThatThrownBy(() -> describe(topic)).cause().isInstanceOf(UnknownTopicOrPartitionException.class);

        // A client that does not ask for auto-creation (a consumer with allow.auto.create.topics=false;
        // producers always ask) finds no such topic, and does not bring it back.
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of("allow.auto.create.topics", false))) {
            assertThat(consumer.partitionsFor(topic, Duration.ofSeconds(5))).isEmpty();
        }
        assertThat(topicNames()).doesNotContain(topic);

        // This broker auto-creates topics (auto.create.topics.enable defaults to true, as in Kafka):
        // a default producer creates a new, empty topic of num.partitions (1) partitions.
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers())) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, "reborn".getBytes(UTF_8))).get(10, SECONDS);
            assertThat(metadata.offset()).isZero();
        }
        TopicDescription recreated = describe(topic);
        assertThat(recreated.topicId()).isNotEqualTo(firstId);
        assertThat(recreated.partitions()).hasSize(1);
        List<ConsumerRecord<byte[], byte[]>> records = Clients.readAll(broker.bootstrapServers(),
                List.of(new TopicPartition(topic, 0)));
        assertThat(records).extracting(r -> new String(r.value(), UTF_8)).containsExactly("reborn");
    }

    @Test
    void withoutAutoCreationProducingToADeletedTopicFails(@TempDir Path otherDataDir) throws Exception {
        try (RunningBroker strict = RunningBroker.start(otherDataDir, "--tributary.broker.auto-create-topics-enable=false");
                Admin strictAdmin = Clients.admin(strict.bootstrapServers())) {
            Clients.createTopic(strictAdmin, "doomed", 1, Map.of());
            strictAdmin.deleteTopics(List.of("doomed")).all().get();

            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(strict.bootstrapServers(),
                    Map.of("max.block.ms", 1500))) {
                Future<RecordMetadata> send = producer.send(new ProducerRecord<>("doomed", "lost".getBytes(UTF_8)));
                assertThatThrownBy(() -> send.get(10, SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(TimeoutException.class);
            }
            assertThat(strictAdmin.listTopics().names().get()).doesNotContain("doomed");
        }
    }

    @Test
    void createPartitionsGrowsATopicAndRefusesToShrinkIt() throws Exception {
        String topic = "growing";
        Clients.createTopic(admin, topic, 2, Map.of());

        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(5))).all().get();

        assertThat(describe(topic).partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1, 2, 3, 4);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers())) {
            RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, 4, null, "new".getBytes(UTF_8))).get(10, SECONDS);
            assertThat(metadata.partition()).isEqualTo(4);
            assertThat(metadata.offset()).isZero();
        }

        assertThatThrownBy(() -> admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get())
                .cause().isInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(5))).all().get())
                .cause().isInstanceOf(InvalidPartitionsException.class);
        assertThat(describe(topic).partitions()).hasSize(5);
    }

    // ------------------------------------------------------------------ errors

    @Test
    void creatingAnExistingTopicFailsWithTopicExists() throws Exception {
        Clients.createTopic(admin, "existing", 2, Map.of());
        Uuid id = describe("existing").topicId();

        assertThatThrownBy(() -> Clients.createTopic(admin, "existing", 4, Map.of()))
                .cause().isInstanceOf(TopicExistsException.class);

        assertThat(describe("existing").topicId()).isEqualTo(id);
        assertThat(describe("existing").partitions()).hasSize(2);
    }

    @Test
    void anInvalidTopicNameFailsWithInvalidTopic() throws Exception {
        assertThatThrownBy(() -> Clients.createTopic(admin, "bad/name", 1, Map.of()))
                .cause().isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> Clients.createTopic(admin, "x".repeat(250), 1, Map.of()))
                .cause().isInstanceOf(InvalidTopicException.class);
        assertThat(topicNames()).doesNotContain("bad/name");
    }

    @Test
    void aReplicationFactorAboveTheBrokerCountFailsWithInvalidReplicationFactor() throws Exception {
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("replicated", 1, (short) 3))).all().get())
                .cause().isInstanceOf(InvalidReplicationFactorException.class);
        assertThat(topicNames()).doesNotContain("replicated");
    }

    @Test
    void anUnknownConfigFailsWithInvalidConfiguration() throws Exception {
        assertThatThrownBy(() -> Clients.createTopic(admin, "misconfigured", 1, Map.of("no.such.config", "1")))
                .cause().isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> Clients.createTopic(admin, "misconfigured", 1, Map.of("retention.ms", "soon")))
                .cause().isInstanceOf(InvalidConfigurationException.class);
        assertThat(topicNames()).doesNotContain("misconfigured");
    }

    // ------------------------------------------------------------------ configs

    @Test
    void describeConfigsOfATopicMarksOverridesAndDefaults() throws Exception {
        Clients.createTopic(admin, "configured", 1, Map.of("retention.ms", "3600000", "cleanup.policy", "compact"));

        Config config = topicConfig("configured");

        assertEntry(config, "retention.ms", "3600000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(config, "cleanup.policy", "compact", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(config, "segment.bytes", DEFAULT_SEGMENT_BYTES, ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(config, "max.message.bytes", DEFAULT_MAX_MESSAGE_BYTES, ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("retention.ms").isDefault()).isFalse();
        assertThat(config.get("segment.bytes").isDefault()).isTrue();
        assertThat(config.entries()).filteredOn(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                .extracting(ConfigEntry::name).containsExactlyInAnyOrder("retention.ms", "cleanup.policy");
        assertThat(config.entries()).extracting(ConfigEntry::source)
                .containsOnly(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    @Test
    void describeConfigsOfTheBroker() throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, "0");

        Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);

        assertThat(config.get("node.id").value()).isEqualTo("0");
        assertThat(config.get("message.max.bytes").value()).isEqualTo(DEFAULT_MAX_MESSAGE_BYTES);
        assertThat(config.get("auto.create.topics.enable").value()).isEqualTo("true");
        // Started on port 0, the broker reports the configured listener port, not the bound one.
        assertThat(config.get("advertised.listeners").value()).startsWith("PLAINTEXT://127.0.0.1:");
        // Set at start-up and read-only, but for the dynamic configs, which have Kafka's defaults until altered.
        assertThat(config.entries()).isNotEmpty().allSatisfy(entry -> {
            boolean dynamic = io.tributary.broker.metadata.BrokerConfigs.isDynamic(entry.name());
            assertThat(entry.source()).isEqualTo(dynamic ? ConfigEntry.ConfigSource.DEFAULT_CONFIG
                    : ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
            assertThat(entry.isReadOnly()).isEqualTo(!dynamic);
        });
        assertThat(config.get("leader.replication.throttled.rate").value()).isEqualTo(Long.toString(Long.MAX_VALUE));
        assertThat(config.get("unclean.leader.election.enable").value()).isEqualTo("false");
    }

    @Test
    void incrementalAlterConfigsSetsDeletesAndAppends() throws Exception {
        String topic = "altered";
        Clients.createTopic(admin, topic, 1, Map.of("segment.ms", "600000"));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);

        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "86400000"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("segment.ms", null), AlterConfigOp.OpType.DELETE),
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)))).all().get();

        Config config = topicConfig(topic);
        assertEntry(config, "retention.ms", "86400000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertEntry(config, "segment.ms", DEFAULT_SEGMENT_MS, ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertEntry(config, "cleanup.policy", "delete,compact", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);

        admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("cleanup.policy", "delete"), AlterConfigOp.OpType.SUBTRACT)))).all().get();
        assertEntry(topicConfig(topic), "cleanup.policy", "compact", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);

        // Refused changes change nothing.
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("no.such.config", "1"), AlterConfigOp.OpType.SET)))).all().get())
                .cause().isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(resource, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("retention.bytes", "lots"), AlterConfigOp.OpType.SET)))).all().get())
                .cause().isInstanceOf(InvalidConfigurationException.class);
        assertEntry(topicConfig(topic), "retention.ms", "86400000", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
    }

    // ------------------------------------------------------------------ cluster

    @Test
    void describeClusterShowsOneNodeThatIsTheController() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();

        assertThat(cluster.clusterId().get()).isNotBlank();
        Node node = onlyNode();
        assertThat(node.id()).isZero();
        assertThat(node.host()).isEqualTo("127.0.0.1");
        assertThat(node.port()).isEqualTo(broker.port());
        assertThat(cluster.controller().get()).isEqualTo(node);
    }

    // ------------------------------------------------------------------ offsets and records

    @Test
    void listOffsetsEarliestLatestForTimestampAndMaxTimestamp() throws Exception {
        String topic = "timed";
        Clients.createTopic(admin, topic, 1, Map.of());
        TopicPartition partition = new TopicPartition(topic, 0);
        long t0 = System.currentTimeMillis() - Duration.ofHours(1).toMillis();
        // One batch; its largest timestamp is on a record in its middle.
        long[] timestamps = {t0, t0 + 10, t0 + 20, t0 + 30, t0 + 40, t0 + 50, t0 + 60, t0 + 1000, t0 + 80, t0 + 90};
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), Map.of("linger.ms", 60_000))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < timestamps.length; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, 0, timestamps[i], null, ("v" + i).getBytes(UTF_8))));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(10, SECONDS);
            }
        }

        assertThat(listOffset(partition, OffsetSpec.earliest()).offset()).isZero();
        assertThat(listOffset(partition, OffsetSpec.latest()).offset()).isEqualTo(10);
        ListOffsetsResultInfo exact = listOffset(partition, OffsetSpec.forTimestamp(t0 + 50));
        assertThat(exact.offset()).isEqualTo(5);
        assertThat(exact.timestamp()).isEqualTo(t0 + 50);
        ListOffsetsResultInfo between = listOffset(partition, OffsetSpec.forTimestamp(t0 + 65));
        assertThat(between.offset()).as("the first record at or after the timestamp").isEqualTo(7);
        assertThat(between.timestamp()).isEqualTo(t0 + 1000);
        assertThat(listOffset(partition, OffsetSpec.forTimestamp(t0 + 1001)).offset()).as("none that late").isEqualTo(-1);
        ListOffsetsResultInfo max = listOffset(partition, OffsetSpec.maxTimestamp());
        assertThat(max.offset()).as("the record with the largest timestamp").isEqualTo(7);
        assertThat(max.timestamp()).isEqualTo(t0 + 1000);
    }

    @Test
    void deleteRecordsMovesTheLowWatermarkAndTheEarliestOffset() throws Exception {
        String topic = "trimmed";
        Clients.createTopic(admin, topic, 1, Map.of());
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), Map.of("linger.ms", 60_000))) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, ("v" + i).getBytes(UTF_8))));
            }
            producer.flush();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(10, SECONDS);
            }
        }

        // Offset 4 lies inside the one batch holding offsets 0..9.
        long lowWatermark = admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(4)))
                .lowWatermarks().get(partition).get().lowWatermark();

        assertThat(lowWatermark).isEqualTo(4);
        assertThat(listOffset(partition, OffsetSpec.earliest()).offset()).isEqualTo(4);
        assertThat(listOffset(partition, OffsetSpec.latest()).offset()).isEqualTo(10);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            assertThat(consumer.position(partition, Duration.ofSeconds(10))).isEqualTo(4);
            List<ConsumerRecord<byte[], byte[]>> records = Clients.readToEnd(consumer);
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(records).extracting(r -> new String(r.value(), UTF_8)).containsExactly("v4", "v5", "v6", "v7", "v8", "v9");
        }

        assertThatThrownBy(() -> admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(11)))
                .lowWatermarks().get(partition).get()).cause().isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(listOffset(partition, OffsetSpec.earliest()).offset()).isEqualTo(4);
    }

    // ------------------------------------------------------------------ restart

    @Test
    void clusterIdAndTopicMetadataSurviveARestart() throws Exception {
        Clients.createTopic(admin, "kept-a", 3, Map.of("retention.ms", "123456789", "cleanup.policy", "compact"));
        Clients.createTopic(admin, "kept-b", 1, Map.of());
        admin.createPartitions(Map.of("kept-b", NewPartitions.increaseTo(2))).all().get();
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, "kept-b"), List.of(
                new AlterConfigOp(new ConfigEntry("max.message.bytes", "5000"), AlterConfigOp.OpType.SET)))).all().get();
        TopicPartition trimmed = new TopicPartition("kept-b", 1);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("kept-b", 1, null, ("v" + i).getBytes(UTF_8))).get(10, SECONDS);
            }
        }
        admin.deleteRecords(Map.of(trimmed, RecordsToDelete.beforeOffset(2))).all().get();

        String clusterId = admin.describeCluster().clusterId().get();
        Map<String, TopicDescription> topics = admin.describeTopics(topicNames()).allTopicNames().get();
        Map<String, Map<String, String>> overrides = overrides(topics.keySet());

        broker.stop();
        broker.start();

        assertThat(admin.describeCluster().clusterId().get()).isEqualTo(clusterId);
        assertThat(topicNames()).containsExactlyInAnyOrderElementsOf(topics.keySet());
        Map<String, TopicDescription> after = admin.describeTopics(topicNames()).allTopicNames().get();
        for (TopicDescription before : topics.values()) {
            TopicDescription now = after.get(before.name());
            assertThat(now.topicId()).as("id of %s", before.name()).isEqualTo(before.topicId());
            assertThat(now.partitions()).as("partitions of %s", before.name()).hasSameSizeAs(before.partitions());
        }
        assertThat(after.get("kept-a").partitions()).hasSize(3);
        assertThat(after.get("kept-b").partitions()).hasSize(2);
        Map<String, Map<String, String>> overridesAfter = overrides(topics.keySet());
        assertThat(overridesAfter).isEqualTo(overrides);
        assertThat(overridesAfter.get("kept-a")).containsExactlyInAnyOrderEntriesOf(
                Map.of("retention.ms", "123456789", "cleanup.policy", "compact"));
        assertThat(overridesAfter.get("kept-b")).containsExactlyInAnyOrderEntriesOf(Map.of("max.message.bytes", "5000"));
        assertThat(listOffset(trimmed, OffsetSpec.earliest()).offset()).as("log start offset").isEqualTo(2);
        assertThat(listOffset(trimmed, OffsetSpec.latest()).offset()).isEqualTo(3);
    }

    // ------------------------------------------------------------------ helpers

    private static Collection<String> topicNames() throws Exception {
        return admin.listTopics().names().get();
    }

    private static TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
    }

    private static Node onlyNode() throws Exception {
        Collection<Node> nodes = admin.describeCluster().nodes().get();
        assertThat(nodes).hasSize(1);
        return nodes.iterator().next();
    }

    private static Config topicConfig(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    /** Each topic's configs set on it, by name. */
    private static Map<String, Map<String, String>> overrides(Collection<String> topics) throws Exception {
        Map<String, Map<String, String>> overrides = new TreeMap<>();
        for (String topic : topics) {
            Map<String, String> set = new TreeMap<>();
            topicConfig(topic).entries().stream().filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                    .forEach(e -> set.put(e.name(), e.value()));
            overrides.put(topic, set);
        }
        return overrides;
    }

    private static void assertEntry(Config config, String name, String value, ConfigEntry.ConfigSource source) {
        ConfigEntry entry = config.get(name);
        assertThat(entry).as("config %s", name).isNotNull();
        assertThat(entry.value()).as("value of %s", name).isEqualTo(value);
        assertThat(entry.source()).as("source of %s", name).isEqualTo(source);
    }

    private static ListOffsetsResultInfo listOffset(TopicPartition partition, OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(partition, spec)).partitionResult(partition).get(10, SECONDS);
    }
}
