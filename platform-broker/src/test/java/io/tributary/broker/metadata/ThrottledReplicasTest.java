package io.tributary.broker.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.broker.log.LogConfig;
import java.util.Map;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Kafka's throttled-replicas topic configs, as kafka-reassign-partitions writes them. */
class ThrottledReplicasTest {

    @Test
    void pairsAndTheWildcardNameTheThrottledReplicas() {
        ThrottledReplicas pairs = ThrottledReplicas.parse(ThrottledReplicas.LEADER_CONFIG, "0:1, 0:2,3:1");
        assertThat(pairs.includes(0, 1)).isTrue();
        assertThat(pairs.includes(0, 2)).isTrue();
        assertThat(pairs.includes(3, 1)).isTrue();
        assertThat(pairs.includes(1, 0)).isFalse();
        assertThat(pairs.includes(3, 2)).isFalse();
        assertThat(ThrottledReplicas.parse(ThrottledReplicas.FOLLOWER_CONFIG, "*").includes(7, 9)).isTrue();
        assertThat(ThrottledReplicas.parse(ThrottledReplicas.FOLLOWER_CONFIG, "").includes(0, 0)).isFalse();
        assertThat(ThrottledReplicas.parse(ThrottledReplicas.FOLLOWER_CONFIG, null).includes(0, 0)).isFalse();
    }

    @Test
    void aMalformedListIsRefusedWithKafkasMessage() {
        TopicConfigs configs = new TopicConfigs(LogConfig.DEFAULT, 1);
        for (String bad : new String[] {"0", "0:1:2", "a:1", "0:1,x", "**"}) {
            assertThatThrownBy(() -> configs.validate(Map.of(ThrottledReplicas.LEADER_CONFIG, bad)))
                    .isInstanceOfSatisfying(MetadataException.class, e -> assertThat(e.error()).isEqualTo(Errors.INVALID_CONFIG))
                    .hasMessageContaining("must be the literal '*' or a list of replicas in the following format");
        }
        configs.validate(Map.of(ThrottledReplicas.LEADER_CONFIG, "0:1,1:2", ThrottledReplicas.FOLLOWER_CONFIG, "*"));
    }
}
