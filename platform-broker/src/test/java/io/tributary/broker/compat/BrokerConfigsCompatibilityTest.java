package io.tributary.broker.compat;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.tributary.broker.RunningBroker;
import io.tributary.broker.metadata.BrokerConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamic broker configs on a single broker, as an operator changes them: Kafka's {@code kafka-configs}
 * tool, AdminClient {@code incrementalAlterConfigs}, and the older AlterConfigs (API key 33) that
 * Kafka 4's AdminClient no longer sends but other clients still do, for brokers and topics; what
 * DescribeConfigs shows of their sources; Kafka's errors for bad input; ElectLeaders on one broker.
 */
@Timeout(value = 120, unit = SECONDS)
class BrokerConfigsCompatibilityTest {

    private static final String LEADER_RATE = BrokerConfigs.LEADER_REPLICATION_THROTTLED_RATE;
    private static final String FOLLOWER_RATE = BrokerConfigs.FOLLOWER_REPLICATION_THROTTLED_RATE;
    private static final String UNCLEAN = BrokerConfigs.UNCLEAN_LEADER_ELECTION_ENABLE;
    private static final ConfigResource BROKER = new ConfigResource(ConfigResource.Type.BROKER, "0");
    private static final ConfigResource CLUSTER_DEFAULT = new ConfigResource(ConfigResource.Type.BROKER, "");

    @TempDir
    static Path dataDir;

    private static RunningBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
        broker = RunningBroker.start(dataDir, "--tributary.broker.unclean-leader-election-enable=true");
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

    private static BrokerConfigs effective() {
        return broker.context().getBean(BrokerConfigs.class);
    }

    private static KafkaTools.Run kafkaConfigs(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-server";
        all[1] = broker.bootstrapServers();
        System.arraycopy(args, 0, all, 2, args.length);
        return KafkaTools.configs(all);
    }

