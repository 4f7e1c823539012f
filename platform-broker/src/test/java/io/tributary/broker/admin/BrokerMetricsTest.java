package io.tributary.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class BrokerMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BrokerMetrics metrics = new BrokerMetrics(registry);

    @Test
    void countsRequestsPerApiAndErrorsOtherThanNonePerCode() {
        metrics.onRequest(ApiKeys.PRODUCE, (short) 9, 2_000_000, Map.of(Errors.NONE, 3, Errors.NOT_LEADER_OR_FOLLOWER, 2));
        metrics.onRequest(ApiKeys.PRODUCE, (short) 9, 1_000_000, Map.of(Errors.NOT_LEADER_OR_FOLLOWER, 1));
        metrics.onRequest(ApiKeys.FETCH, (short) 12, 1_000_000, Map.of());

        assertThat(registry.get("tributary.requests").tag("api", "Produce").timer().count()).isEqualTo(2);
        assertThat(registry.get("tributary.requests").tag("api", "Fetch").timer().count()).isEqualTo(1);
        assertThat(registry.get("tributary.request.errors").tag("api", "Produce").tag("error", "NOT_LEADER_OR_FOLLOWER")
                .counter().count()).isEqualTo(3);
        assertThat(registry.find("tributary.request.errors").tag("error", "NONE").counter()).isNull();
    }

    @Test
    void countsTrafficPerTopicAndForgetsDeletedTopics() {
        metrics.produced("a", 100, 3);
        metrics.produced("a", 50, 1);
        metrics.fetched("a", 120, 4);
        metrics.produced("b", 10, 1);

        assertThat(registry.get("tributary.topic.bytes.in").tag("topic", "a").counter().count()).isEqualTo(150);
        assertThat(registry.get("tributary.topic.records.in").tag("topic", "a").counter().count()).isEqualTo(4);
        assertThat(registry.get("tributary.topic.bytes.out").tag("topic", "a").counter().count()).isEqualTo(120);
        assertThat(registry.get("tributary.topic.records.out").tag("topic", "a").counter().count()).isEqualTo(4);

        metrics.retainTopics(Set.of("a"));
        assertThat(registry.find("tributary.topic.bytes.in").tag("topic", "b").counter()).isNull();
        assertThat(registry.find("tributary.topic.bytes.in").tag("topic", "a").counter()).isNotNull();
    }

    @Test
    void timesFlushesAndHasTheReplicationCountersAtZero() {
        metrics.onFlush(5_000_000);

        assertThat(registry.get("tributary.log.flush").timer().count()).isEqualTo(1);
        assertThat(registry.get("tributary.isr.shrinks").counter().count()).isZero();
        assertThat(registry.get("tributary.isr.expands").counter().count()).isZero();
    }
}
