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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kafka 4's online migration as a user meets it: a live group of classic-protocol KafkaConsumers under an
 * acknowledged load is rolled, one consumer at a time, to {@code group.protocol=consumer}, and then back.
 * The group changes kind under them (consumer group once a consumer-protocol member joins, classic again
 * once the last one leaves); no partition is ever consumed by two members at once, every acknowledged
 * record is consumed (at least once), and the committed offsets never go back. A broker restart in the
 * middle of a migration finds the group as it was, and the migration goes on.
 */
@Timeout(180)
class RollingProtocolMigrationTest extends BrokerPerClass {

    private static final int PARTITIONS = 6;

    @Override
    protected List<String> brokerArgs() {
        return List.of("--tributary.broker.group.consumer-heartbeat-interval=300ms",
                "--tributary.broker.group.consumer-session-timeout=6s");
    }

    @Test
    void aRollingUpgradeToTheConsumerProtocolAndBackKeepsTheGroupConsumingSafely() throws Exception {
        String topic = "migrate";
        String group = "migrate";
        createTopic(admin, topic, PARTITIONS);
        OwnershipChecker ownership = new OwnershipChecker();
        List<BackgroundConsumer> everyone = new ArrayList<>();
        Map<String, Object> classic = Map.of("max.poll.records", 50);
        Map<String, Object> consumerProtocol = Map.of("max.poll.records", 50, "group.protocol", "consumer");
        try (ContinuousProducer producer = new ContinuousProducer(bootstrap(), topic, PARTITIONS, Long.MAX_VALUE);
             CommitWatcher commits = new CommitWatcher(group)) {
            BackgroundConsumer c1 = start("classic-1", classic, ownership, everyone);
            BackgroundConsumer c2 = start("classic-2", classic, ownership, everyone);
            awaitSpread(List.of(c1, c2));
            assertThat(GroupClients.describe(admin, group).type()).isEqualTo(GroupType.CLASSIC);

            // Rolling upgrade: each classic consumer is replaced by one on the consumer protocol.
            BackgroundConsumer m1 = start("modern-1", consumerProtocol, ownership, everyone);
            awaitSpread(List.of(c1, c2, m1));
            assertThat(GroupClients.describe(admin, group).type()).as("upgraded by the first consumer-protocol member")
                    .isEqualTo(GroupType.CONSUMER);
            c1.close();
            awaitSpread(List.of(c2, m1));
            BackgroundConsumer m2 = start("modern-2", consumerProtocol, ownership, everyone);
            awaitSpread(List.of(c2, m1, m2));
            c2.close();
            awaitSpread(List.of(m1, m2));
            assertThat(GroupClients.describe(admin, group).type()).isEqualTo(GroupType.CONSUMER);

            // Rolling downgrade: back to classic consumers, one at a time.
            BackgroundConsumer c3 = start("classic-3", classic, ownership, everyone);
            awaitSpread(List.of(m1, m2, c3));
            m1.close();
            awaitSpread(List.of(m2, c3));
            BackgroundConsumer c4 = start("classic-4", classic, ownership, everyone);
            awaitSpread(List.of(m2, c3, c4));
            m2.close();
            awaitSpread(List.of(c3, c4));
            assertThat(GroupClients.describe(admin, group).type()).as("downgraded when the last consumer-protocol member left")
                    .isEqualTo(GroupType.CLASSIC);

            producer.close();
            assertThat(producer.failure()).isNull();
            Map<TopicPartition, Long> ends = endOffsets(admin, topic, PARTITIONS);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committed(admin, group)).isEqualTo(ends));
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            for (BackgroundConsumer consumer : everyone) {
                assertThat(consumer.failure()).as(consumer.name()).isNull();
                all.addAll(consumer.records());
            }
            assertNoGaps(all, ends);
            assertValuesMatchOffsets(all);
            assertThat(ownership.violations()).isEmpty();
            assertThat(commits.regressions()).isEmpty();
        } finally {
            everyone.forEach(BackgroundConsumer::close);
        }
    }

    @Test
    void aBrokerRestartInTheMiddleOfAMigrationResumesIt() {
        String topic = "migrate-restart";
        String group = "migrate-restart";
        createTopic(admin, topic, PARTITIONS);
        OwnershipChecker ownership = new OwnershipChecker();
        List<BackgroundConsumer> everyone = new ArrayList<>();
        // No "rebootstrap" while the broker is down, so that what is seen is what the broker kept (BrokerRestartTest).
        Map<String, Object> classic = Map.of("metadata.recovery.strategy", "none");
        Map<String, Object> consumerProtocol = Map.of("metadata.recovery.strategy", "none", "group.protocol", "consumer");
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
            GroupClients.produce(producer, topic, PARTITIONS, 0, 20);
            BackgroundConsumer c1 = start(group, "restart-classic-1", classic, ownership, everyone);
            BackgroundConsumer c2 = start(group, "restart-classic-2", classic, ownership, everyone);
            awaitSpread(List.of(c1, c2));
            BackgroundConsumer m1 = start(group, "restart-modern-1", consumerProtocol, ownership, everyone);
            awaitSpread(List.of(c1, c2, m1));

            broker.stop();
            broker.start();

            assertThat(GroupClients.describe(admin, group).type()).as("still migrating after the restart")
                    .isEqualTo(GroupType.CONSUMER);
            assertThat(GroupClients.describe(admin, group).members()).hasSize(3);
            GroupClients.produce(producer, topic, PARTITIONS, 20, 20);
            awaitSpread(List.of(c1, c2, m1));
            m1.close();
            awaitSpread(List.of(c1, c2));
            assertThat(GroupClients.describe(admin, group).type()).isEqualTo(GroupType.CLASSIC);

            Map<TopicPartition, Long> ends = endOffsets(admin, topic, PARTITIONS);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(committed(admin, group)).isEqualTo(ends));
            List<ConsumerRecord<String, String>> all = new ArrayList<>();
            for (BackgroundConsumer consumer : everyone) {
                assertThat(consumer.failure()).as(consumer.name()).isNull();
                all.addAll(consumer.records());
            }
            assertNoGaps(all, ends);
            assertValuesMatchOffsets(all);
            assertThat(ownership.violations()).isEmpty();
        } finally {
            everyone.forEach(BackgroundConsumer::close);
        }
    }

    private BackgroundConsumer start(String name, Map<String, Object> config, OwnershipChecker ownership,
            List<BackgroundConsumer> everyone) {
        return start("migrate", name, config, ownership, everyone);
    }

    private BackgroundConsumer start(String group, String name, Map<String, Object> config, OwnershipChecker ownership,
            List<BackgroundConsumer> everyone) {
        BackgroundConsumer consumer = new BackgroundConsumer(name, bootstrap(), group, config, List.of(group),
                ownership.listenerFor(name));
        everyone.add(consumer);
        return consumer;
    }

    /** Waits until these consumers own every partition between them, none twice, as evenly as can be. */
    private static void awaitSpread(List<BackgroundConsumer> consumers) {
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
            Set<TopicPartition> all = new HashSet<>();
            int total = 0;
            for (BackgroundConsumer consumer : consumers) {
                assertThat(consumer.failure()).as(consumer.name()).isNull();
                assertThat(consumer.assignment().size()).as(consumer.name())
                        .isBetween(PARTITIONS / consumers.size(), (PARTITIONS + consumers.size() - 1) / consumers.size());
                all.addAll(consumer.assignment());
                total += consumer.assignment().size();
            }
            assertThat(all).hasSize(PARTITIONS);
            assertThat(total).isEqualTo(PARTITIONS);
        });
    }

    /** Reads the group's committed offsets over and over, and notes every one that went back. */
    private final class CommitWatcher implements AutoCloseable {
        private final ConcurrentLinkedQueue<String> regressions = new ConcurrentLinkedQueue<>();
        private final Thread thread;
        private volatile boolean watching = true;

        CommitWatcher(String group) {
            thread = new Thread(() -> {
                Map<TopicPartition, Long> highest = new HashMap<>();
                while (watching) {
                    try {
                        committed(admin, group).forEach((tp, offset) -> {
                            Long before = highest.put(tp, offset);
                            if (before != null && offset < before) {
                                regressions.add(tp + " went back from " + before + " to " + offset);
                                highest.put(tp, before);
                            }
                        });
                    } catch (RuntimeException e) {
                        // The coordinator moving or loading: read again.
                    }
                    await().pollDelay(Duration.ofMillis(100)).until(() -> true);
                }
            }, "commit-watcher");
            thread.setDaemon(true);
            thread.start();
        }

        List<String> regressions() {
            return new ArrayList<>(regressions);
        }

        @Override
        public void close() throws InterruptedException {
            watching = false;
            thread.join(10_000);
        }
    }
}
