package io.tributary.broker.compat.groups;

import static io.tributary.broker.compat.groups.GroupClients.committed;
import static io.tributary.broker.compat.groups.GroupClients.createTopic;
import static io.tributary.broker.compat.groups.GroupClients.endOffsets;
import static io.tributary.broker.compat.groups.GroupClients.get;
import static io.tributary.broker.compat.groups.GroupClients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code offsets.retention.minutes}: the committed offsets of a group without members are deleted
 * once the group has been empty that long (and the group with them); a group with members keeps its.
 */
@Timeout(60)
class OffsetRetentionTest extends BrokerPerClass {

    @Override
    protected List<String> brokerArgs() {
        return List.of("--tributary.broker.group.offsets-retention=2s",
                "--tributary.broker.group.offsets-retention-check-interval=200ms");
    }

    @Test
    void theOffsetsOfAGroupLeftEmptyExpireWhileThoseOfAnActiveGroupStay() {
        createTopic(admin, "retained", 2);
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
            produce(producer, "retained", 2, 0, 5);
        }
        try (BackgroundConsumer active = new BackgroundConsumer("active", bootstrap(), "retention-active", Map.of(),
                List.of("retained"))) {
            try (BackgroundConsumer leaving = new BackgroundConsumer("leaving", bootstrap(), "retention-leaving", Map.of(),
                    List.of("retained"))) {
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    assertThat(committed(admin, "retention-active")).isEqualTo(endOffsets(admin, "retained", 2));
                    assertThat(committed(admin, "retention-leaving")).isEqualTo(endOffsets(admin, "retained", 2));
                });
            }
            long emptySince = System.nanoTime();
            assertThat(committed(admin, "retention-leaving")).as("kept right after the group emptied").hasSize(2);

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(committed(admin, "retention-leaving")).isEmpty();
                assertThat(get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()))
                        .extracting(GroupListing::groupId).doesNotContain("retention-leaving");
            });
            assertThat(Duration.ofNanos(System.nanoTime() - emptySince)).as("not before the retention")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
            assertThat(committed(admin, "retention-active")).isEqualTo(endOffsets(admin, "retained", 2));
            assertThat(active.failure()).isNull();
        }
    }
}