    private static Config describe(ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true)).all()
                .get(10, SECONDS).get(resource);
    }

    private static List<String> synonyms(ConfigEntry entry) {
        return entry.synonyms().stream().map(s -> s.source() + ":" + s.value()).toList();
    }

    @Test
    void kafkaConfigsSetsTheClusterDefaultAndTheBrokersOwnAndTheyOutliveARestart() throws Exception {
        KafkaTools.Run defaults = kafkaConfigs("--entity-type", "brokers", "--entity-default", "--alter",
                "--add-config", LEADER_RATE + "=1000," + FOLLOWER_RATE + "=2000");
        assertThat(defaults.exitCode()).as(defaults.err()).isZero();
        KafkaTools.Run own = kafkaConfigs("--entity-type", "brokers", "--entity-name", "0", "--alter",
                "--add-config", FOLLOWER_RATE + "=500," + UNCLEAN + "=false");
        assertThat(own.exitCode()).as(own.err()).isZero();

        assertThat(effective().leaderReplicationThrottledRate()).isEqualTo(1000);
        assertThat(effective().followerReplicationThrottledRate()).isEqualTo(500);
        assertThat(effective().uncleanLeaderElectionEnable()).isFalse();

        Config config = describe(BROKER);
        ConfigEntry leader = config.get(LEADER_RATE);
        assertThat(leader.value()).isEqualTo("1000");
        assertThat(leader.source()).isEqualTo(ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
        assertThat(synonyms(leader)).containsExactly("DYNAMIC_DEFAULT_BROKER_CONFIG:1000",
                "DEFAULT_CONFIG:" + Long.MAX_VALUE);
        assertThat(synonyms(config.get(FOLLOWER_RATE))).containsExactly("DYNAMIC_BROKER_CONFIG:500",
                "DYNAMIC_DEFAULT_BROKER_CONFIG:2000", "DEFAULT_CONFIG:" + Long.MAX_VALUE);
        ConfigEntry unclean = config.get(UNCLEAN);
        assertThat(unclean.source()).isEqualTo(ConfigSource.DYNAMIC_BROKER_CONFIG);
        assertThat(unclean.isReadOnly()).isFalse();
        assertThat(synonyms(unclean)).containsExactly("DYNAMIC_BROKER_CONFIG:false", "STATIC_BROKER_CONFIG:true",
                "DEFAULT_CONFIG:false");
        assertThat(config.get("node.id").source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("node.id").isReadOnly()).isTrue();
        assertThat(describe(CLUSTER_DEFAULT).entries()).as("the cluster-wide defaults set, as Kafka shows them")
                .extracting(e -> e.name() + "=" + e.value() + "@" + e.source())
                .containsExactlyInAnyOrder(LEADER_RATE + "=1000@DYNAMIC_DEFAULT_BROKER_CONFIG",
                        FOLLOWER_RATE + "=2000@DYNAMIC_DEFAULT_BROKER_CONFIG");

        KafkaTools.Run described = kafkaConfigs("--entity-type", "brokers", "--entity-name", "0", "--describe");
        assertThat(described.exitCode()).as(described.err()).isZero();
        assertThat(described.out()).contains("Dynamic configs for broker 0 are:")
                .contains(FOLLOWER_RATE + "=500 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:" + FOLLOWER_RATE
                        + "=500, DYNAMIC_DEFAULT_BROKER_CONFIG:" + FOLLOWER_RATE + "=2000, DEFAULT_CONFIG:" + FOLLOWER_RATE
                        + "=" + Long.MAX_VALUE + "}");

        broker.stop();
        broker.start();
        admin.close(Duration.ofSeconds(5));
        admin = Clients.admin(broker.bootstrapServers());
        assertThat(effective().leaderReplicationThrottledRate()).as("kept in the data directory").isEqualTo(1000);
        assertThat(effective().followerReplicationThrottledRate()).isEqualTo(500);

        KafkaTools.Run deleted = kafkaConfigs("--entity-type", "brokers", "--entity-name", "0", "--alter",
                "--delete-config", FOLLOWER_RATE + "," + UNCLEAN);
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        KafkaTools.Run deletedDefaults = kafkaConfigs("--entity-type", "brokers", "--entity-default", "--alter",
                "--delete-config", LEADER_RATE + "," + FOLLOWER_RATE);
        assertThat(deletedDefaults.exitCode()).as(deletedDefaults.err()).isZero();
        assertThat(effective().followerReplicationThrottledRate()).isEqualTo(BrokerConfigs.UNTHROTTLED);
        assertThat(effective().leaderReplicationThrottledRate()).isEqualTo(BrokerConfigs.UNTHROTTLED);
        assertThat(effective().uncleanLeaderElectionEnable()).as("the static setting again").isTrue();
        assertThat(describe(CLUSTER_DEFAULT).entries()).isEmpty();
    }

    @Test
    void badBrokerConfigsGetKafkasErrorsAndChangeNothing() throws Exception {
        admin.incrementalAlterConfigs(Map.of(BROKER, List.of(set(LEADER_RATE, "42")))).all().get(10, SECONDS);

        assertRefused(set(LEADER_RATE, "-1"), InvalidRequestException.class,
                "Invalid value -1 for configuration " + LEADER_RATE + ": Value must be at least 0");
        assertRefused(set(FOLLOWER_RATE, "fast"), InvalidRequestException.class,
                "Invalid value fast for configuration " + FOLLOWER_RATE + ": Not a number of type LONG");
        assertRefused(set(UNCLEAN, "maybe"), InvalidRequestException.class,
                "Invalid value maybe for configuration " + UNCLEAN + ": Expected value to be either true or false");
        assertRefused(set("broker.id", "3"), InvalidRequestException.class,
                "Cannot update these configs dynamically: Set(broker.id)");
        assertRefused(set("no.such.config", "1"), InvalidRequestException.class,
                "Cannot update these configs dynamically: Set(no.such.config)");
        assertRefused(new AlterConfigOp(new ConfigEntry(LEADER_RATE, "5"), AlterConfigOp.OpType.APPEND),
                InvalidConfigurationException.class, "Config value append is not allowed for config key: " + LEADER_RATE);
        // A whole request fails together: the valid change beside the bad one is not made either.
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(BROKER, List.of(set(FOLLOWER_RATE, "9"),
                set(LEADER_RATE, "-5")))).all().get(10, SECONDS)).cause().isInstanceOf(InvalidRequestException.class);

        // AdminClient sends a broker's resource to that broker; another broker's id is refused as Kafka does.
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
            IncrementalAlterConfigsRequestData data = new IncrementalAlterConfigsRequestData();
            IncrementalAlterConfigsRequestData.AlterConfigsResource other = new IncrementalAlterConfigsRequestData
                    .AlterConfigsResource().setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("7");
            other.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName(LEADER_RATE)
                    .setValue("1").setConfigOperation(AlterConfigOp.OpType.SET.id()));
            data.resources().add(other);
            IncrementalAlterConfigsResponse response = client.call(ApiKeys.INCREMENTAL_ALTER_CONFIGS,
                    ApiKeys.INCREMENTAL_ALTER_CONFIGS.latestVersion(), data);
            assertThat(response.data().responses().get(0).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(response.data().responses().get(0).errorMessage())
                    .isEqualTo("Unexpected broker id, expected 0, but received 7");
        }

        assertThat(effective().dynamicConfigs("0")).containsExactly(Map.entry(LEADER_RATE, "42"));
        admin.incrementalAlterConfigs(Map.of(BROKER, List.of(new AlterConfigOp(new ConfigEntry(LEADER_RATE, null),
                AlterConfigOp.OpType.DELETE)))).all().get(10, SECONDS);
        assertThat(effective().dynamicConfigs("0")).isEmpty();
    }

    private static AlterConfigOp set(String name, String value) {
        return new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET);
    }

    private static void assertRefused(AlterConfigOp op, Class<? extends Exception> error, String message) {
        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(BROKER, List.of(op))).all().get(10, SECONDS))
                .as(op.toString()).cause().isInstanceOf(error).hasMessage(message);
    }

    @Test
    void theOlderAlterConfigsReplacesABrokersOrATopicsConfigsAsAWhole() throws Exception {
        Clients.createTopic(admin, "replaced", 1, Map.of("retention.ms", "1000", "cleanup.policy", "compact"));
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
            assertThat(alter(client, false, resource(ConfigResource.Type.BROKER, "0", LEADER_RATE, "7", FOLLOWER_RATE, "8")))
                    .containsExactly(Errors.NONE);
            assertThat(alter(client, false, resource(ConfigResource.Type.BROKER, "0", LEADER_RATE, "9")))
                    .containsExactly(Errors.NONE);
            assertThat(effective().dynamicConfigs("0")).as("what was not given is removed")
                    .containsExactly(Map.entry(LEADER_RATE, "9"));
            assertThat(alter(client, false, resource(ConfigResource.Type.BROKER, "0"))).containsExactly(Errors.NONE);
            assertThat(effective().dynamicConfigs("0")).isEmpty();

            assertThat(alter(client, false, resource(ConfigResource.Type.TOPIC, "replaced", "segment.ms", "60000")))
                    .containsExactly(Errors.NONE);
            assertThat(topicOverrides("replaced")).containsExactly("segment.ms=60000");
            assertThat(alter(client, true, resource(ConfigResource.Type.TOPIC, "replaced", "retention.ms", "5"),
                    resource(ConfigResource.Type.BROKER, "", UNCLEAN, "true")))
                    .as("validateOnly").containsExactly(Errors.NONE, Errors.NONE);
            assertThat(topicOverrides("replaced")).containsExactly("segment.ms=60000");
            assertThat(effective().dynamicConfigs("")).isEmpty();

            AlterConfigsResponse bad = client.call(ApiKeys.ALTER_CONFIGS, ApiKeys.ALTER_CONFIGS.latestVersion(),
                    request(false, resource(ConfigResource.Type.TOPIC, "missing", "segment.ms", "1"),
                            resource(ConfigResource.Type.TOPIC, "replaced", "no.such.config", "1"),
                            resource(ConfigResource.Type.BROKER, "0", "log.dirs", "/elsewhere"),
                            resource(ConfigResource.Type.BROKER, "1", LEADER_RATE, "1"),
                            resource(ConfigResource.Type.BROKER_LOGGER, "0", "root", "DEBUG")));
            assertThat(bad.data().responses()).extracting(r -> Errors.forCode(r.errorCode()) + " " + r.errorMessage())
                    .containsExactly(
                            "UNKNOWN_TOPIC_OR_PARTITION The topic 'missing' does not exist.",
                            "INVALID_CONFIG Unknown topic config name: no.such.config",
                            "INVALID_REQUEST Cannot update these configs dynamically: Set(log.dirs)",
                            "INVALID_REQUEST Unexpected broker id, expected 0, but received 1",
                            "INVALID_REQUEST Unknown resource type 8");
            assertThat(alter(client, false, resource(ConfigResource.Type.TOPIC, "replaced", "segment.ms", "soon")))
                    .containsExactly(Errors.INVALID_CONFIG);
            assertThat(alter(client, false, resource(ConfigResource.Type.TOPIC, "replaced", "retention.ms", "1"),
                    resource(ConfigResource.Type.TOPIC, "replaced", "retention.ms", "2")))
                    .as("a resource named twice").containsExactly(Errors.INVALID_REQUEST, Errors.INVALID_REQUEST);
            AlterConfigsResource nullValue = resource(ConfigResource.Type.TOPIC, "replaced");
            nullValue.configs().add(new AlterableConfig().setName("retention.ms").setValue(null));
            assertThat(alter(client, false, nullValue)).containsExactly(Errors.INVALID_REQUEST);
            assertThat(topicOverrides("replaced")).containsExactly("segment.ms=60000");
        }
    }

    private static AlterConfigsResource resource(ConfigResource.Type type, String name, String... configs) {
        AlterConfigsResource resource = new AlterConfigsResource().setResourceType(type.id()).setResourceName(name);
        for (int i = 0; i < configs.length; i += 2) {
            resource.configs().add(new AlterableConfig().setName(configs[i]).setValue(configs[i + 1]));
        }
        return resource;
    }

    private static AlterConfigsRequestData request(boolean validateOnly, AlterConfigsResource... resources) {
        AlterConfigsRequestData data = new AlterConfigsRequestData().setValidateOnly(validateOnly);
        for (AlterConfigsResource resource : resources) {
            data.resources().add(resource);
        }
        return data;
    }

    private static List<Errors> alter(RawKafkaClient client, boolean validateOnly, AlterConfigsResource... resources) {
        AlterConfigsResponse response = client.call(ApiKeys.ALTER_CONFIGS, ApiKeys.ALTER_CONFIGS.latestVersion(),
                request(validateOnly, resources));
        return response.data().responses().stream().map(AlterConfigsResourceResponse::errorCode).map(Errors::forCode).toList();
    }

    private static List<String> topicOverrides(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get(10, SECONDS).get(resource).entries().stream()
                .filter(e -> e.source() == ConfigSource.DYNAMIC_TOPIC_CONFIG).map(e -> e.name() + "=" + e.value()).toList();
    }

    @Test
    void aTopicsUncleanElectionSettingFallsBackToTheBrokers() throws Exception {
        Clients.createTopic(admin, "fallback", 1, Map.of());
        Clients.createTopic(admin, "own", 1, Map.of(UNCLEAN, "false"));
        ConfigEntry fallback = describe(new ConfigResource(ConfigResource.Type.TOPIC, "fallback")).get(UNCLEAN);
        assertThat(fallback.value()).isEqualTo("true");
        assertThat(fallback.source()).isEqualTo(ConfigSource.STATIC_BROKER_CONFIG);
        ConfigEntry own = describe(new ConfigResource(ConfigResource.Type.TOPIC, "own")).get(UNCLEAN);
        assertThat(own.value()).isEqualTo("false");
        assertThat(synonyms(own)).containsExactly("DYNAMIC_TOPIC_CONFIG:false", "STATIC_BROKER_CONFIG:true",
                "DEFAULT_CONFIG:false");
    }

    @Test
    void electLeadersOnASingleBrokerIsNeverNeeded() throws Exception {
        Clients.createTopic(admin, "alone", 2, Map.of());
        Map<TopicPartition, java.util.Optional<Throwable>> preferred = admin.electLeaders(ElectionType.PREFERRED,
                Set.of(new TopicPartition("alone", 0), new TopicPartition("alone", 5), new TopicPartition("nowhere", 0)))
                .partitions().get(10, SECONDS);
        assertThat(preferred.get(new TopicPartition("alone", 0))).containsInstanceOf(ElectionNotNeededException.class);
        assertThat(preferred.get(new TopicPartition("alone", 5)).orElseThrow())
                .isInstanceOf(UnknownTopicOrPartitionException.class).hasMessage("No such partition as alone-5");
        assertThat(preferred.get(new TopicPartition("nowhere", 0)).orElseThrow())
                .isInstanceOf(UnknownTopicOrPartitionException.class).hasMessage("No such topic as nowhere");
        assertThat(admin.electLeaders(ElectionType.UNCLEAN, Set.of(new TopicPartition("alone", 1))).partitions()
                .get(10, SECONDS).get(new TopicPartition("alone", 1))).containsInstanceOf(ElectionNotNeededException.class);
        assertThat(admin.electLeaders(ElectionType.PREFERRED, null).partitions().get(10, SECONDS))
                .as("every partition: those needing no election are left out").isEmpty();
    }
}
