package io.tributary.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group configs on a single node: stored, reopened, described and read as typed settings. */
class GroupConfigsTest {

    @TempDir
    Path dir;

    private SingleNodeMetadata metadata;
    private GroupConfigs configs;

    @BeforeEach
    void open() throws IOException {
        metadata = new SingleNodeMetadata(TopicStore.open(dir), SecurityStore.open(dir),
                new LocalBroker(0, "localhost", 9092, "cluster"));
        configs = new GroupConfigs(metadata, GroupConfigLimits.KAFKA);
    }

    @Test
    void aGroupsSettingsFollowItsConfigsAndAreCachedUntilTheyChange() {
        ShareGroupSettings defaults = configs.shareSettings("g");
        assertThat(defaults.autoOffsetReset()).isEqualTo(ShareAutoOffsetReset.LATEST);
        assertThat(configs.shareSettings("other")).isSameAs(defaults);

        configs.replace("g", Map.of("share.auto.offset.reset", "earliest", "share.isolation.level", "read_committed"), false);
        ShareGroupSettings set = configs.shareSettings("g");
        assertThat(set.autoOffsetReset()).isEqualTo(ShareAutoOffsetReset.EARLIEST);
        assertThat(set.isolationLevel()).isEqualTo(IsolationLevel.READ_COMMITTED);
        assertThat(set.recordLockDurationMs()).isEqualTo(30_000);
        assertThat(configs.shareSettings("g")).as("cached").isSameAs(set);
        assertThat(configs.shareSettings("other")).isSameAs(defaults);

        configs.replace("g", Map.of("share.record.lock.duration.ms", "20000"), false);
        assertThat(configs.shareSettings("g").recordLockDurationMs()).isEqualTo(20_000);
        assertThat(configs.shareSettings("g").autoOffsetReset()).as("replaced as a whole").isEqualTo(ShareAutoOffsetReset.LATEST);
        configs.replace("g", Map.of("consumer.session.timeout.ms", "50000"), false);
        assertThat(configs.consumerSettings("g")).isEqualTo(new ConsumerGroupSettings(50_000, 5_000));
    }

    @Test
    void validateOnlyAndRefusedChangesLeaveTheConfigsAlone() {
        configs.replace("g", Map.of("share.auto.offset.reset", "earliest"), true);
        assertThat(configs.overrides("g")).isEmpty();
        assertThatThrownBy(() -> configs.replace("g", Map.of("share.auto.offset.reset", "soon"), false))
                .isInstanceOfSatisfying(MetadataException.class, e -> assertThat(e.error()).isEqualTo(Errors.INVALID_CONFIG));
        assertThatThrownBy(() -> configs.replace("", Map.of("share.auto.offset.reset", "earliest"), false))
                .isInstanceOfSatisfying(MetadataException.class, e -> assertThat(e.error()).isEqualTo(Errors.INVALID_REQUEST))
                .hasMessage("Default group resources are not allowed.");
        assertThat(metadata.groupConfigOverrides()).isEqualTo(GroupConfigOverrides.EMPTY);
    }

    @Test
    void describedAsKafkaDoesWithTheOwnValueOrTheDefault() {
        configs.replace("g", Map.of("share.auto.offset.reset", "by_duration:PT1H"), false);
        List<BrokerConfigs.Described> described = configs.describe("g");
        assertThat(described).extracting(d -> d.name() + "=" + d.value() + "@" + d.source()).contains(
                "share.auto.offset.reset=by_duration:PT1H@GROUP_CONFIG", "share.record.lock.duration.ms=30000@DEFAULT_CONFIG");
        assertThat(described).allSatisfy(d -> {
            assertThat(d.synonyms()).hasSize(1);
            assertThat(d.readOnly()).isFalse();
        });
        assertThat(configs.describe("never-configured")).allSatisfy(d -> assertThat(d.source()).isEqualTo(ConfigSource.DEFAULT_CONFIG));
        assertThatThrownBy(() -> configs.describe("")).hasMessage("Group name must not be empty");
    }

    @Test
    void theConfigsOutliveAReopenWhateverTheGroupIdHolds() throws IOException {
        String odd = "orders/payments = a:b\\c é";
        configs.replace(odd, Map.of("share.auto.offset.reset", "earliest"), false);
        configs.replace("plain", Map.of("share.session.timeout.ms", "50000", "share.heartbeat.interval.ms", "6000"), false);
        configs.replace("gone", Map.of("share.auto.offset.reset", "earliest"), false);
        configs.replace("gone", Map.of(), false);

        GroupConfigStore reopened = GroupConfigStore.open(dir);
        assertThat(reopened.configs()).isEqualTo(metadata.groupConfigOverrides());
        assertThat(reopened.configs().byGroup()).containsOnlyKeys(odd, "plain");
    }
}
