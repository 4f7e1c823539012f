package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import io.tributary.broker.compat.KafkaTools;
import io.tributary.broker.compat.RawKafkaClient;
import io.tributary.broker.metadata.BrokerConfigs;
import io.tributary.broker.metadata.GroupConfigs;
import io.tributary.broker.metadata.ShareAutoOffsetReset;
import io.tributary.broker.metadata.ShareGroupSettings;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin APIs across three brokers: dynamic broker configs set with {@code kafka-configs} through one
 * broker apply on every broker (the cluster-wide defaults) or on the one named, and a restarted broker
 * still has them; group configs set through one broker are every broker's, a restarted one's too; DeleteRecords is done by a partition's leader, and a broker that does not lead the
 * partition answers NOT_LEADER_OR_FOLLOWER as Kafka does.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterAdminTest {

    @TempDir
    static Path dir;

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(dir, 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static BrokerConfigs configs(int node) {
        return cluster.node(node).bean(BrokerConfigs.class);
    }

    @Test
    void dynamicBrokerConfigsApplyClusterWideOrToTheBrokerNamedAndOutliveARestart() throws Exception {
        KafkaTools.Run defaults = KafkaTools.configs("--bootstrap-server", cluster.node(0).bootstrapServers(),
                "--entity-type", "brokers", "--entity-default", "--alter",
                "--add-config", BrokerConfigs.LEADER_REPLICATION_THROTTLED_RATE + "=1048576");
        assertThat(defaults.exitCode()).as(defaults.err()).isZero();
        KafkaTools.Run own = KafkaTools.configs("--bootstrap-server", cluster.node(0).bootstrapServers(),
                "--entity-type", "brokers", "--entity-name", "2", "--alter",
                "--add-config", BrokerConfigs.LEADER_REPLICATION_THROTTLED_RATE + "=2048,"
                        + BrokerConfigs.FOLLOWER_REPLICATION_THROTTLED_RATE + "=4096");
        assertThat(own.exitCode()).as(own.err()).isZero();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(configs(0).leaderReplicationThrottledRate()).isEqualTo(1_048_576);
            assertThat(configs(1).leaderReplicationThrottledRate()).isEqualTo(1_048_576);
            assertThat(configs(2).leaderReplicationThrottledRate()).isEqualTo(2048);
        });
        assertThat(configs(0).followerReplicationThrottledRate()).isEqualTo(BrokerConfigs.UNTHROTTLED);
        assertThat(configs(2).followerReplicationThrottledRate()).isEqualTo(4096);
        ConfigResource two = new ConfigResource(ConfigResource.Type.BROKER, "2");
        try (Admin admin = admin(cluster.node(1).bootstrapServers())) {
            Config described = admin.describeConfigs(List.of(two)).all().get(30, TimeUnit.SECONDS).get(two);
            ConfigEntry leader = described.get(BrokerConfigs.LEADER_REPLICATION_THROTTLED_RATE);
            assertThat(leader.value()).isEqualTo("2048");
            assertThat(leader.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG);
        }

        cluster.node(1).stop();
        cluster.node(1).start();
        assertThat(configs(1).leaderReplicationThrottledRate()).as("from the replicated metadata").isEqualTo(1_048_576);
        assertThat(cluster.node(1).image().brokerConfigs()).isEqualTo(cluster.node(0).image().brokerConfigs());
    }

    @Test
    void groupConfigsSetThroughOneBrokerAreEveryBrokersAndOutliveARestart() throws Exception {
        KafkaTools.Run set = KafkaTools.configs("--bootstrap-server", cluster.node(0).bootstrapServers(),
                "--entity-type", "groups", "--entity-name", "shared-work", "--alter",
                "--add-config", "share.auto.offset.reset=earliest,share.record.lock.duration.ms=20000");
        assertThat(set.exitCode()).as(set.err()).isZero();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> IntStream.range(0, 3).forEach(node ->
                assertThat(cluster.node(node).bean(GroupConfigs.class).shareSettings("shared-work"))
                        .isEqualTo(new ShareGroupSettings(ShareAutoOffsetReset.EARLIEST, 20_000,
                                org.apache.kafka.common.IsolationLevel.READ_UNCOMMITTED, 45_000, 5_000))));
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, "shared-work");
        try (Admin admin = admin(cluster.node(1).bootstrapServers())) {
            ConfigEntry reset = admin.describeConfigs(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group)
                    .get("share.auto.offset.reset");
            assertThat(reset.value()).isEqualTo("earliest");
            assertThat(reset.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_GROUP_CONFIG);
        }

        cluster.node(2).stop();
        cluster.node(2).start();
        assertThat(cluster.node(2).bean(GroupConfigs.class).overrides("shared-work")).as("from the replicated metadata")
                .containsEntry("share.auto.offset.reset", "earliest");
        assertThat(cluster.node(2).image().groupConfigs()).isEqualTo(cluster.node(0).image().groupConfigs());
    }

    @Test
    void deleteRecordsIsAnsweredByTheLeaderAndRefusedElsewhereAsKafkaRefusesIt() throws Exception {
        try (Admin admin = admin(cluster.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic("trimmed", 1, (short) 2))).all().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> IntStream.range(0, 3)
                .allMatch(node -> cluster.node(node).image().topic("trimmed").isPresent()));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("trimmed", 0, null, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        PartitionState state = cluster.node(0).image().partition("trimmed", 0).orElseThrow();
        int leader = state.leader();
        int follower = state.replicas().stream().filter(r -> r != leader).findFirst().orElseThrow();
        int outsider = IntStream.range(0, 3).filter(n -> !state.replicas().contains(n)).findFirst().orElseThrow();
        TopicPartition partition = new TopicPartition("trimmed", 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(follower).partitions().partition(partition)
                .orElseThrow().log().logEndOffset() == 10);

        assertThat(deleteRecords(follower, "trimmed", 0, 5).errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(deleteRecords(outsider, "trimmed", 0, 5).errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(deleteRecords(outsider, "trimmed", 3, 5).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(deleteRecords(follower, "nowhere", 0, 5).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        assertThat(cluster.node(follower).partitions().partition(partition).orElseThrow().log().logStartOffset())
                .as("the refused deletions changed nothing").isZero();
        assertThat(cluster.node(leader).partitions().partition(partition).orElseThrow().log().logStartOffset()).isZero();

        DeleteRecordsPartitionResult done = deleteRecords(leader, "trimmed", 0, 5);
        assertThat(done.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(done.lowWatermark()).isEqualTo(5);
        // AdminClient finds the leader itself; the follower takes the new log start from its leader.
        try (Admin admin = admin(cluster.node(outsider).bootstrapServers())) {
            assertThat(admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(7))).lowWatermarks().get(partition)
                    .get(30, TimeUnit.SECONDS).lowWatermark()).isEqualTo(7);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.node(follower).partitions().partition(partition)
                .orElseThrow().log().logStartOffset() == 7);
    }

    private static DeleteRecordsPartitionResult deleteRecords(int broker, String topic, int partition, long offset) {
        DeleteRecordsRequestData data = new DeleteRecordsRequestData().setTimeoutMs(10_000);
        data.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(topic).setPartitions(List.of(
                new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(partition).setOffset(offset))));
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", cluster.node(broker).kafkaPort)) {
            DeleteRecordsResponse response = client.call(ApiKeys.DELETE_RECORDS, ApiKeys.DELETE_RECORDS.latestVersion(), data);
            return response.data().topics().find(topic).partitions().find(partition);
        }
    }

    private static Admin admin(String bootstrapServers) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }
}
