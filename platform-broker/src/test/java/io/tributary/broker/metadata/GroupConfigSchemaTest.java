package io.tributary.broker.metadata;

import static io.tributary.broker.metadata.GroupConfigSchema.CONSUMER_HEARTBEAT_INTERVAL_MS;
import static io.tributary.broker.metadata.GroupConfigSchema.CONSUMER_SESSION_TIMEOUT_MS;
import static io.tributary.broker.metadata.GroupConfigSchema.SHARE_AUTO_OFFSET_RESET;
import static io.tributary.broker.metadata.GroupConfigSchema.SHARE_HEARTBEAT_INTERVAL_MS;
import static io.tributary.broker.metadata.GroupConfigSchema.SHARE_ISOLATION_LEVEL;
import static io.tributary.broker.metadata.GroupConfigSchema.SHARE_RECORD_LOCK_DURATION_MS;
import static io.tributary.broker.metadata.GroupConfigSchema.SHARE_SESSION_TIMEOUT_MS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Kafka's GroupConfig checks and messages (as Kafka 4.1.2 answers them), and the typed settings they give. */
class GroupConfigSchemaTest {

    private final GroupConfigSchema schema = new GroupConfigSchema(GroupConfigLimits.KAFKA);

    private void assertInvalid(Map<String, String> configs, String message) {
        assertThatThrownBy(() -> schema.validate(configs)).isInstanceOfSatisfying(MetadataException.class, e -> {
            assertThat(e.error()).isEqualTo(Errors.INVALID_CONFIG);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void theDefaultsAreKafkasAndValid() {
        assertThat(schema.definitions()).extracting(d -> d.name() + "=" + d.defaultValue()).containsExactly(
                "consumer.session.timeout.ms=45000", "consumer.heartbeat.interval.ms=5000", "share.session.timeout.ms=45000",
                "share.heartbeat.interval.ms=5000", "share.record.lock.duration.ms=30000", "share.auto.offset.reset=latest",
                "share.isolation.level=read_uncommitted");
        schema.validate(Map.of());
        assertThat(schema.shareSettings(Map.of())).isEqualTo(new ShareGroupSettings(ShareAutoOffsetReset.LATEST, 30_000,
                IsolationLevel.READ_UNCOMMITTED, 45_000, 5_000));
        assertThat(schema.consumerSettings(Map.of())).isEqualTo(new ConsumerGroupSettings(45_000, 5_000));
    }

    @Test
    void validValuesGiveTypedSettings() {
        Map<String, String> configs = Map.of(SHARE_AUTO_OFFSET_RESET, "by_duration:P1DT2H", SHARE_RECORD_LOCK_DURATION_MS,
                " 15000 ", SHARE_ISOLATION_LEVEL, "read_committed", SHARE_SESSION_TIMEOUT_MS, "60000",
                SHARE_HEARTBEAT_INTERVAL_MS, "15000", CONSUMER_SESSION_TIMEOUT_MS, "50000");
        schema.validate(configs);
        assertThat(schema.shareSettings(configs)).isEqualTo(new ShareGroupSettings(
                ShareAutoOffsetReset.byDuration(Duration.ofHours(26)), 15_000, IsolationLevel.READ_COMMITTED, 60_000, 15_000));
        assertThat(schema.consumerSettings(configs)).isEqualTo(new ConsumerGroupSettings(50_000, 5_000));
        schema.validate(Map.of(SHARE_AUTO_OFFSET_RESET, "earliest"));
        schema.validate(Map.of(SHARE_AUTO_OFFSET_RESET, "by_duration:PT0S"));
    }

    @Test
    void unknownNamesAreRefused() {
        assertInvalid(Map.of("foo.bar", "1"), "Unknown group config name: foo.bar");
        assertInvalid(Map.of("streams.session.timeout.ms", "45000"), "Unknown group config name: streams.session.timeout.ms");
    }

    @Test
    void valuesThatDoNotParseAreRefusedWithKafkasMessages() {
        String resetRule = " for configuration share.auto.offset.reset. The value must be either 'earliest', 'latest' or of the"
                + " format 'by_duration:<PnDTnHnMn.nS>'.";
        for (String bad : new String[] {"middle", "EARLIEST", "by_duration:-PT1H", "by_duration:xx", "by_duration:"}) {
            assertInvalid(Map.of(SHARE_AUTO_OFFSET_RESET, bad), "Invalid value " + bad
                    + " for configuration share.auto.offset.reset: Invalid value `" + bad + "`" + resetRule);
        }
        assertInvalid(Map.of(SHARE_RECORD_LOCK_DURATION_MS, "abc"),
                "Invalid value abc for configuration share.record.lock.duration.ms: Not a number of type INT");
        assertInvalid(Map.of(SHARE_RECORD_LOCK_DURATION_MS, "100"),
                "Invalid value 100 for configuration share.record.lock.duration.ms: Value must be at least 1000");
        assertInvalid(Map.of(SHARE_SESSION_TIMEOUT_MS, "0"),
                "Invalid value 0 for configuration share.session.timeout.ms: Value must be at least 1");
        assertInvalid(Map.of(SHARE_ISOLATION_LEVEL, "READ_COMMITTED"),
                "Invalid value READ_COMMITTED for configuration share.isolation.level: String must be one of: read_committed, read_uncommitted");
    }

    @Test
    void valuesOutsideTheBrokerBoundsAreRefused() {
        assertInvalid(Map.of(SHARE_RECORD_LOCK_DURATION_MS, "5000"), "share.record.lock.duration.ms must be greater than or"
                + " equal to group.share.min.record.lock.duration.ms (15000)");
        assertInvalid(Map.of(SHARE_RECORD_LOCK_DURATION_MS, "70000"), "share.record.lock.duration.ms must be less than or"
                + " equal to group.share.max.record.lock.duration.ms (60000)");
        assertInvalid(Map.of(SHARE_SESSION_TIMEOUT_MS, "1000"),
                "share.session.timeout.ms must be greater than or equal to group.share.min.session.timeout.ms (45000)");
        assertInvalid(Map.of(SHARE_HEARTBEAT_INTERVAL_MS, "50000"),
                "share.heartbeat.interval.ms must be less than or equal to group.share.max.heartbeat.interval.ms (15000)");
        assertInvalid(Map.of(CONSUMER_HEARTBEAT_INTERVAL_MS, "50000"),
                "consumer.heartbeat.interval.ms must be less than or equal to group.consumer.max.heartbeat.interval.ms (15000)");
        assertInvalid(Map.of(CONSUMER_SESSION_TIMEOUT_MS, "61000"),
                "consumer.session.timeout.ms must be less than or equal to group.consumer.max.session.timeout.ms (60000)");
    }

    @Test
    void aSessionTimeoutMustExceedItsHeartbeatInterval() {
        GroupConfigSchema wide = new GroupConfigSchema(GroupConfigLimits.KAFKA.withDefaults(45_000, 5_000, 6_000, 3_000, 30_000));
        wide.validate(Map.of(SHARE_SESSION_TIMEOUT_MS, "6000"));
        assertThatThrownBy(() -> wide.validate(Map.of(SHARE_SESSION_TIMEOUT_MS, "6000", SHARE_HEARTBEAT_INTERVAL_MS, "6000")))
                .hasMessage("share.session.timeout.ms must be greater than share.heartbeat.interval.ms");
    }

    @Test
    void aBrokerDefaultOutsideKafkasBoundsWidensThem() {
        GroupConfigLimits limits = GroupConfigLimits.KAFKA.withDefaults(10_000, 3_000, 45_000, 5_000, 30_000);
        assertThat(limits.consumerSessionTimeoutMs()).isEqualTo(
                new GroupConfigLimits.Bounded("group.consumer.session.timeout.ms", 10_000, 10_000, 60_000));
        GroupConfigSchema schema = new GroupConfigSchema(limits);
        schema.validate(Map.of());
        schema.validate(Map.of(CONSUMER_SESSION_TIMEOUT_MS, "10000"));
        assertThat(schema.consumerSettings(Map.of())).isEqualTo(new ConsumerGroupSettings(10_000, 3_000));
    }

    @Test
    void autoOffsetResetValuesReadBackAsTheyWereWritten() {
        for (String value : new String[] {"latest", "earliest", "by_duration:PT1H30M", "by_duration:PT0S"}) {
            assertThat(ShareAutoOffsetReset.parse(value).configValue()).isEqualTo(value);
        }
        assertThat(ShareAutoOffsetReset.parse("by_duration:P2D").duration()).isEqualTo(Duration.ofDays(2));
        assertThat(ShareAutoOffsetReset.parse(" earliest ")).isEqualTo(ShareAutoOffsetReset.EARLIEST);
    }
}
