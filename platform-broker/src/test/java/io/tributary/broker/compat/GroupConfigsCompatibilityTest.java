package io.tributary.broker.compat;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.tributary.broker.RunningBroker;
import io.tributary.broker.metadata.GroupConfigs;
import io.tributary.broker.metadata.ShareAutoOffsetReset;
import io.tributary.broker.metadata.ShareGroupSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ConfigEntry.ConfigSource;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group configs (Kafka's GROUP config resources, as share groups use them) set and read the ways an operator
 * does against Kafka 4.1: AdminClient {@code incrementalAlterConfigs} and {@code describeConfigs}, Kafka's
 * {@code kafka-configs --entity-type groups}, and the older AlterConfigs; Kafka's answers to bad input; and
 * the configs kept across a restart. No group needs to exist.
 */
@Timeout(value = 120, unit = SECONDS)
class GroupConfigsCompatibilityTest {

    private static final String RESET = "share.auto.offset.reset";
    private static final String LOCK = "share.record.lock.duration.ms";
    private static final String ISOLATION = "share.isolation.level";

    @TempDir
    static Path dataDir;

    private static RunningBroker broker;
    private static Admin admin;

    @BeforeAll
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

    private static GroupConfigs groupConfigs() {
        return broker.context().getBean(GroupConfigs.class);
    }

    private static ConfigResource group(String name) {
        return new ConfigResource(ConfigResource.Type.GROUP, name);
    }

    private static AlterConfigOp op(String name, String value, AlterConfigOp.OpType type) {
        return new AlterConfigOp(new ConfigEntry(name, value), type);
    }

    private static void alter(String group, AlterConfigOp... ops) throws Exception {
        admin.incrementalAlterConfigs(Map.of(group(group), List.of(ops))).all().get(10, SECONDS);
    }

    private static Config describe(String group) throws Exception {
        return admin.describeConfigs(List.of(group(group)), new DescribeConfigsOptions().includeSynonyms(true)).all()
                .get(10, SECONDS).get(group(group));
    }

    private static void assertRefused(String group, AlterConfigOp op, Class<? extends Exception> error, String message) {
        assertThatThrownBy(() -> alter(group, op)).as(op.toString()).cause().isInstanceOf(error).hasMessage(message);
    }

    @Test
    void adminSetsAGroupsConfigsDescribeShowsThemAndTheyOutliveARestart() throws Exception {
        assertThat(describe("orders-share").entries()).as("every config, from its default")
                .extracting(e -> e.name() + "=" + e.value() + "@" + e.source()).containsExactlyInAnyOrder(
                        "consumer.session.timeout.ms=45000@DEFAULT_CONFIG", "consumer.heartbeat.interval.ms=5000@DEFAULT_CONFIG",
                        "share.session.timeout.ms=45000@DEFAULT_CONFIG", "share.heartbeat.interval.ms=5000@DEFAULT_CONFIG",
                        "share.record.lock.duration.ms=30000@DEFAULT_CONFIG", "share.auto.offset.reset=latest@DEFAULT_CONFIG",
                        "share.isolation.level=read_uncommitted@DEFAULT_CONFIG");

        alter("orders-share", op(RESET, "earliest", AlterConfigOp.OpType.SET), op(LOCK, "20000", AlterConfigOp.OpType.SET),
                op(ISOLATION, "read_committed", AlterConfigOp.OpType.SET));

        Config config = describe("orders-share");
        ConfigEntry reset = config.get(RESET);
        assertThat(reset.value()).isEqualTo("earliest");
        assertThat(reset.source()).isEqualTo(ConfigSource.DYNAMIC_GROUP_CONFIG);
        assertThat(reset.isReadOnly()).isFalse();
        assertThat(reset.type()).isEqualTo(ConfigEntry.ConfigType.STRING);
        assertThat(reset.synonyms()).extracting(s -> s.source() + ":" + s.value()).containsExactly("DYNAMIC_GROUP_CONFIG:earliest");
        assertThat(config.get(LOCK).type()).isEqualTo(ConfigEntry.ConfigType.INT);
        assertThat(config.get("share.session.timeout.ms").source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);
        ShareGroupSettings expected = new ShareGroupSettings(ShareAutoOffsetReset.EARLIEST, 20_000,
                IsolationLevel.READ_COMMITTED, 45_000, 5_000);
        assertThat(groupConfigs().shareSettings("orders-share")).isEqualTo(expected);

        alter("orders-share", op(ISOLATION, null, AlterConfigOp.OpType.DELETE));
        assertThat(describe("orders-share").get(ISOLATION).source()).isEqualTo(ConfigSource.DEFAULT_CONFIG);

        broker.stop();
        broker.start();
        admin.close(Duration.ofSeconds(5));
        admin = Clients.admin(broker.bootstrapServers());
        assertThat(describe("orders-share").get(RESET).value()).as("kept in the data directory").isEqualTo("earliest");
        assertThat(groupConfigs().shareSettings("orders-share")).isEqualTo(new ShareGroupSettings(ShareAutoOffsetReset.EARLIEST,
                20_000, IsolationLevel.READ_UNCOMMITTED, 45_000, 5_000));
    }

    @Test
    void badNamesValuesAndOperationsGetKafkasErrorsAndChangeNothing() throws Exception {
        alter("checked", op(RESET, "by_duration:PT1H", AlterConfigOp.OpType.SET));

        assertRefused("checked", op("bogus.config", "1", AlterConfigOp.OpType.SET), InvalidConfigurationException.class,
                "Unknown group config name: bogus.config");
        assertRefused("checked", op(RESET, "middle", AlterConfigOp.OpType.SET), InvalidConfigurationException.class,
                "Invalid value middle for configuration share.auto.offset.reset: Invalid value `middle` for configuration "
                        + "share.auto.offset.reset. The value must be either 'earliest', 'latest' or of the format "
                        + "'by_duration:<PnDTnHnMn.nS>'.");
        assertRefused("checked", op(LOCK, "abc", AlterConfigOp.OpType.SET), InvalidConfigurationException.class,
                "Invalid value abc for configuration share.record.lock.duration.ms: Not a number of type INT");
        assertRefused("checked", op(LOCK, "70000", AlterConfigOp.OpType.SET), InvalidConfigurationException.class,
                "share.record.lock.duration.ms must be less than or equal to group.share.max.record.lock.duration.ms (60000)");
        assertRefused("checked", op(RESET, "earliest", AlterConfigOp.OpType.APPEND), InvalidConfigurationException.class,
                "Can't APPEND to key share.auto.offset.reset because its type is not LIST.");
        assertRefused("checked", op(RESET, null, AlterConfigOp.OpType.SET), InvalidRequestException.class,
                "Null value not supported for : share.auto.offset.reset");
        assertRefused("", op(RESET, "earliest", AlterConfigOp.OpType.SET), InvalidRequestException.class,
                "Default group resources are not allowed.");
        assertThatThrownBy(() -> describe("")).cause().isInstanceOf(InvalidRequestException.class)
                .hasMessage("Group name must not be empty");

        assertThat(groupConfigs().overrides("checked")).containsExactly(Map.entry(RESET, "by_duration:PT1H"));
        assertThat(groupConfigs().shareSettings("checked").autoOffsetReset())
                .isEqualTo(ShareAutoOffsetReset.byDuration(Duration.ofHours(1)));
    }

    @Test
    void kafkaConfigsAltersAndDescribesAGroup() {
        KafkaTools.Run added = kafkaConfigs("--entity-type", "groups", "--entity-name", "payments-share", "--alter",
                "--add-config", RESET + "=earliest," + LOCK + "=16000");
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(added.out()).contains("Completed updating config for group payments-share.");

        KafkaTools.Run described = kafkaConfigs("--entity-type", "groups", "--entity-name", "payments-share", "--describe");
        assertThat(described.exitCode()).as(described.err()).isZero();
        assertThat(described.out()).contains("Dynamic configs for group payments-share are:",
                "  share.auto.offset.reset=earliest sensitive=false synonyms={DYNAMIC_GROUP_CONFIG:share.auto.offset.reset=earliest}",
                "  share.record.lock.duration.ms=16000 sensitive=false synonyms={DYNAMIC_GROUP_CONFIG:share.record.lock.duration.ms=16000}")
                .doesNotContain("share.isolation.level");

        KafkaTools.Run all = kafkaConfigs("--entity-type", "groups", "--entity-name", "payments-share", "--describe", "--all");
        assertThat(all.out()).contains("All configs for group payments-share are:",
                "  share.isolation.level=read_uncommitted sensitive=false synonyms={DEFAULT_CONFIG:share.isolation.level=read_uncommitted}");

        KafkaTools.Run deleted = kafkaConfigs("--entity-type", "groups", "--entity-name", "payments-share", "--alter",
                "--delete-config", RESET);
        assertThat(deleted.exitCode()).as(deleted.err()).isZero();
        assertThat(groupConfigs().overrides("payments-share")).containsExactly(Map.entry(LOCK, "16000"));

        KafkaTools.Run bogus = kafkaConfigs("--entity-type", "groups", "--entity-name", "payments-share", "--alter",
                "--add-config", "bogus=1");
        assertThat(bogus.exitCode()).isNotZero();
        assertThat(bogus.output()).contains("InvalidConfigurationException: Unknown group config name: bogus");
    }

    @Test
    void theOlderAlterConfigsReplacesAGroupsConfigsAsAWhole() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
            assertThat(alter(client, resource("legacy", RESET, "earliest", LOCK, "40000"))).containsExactly("NONE null");
            assertThat(alter(client, resource("legacy", LOCK, "50000"))).containsExactly("NONE null");
            assertThat(groupConfigs().overrides("legacy")).as("what was not given is removed")
                    .containsExactly(Map.entry(LOCK, "50000"));
            assertThat(alter(client, resource("legacy", "foo", "1"), resource("", RESET, "earliest"))).containsExactly(
                    "INVALID_CONFIG Unknown group config name: foo", "INVALID_REQUEST Default group resources are not allowed.");
            assertThat(groupConfigs().overrides("legacy")).containsExactly(Map.entry(LOCK, "50000"));
        }
    }

    private static KafkaTools.Run kafkaConfigs(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-server";
        all[1] = broker.bootstrapServers();
        System.arraycopy(args, 0, all, 2, args.length);
        return KafkaTools.configs(all);
    }

    private static AlterConfigsResource resource(String group, String... configs) {
        AlterConfigsResource resource = new AlterConfigsResource().setResourceType(ConfigResource.Type.GROUP.id())
                .setResourceName(group);
        for (int i = 0; i < configs.length; i += 2) {
            resource.configs().add(new AlterableConfig().setName(configs[i]).setValue(configs[i + 1]));
        }
        return resource;
    }

    private static List<String> alter(RawKafkaClient client, AlterConfigsResource... resources) {
        AlterConfigsRequestData data = new AlterConfigsRequestData();
        for (AlterConfigsResource resource : resources) {
            data.resources().add(resource);
        }
        AlterConfigsResponse response = client.call(ApiKeys.ALTER_CONFIGS, ApiKeys.ALTER_CONFIGS.latestVersion(), data);
        return response.data().responses().stream().map(r -> Errors.forCode(r.errorCode()) + " " + r.errorMessage()).toList();
    }
}
