package io.tributary.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.log.LogConfig;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The compaction configs of a topic reach its log config. */
class TopicConfigsCompactionTest {

    private final TopicConfigs configs = new TopicConfigs(LogConfig.DEFAULT, 1);

    @Test
    void aTopicWithoutOverridesDeletesAndDoesNotCompact() {
        LogConfig config = configs.toLogConfig(Map.of());
        assertThat(config.delete()).isTrue();
        assertThat(config.compact()).isFalse();
        assertThat(config.deleteRetentionMs()).isEqualTo(86_400_000);
        assertThat(config.minCompactionLagMs()).isZero();
        assertThat(config.minCleanableDirtyRatio()).isEqualTo(0.5);
    }

    @Test
    void compactionOverridesAreMappedToTheLogConfig() {
        LogConfig config = configs.toLogConfig(Map.of("cleanup.policy", "compact", "delete.retention.ms", "1000",
                "min.compaction.lag.ms", "2000", "min.cleanable.dirty.ratio", "0.25"));
        assertThat(config.compact()).isTrue();
        assertThat(config.delete()).isFalse();
        assertThat(config.deleteRetentionMs()).isEqualTo(1000);
        assertThat(config.minCompactionLagMs()).isEqualTo(2000);
        assertThat(config.minCleanableDirtyRatio()).isEqualTo(0.25);

        LogConfig both = configs.toLogConfig(Map.of("cleanup.policy", "compact, delete"));
        assertThat(both.compact()).isTrue();
        assertThat(both.delete()).isTrue();
    }

    @Test
    void aDirtyRatioOutsideZeroToOneIsAnInvalidConfig() {
        assertThatThrownBy(() -> configs.validate(Map.of("min.cleanable.dirty.ratio", "1.5")))
                .isInstanceOfSatisfying(MetadataException.class,
                        e -> assertThat(e.error()).isEqualTo(Errors.INVALID_CONFIG));
    }
}
