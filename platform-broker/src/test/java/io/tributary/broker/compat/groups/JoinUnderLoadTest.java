package io.tributary.broker.compat.groups;

import static io.tributary.broker.compat.groups.GroupClients.assertNoGaps;
import static io.tributary.broker.compat.groups.GroupClients.assertValuesMatchOffsets;
import static io.tributary.broker.compat.groups.GroupClients.committed;
import static io.tributary.broker.compat.groups.GroupClients.createTopic;
import static io.tributary.broker.compat.groups.GroupClients.endOffsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumers joining a group while a producer keeps writing: each join rebalances the group, and
 * across those rebalances every record is consumed, with no gap. With the eager range assignor
 * members give up all their partitions at each rebalance; with the cooperative-sticky assignor
 * (two rebalances per change) they only give up those that move.
 */
@Timeout(60)
class JoinUnderLoadTest extends BrokerPerClass {

    private static final int PARTITIONS = 6;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"range", "cooperative-sticky"})
    void consumersJoiningUnderLoadConsumeEveryRecord(String assignor) throws Exception {
        String topic = "load-" + assignor;
        String group = "load-" + assignor;
        createTopic(admin, topic, PARTITIONS);
        Map<String, Object> config = Map.of("partition.assignment.strategy",
                assignor.equals("range") ? RangeAssignor.class.getName() : CooperativeStickyAssignor.class.getName(),
                "max.poll.records", 100);
        List<BackgroundConsumer> consumers = new ArrayList<>();
        try (ContinuousProducer producer = new ContinuousProducer(bootstrap(), topic, PARTITIONS, 15_000)) {
            BackgroundConsumer first = new BackgroundConsumer(group + "-1", bootstrap(), group, config, List.of(topic));
            consumers.add(first);
            await().atMost(Duration.ofSeconds(20)).until(() -> first.recordCount() >= 200);

            BackgroundConsumer second = new BackgroundConsumer(group + "-2", bootstrap(), group, config, List.of(topic));
            consumers.add(second);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(first.assignment()).hasSize(3);
                assertThat(second.assignment()).hasSize(3);
                assertThat(second.recordCount()).isPositive();
            });

            BackgroundConsumer third = new BackgroundConsumer(group + "-3", bootstrap(), group, config, List.of(topic));
            consumers.add(third);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                Set<TopicPartition> all = new HashSet<>();
                for (BackgroundConsumer consumer : consumers) {
                    assertThat(consumer.assignment()).as(consumer.name()).hasSize(2);
                    all.addAll(consumer.assignment());
                }
                assertThat(all).hasSize(PARTITIONS);
                assertThat(third.recordCount()).isPositive();
            });
            producer.close();
            assertThat(producer.failure()).isNull();

            Map<TopicPartition, Long> ends = endOffsets(admin, topic, PARTITIONS);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(committed(admin, group)).isEqualTo(ends));
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            for (BackgroundConsumer consumer : consumers) {
                assertThat(consumer.failure()).as(consumer.name()).isNull();
                all.addAll(consumer.records());
            }
            assertNoGaps(all, ends);
            assertValuesMatchOffsets(all);
            assertThat(GroupClients.describe(admin, group).partitionAssignor()).isEqualTo(assignor);

            for (BackgroundConsumer consumer : consumers) {
                assertThat(consumer.events()).noneMatch(event -> event.kind().equals("lost"));
            }
            if (assignor.equals("range")) {
                // Eager: the first member gave up everything when the second joined, its final partitions too.
                assertThat(first.revokedOrLost()).containsAll(first.assignment());
            } else {
                // Cooperative: nobody ever gave up a partition it ended up keeping.
                for (BackgroundConsumer consumer : consumers) {
                    Set<TopicPartition> kept = new HashSet<>(consumer.assignment());
                    kept.retainAll(consumer.revokedOrLost());
                    assertThat(kept).as("%s revoked partitions it kept", consumer.name()).isEmpty();
                }
                assertThat(first.revokedOrLost()).hasSize(4);
            }
        } finally {
            consumers.forEach(BackgroundConsumer::close);
        }
    }
}
