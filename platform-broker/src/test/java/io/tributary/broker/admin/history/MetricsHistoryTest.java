package io.tributary.broker.admin.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.tributary.broker.ManualClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tributary.broker.group.ConsumerLag;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.group.GroupCoordinatorConfig;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.SecurityStore;
import io.tributary.broker.metadata.SingleNodeMetadata;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.metadata.TopicStore;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The history sampled by hand with a clock the test moves: real partitions and a real group
 * coordinator on a directory, and counters in a {@link SimpleMeterRegistry} named as the broker's.
 */
class MetricsHistoryTest {

    private static final long START = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ManualClock clock = new ManualClock(START);
    private ScheduledExecutorService scheduler;
    private LogManager logs;
    private PartitionManager partitions;
    private TopicManager topics;
    private GroupCoordinator groups;
    private ConsumerLag lag;

    @BeforeEach
    void broker() throws IOException {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        TopicStore store = TopicStore.open(dir);
        TopicConfigs configs = new TopicConfigs(LogConfig.DEFAULT, 1);
        logs = new LogManager(dir, topic -> configs.toLogConfig(store.topic(topic).map(TopicInfo::configs).orElse(Map.of())),
                Clock.systemUTC(), FileChannelFactory.DEFAULT, LogManager.Schedule.DEFAULT);
        logs.startup();
        partitions = new PartitionManager(0, logs, scheduler, 60_000);
        topics = new TopicManager(new SingleNodeMetadata(store, SecurityStore.open(dir),
                new LocalBroker(0, "localhost", 0, store.clusterId())),
                configs, partitions, logs);
        topics.startup();
        groups = new GroupCoordinator(new GroupCoordinatorConfig(1, 1024 * 1024, 1_000, 600_000, 0,
                7L * 24 * 3600 * 1000, 600_000, 4096, 1, 5_000), topics, partitions, scheduler, Clock.systemUTC());
        groups.startup();
        lag = new ConsumerLag(groups, partitions, null); // no share groups here: their start offsets are never read
    }

    @AfterEach
    void close() throws IOException {
        groups.close();
        partitions.close();
        logs.close();
        scheduler.shutdownNow();
    }

    private MetricsHistory history(Duration interval, Duration retention) {
        return new MetricsHistory(registry, partitions, this::groupLags, clock, interval, retention);
    }

    @Test
    void theFirstSampleYieldsNoRate() {
        counter("tributary.topic.bytes.in", "orders").increment(1_000);
        MetricsHistory history = history(Duration.ofSeconds(5), Duration.ofMinutes(1));

        history.sample();

        assertThat(history.traffic(Duration.ofHours(1))).isEmpty();
        assertThat(history.topicRates()).isEmpty();
        assertThat(history.topicRate("orders")).isEqualTo(new MetricsHistory.TopicRate(0, 0, 0, 0));
    }

    @Test
    void ratesAreTheDifferenceOverTheTimeBetweenSamples() {
        Counter bytesIn = counter("tributary.topic.bytes.in", "orders");
        Counter recordsIn = counter("tributary.topic.records.in", "orders");
        Counter bytesOut = counter("tributary.topic.bytes.out", "orders");
        Counter recordsOut = counter("tributary.topic.records.out", "orders");
        Counter otherBytesIn = counter("tributary.topic.bytes.in", "payments");
        bytesIn.increment(10_000);
        MetricsHistory history = history(Duration.ofSeconds(5), Duration.ofMinutes(1));
        history.sample();

        bytesIn.increment(5_000);
        recordsIn.increment(50);
        bytesOut.increment(2_000);
        recordsOut.increment(20);
        otherBytesIn.increment(1_000);
        clock.advance(Duration.ofSeconds(4));
        history.sample();

        assertThat(history.topicRate("orders")).isEqualTo(new MetricsHistory.TopicRate(1_250, 12.5, 500, 5));
        assertThat(history.topicRate("payments").bytesIn()).isEqualTo(250);
        assertThat(history.topicRates()).containsOnlyKeys("orders", "payments");
        assertThat(history.traffic(Duration.ofHours(1))).containsExactly(
                new TrafficSample(START + 4_000, 1_500, 500, 12.5, 5));
    }

    @Test
    void aCounterThatWentDownCountsFromZero() {
        Counter before = counter("tributary.topic.records.in", "recreated");
        before.increment(1_000);
        MetricsHistory history = history(Duration.ofSeconds(1), Duration.ofMinutes(1));
        history.sample();

        // the topic was deleted and created again: its counter starts over
        registry.remove(before);
        counter("tributary.topic.records.in", "recreated").increment(30);
        clock.advance(Duration.ofSeconds(2));
        history.sample();

        assertThat(history.topicRate("recreated").recordsIn()).isEqualTo(15);
        assertThat(history.traffic(Duration.ofHours(1))).singleElement()
                .satisfies(s -> assertThat(s.recordsIn()).isEqualTo(15));
    }

    @Test
    void aTopicWhoseCountersAreGoneHasNoRateAnymore() {
        Counter counter = counter("tributary.topic.records.in", "deleted");
        MetricsHistory history = history(Duration.ofSeconds(1), Duration.ofMinutes(1));
        history.sample();
        counter.increment(10);
        clock.advance(Duration.ofSeconds(1));
        history.sample();
        assertThat(history.topicRate("deleted").recordsIn()).isEqualTo(10);

        registry.remove(counter);
        clock.advance(Duration.ofSeconds(1));
        history.sample();

        assertThat(history.topicRates()).doesNotContainKey("deleted");
        assertThat(history.topicRate("deleted").recordsIn()).isZero();
    }

    @Test
    void aSampleAtTheSameInstantAddsNothing() {
        Counter counter = counter("tributary.topic.records.in", "orders");
        MetricsHistory history = history(Duration.ofSeconds(1), Duration.ofMinutes(1));
        history.sample();
        clock.advance(Duration.ofSeconds(1));
        counter.increment(5);
        history.sample();

        counter.increment(5);
        history.sample();

        assertThat(history.traffic(Duration.ofHours(1))).hasSize(1);
        assertThat(history.topicRate("orders").recordsIn()).isEqualTo(5);
    }

    @Test
    void aWindowKeepsTheSamplesWithinItOfTheNewest() {
        Counter counter = counter("tributary.topic.records.in", "orders");
        MetricsHistory history = history(Duration.ofSeconds(1), Duration.ofMinutes(1));
        history.sample();
        for (int second = 1; second <= 10; second++) {
            counter.increment(second);
            clock.advance(Duration.ofSeconds(1));
            history.sample();
        }

        List<TrafficSample> lastThree = history.traffic(Duration.ofSeconds(2));
        assertThat(lastThree).extracting(TrafficSample::time)
                .containsExactly(START + 8_000, START + 9_000, START + 10_000);
        assertThat(lastThree).extracting(TrafficSample::recordsIn).containsExactly(8.0, 9.0, 10.0);
        assertThat(history.traffic(Duration.ZERO)).extracting(TrafficSample::recordsIn).containsExactly(10.0);
        assertThat(history.traffic(Duration.ofHours(1))).hasSize(10);
    }

    @Test
    void theHistoryKeepsOnlyItsRetention() {
        counter("tributary.topic.records.in", "orders");
        MetricsHistory history = history(Duration.ofSeconds(1), Duration.ofSeconds(4));
        history.sample();
        for (int second = 1; second <= 10; second++) {
            clock.advance(Duration.ofSeconds(1));
            history.sample();
        }

        assertThat(history.traffic(Duration.ofDays(1))).extracting(TrafficSample::time)
                .containsExactly(START + 7_000, START + 8_000, START + 9_000, START + 10_000);
    }

    @Test
    void appendRatesPerPartition() {
        topics.createTopic("appended", 2, 1, Map.of(), false);
        MetricsHistory history = history(Duration.ofSeconds(1), Duration.ofMinutes(1));
        history.sample();

        append(new TopicPartition("appended", 0), 6);
        clock.advance(Duration.ofSeconds(2));
        history.sample();

        assertThat(history.appendRate(new TopicPartition("appended", 0))).isEqualTo(3);
        assertThat(history.appendRate(new TopicPartition("appended", 1))).isZero();
        assertThat(history.appendRate(new TopicPartition("elsewhere", 0))).isZero();

        // a partition added since the last sample has no rate until its second sample
        topics.addPartitions("appended", 3, false);
        append(new TopicPartition("appended", 2), 4);
        clock.advance(Duration.ofSeconds(2));
        history.sample();
        assertThat(history.appendRate(new TopicPartition("appended", 2))).isZero();
        assertThat(history.appendRate(new TopicPartition("appended", 0))).isZero();

        append(new TopicPartition("appended", 2), 4);
        clock.advance(Duration.ofSeconds(2));
        history.sample();
        assertThat(history.appendRate(new TopicPartition("appended", 2))).isEqualTo(2);
    }

    @Test
    void eachGroupsTotalLagIsKeptOverTime() {
        topics.createTopic("consumed", 2, 1, Map.of(), false);
        append(new TopicPartition("consumed", 0), 5);
        append(new TopicPartition("consumed", 1), 3);
        commit("billing", new TopicPartition("consumed", 0), 1);
        commit("billing", new TopicPartition("consumed", 1), 3);
        commit("audit", new TopicPartition("consumed", 1), 0);
        MetricsHistory history = history(Duration.ofSeconds(1), Duration.ofMinutes(1));

        history.sample();
        commit("billing", new TopicPartition("consumed", 0), 4);
        clock.advance(Duration.ofSeconds(1));
        history.sample();

        assertThat(history.lag("billing", Duration.ofHours(1)))
                .containsExactly(new LagSample(START, 4), new LagSample(START + 1_000, 1));
        assertThat(history.lag("audit", Duration.ofHours(1))).extracting(LagSample::lag).containsExactly(3L, 3L);
        assertThat(history.lag("billing", Duration.ZERO)).containsExactly(new LagSample(START + 1_000, 1));
        assertThat(history.lag("nobody", Duration.ofHours(1))).isEmpty();
    }

    @Test
    void startSamplesOnItsOwnThreadUntilClosed() {
        counter("tributary.topic.records.in", "orders");
        MetricsHistory history = new MetricsHistory(registry, partitions, this::groupLags, Clock.systemUTC(), Duration.ofMillis(20),
                Duration.ofMinutes(1));
        try {
            history.start();
            history.start(); // once is enough
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> history.traffic(Duration.ofHours(1)).size() >= 2);
            assertThat(history.interval()).isEqualTo(Duration.ofMillis(20));
        } finally {
            history.close();
        }
        history.close(); // closing twice is harmless
    }

    @Test
    void theIntervalMustBePositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> history(Duration.ZERO, Duration.ofMinutes(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> history(Duration.ofSeconds(-1), Duration.ofMinutes(1)));
    }

    private Counter counter(String name, String topic) {
        return Counter.builder(name).tag("topic", topic).register(registry);
    }

    private void append(TopicPartition tp, int records) {
        for (int i = 0; i < records; i++) {
            partitions.partition(tp).orElseThrow().appendAsLeader(MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord(System.currentTimeMillis(), null, ("v" + i).getBytes())));
        }
    }

    private void commit(String group, TopicPartition tp, long offset) {
        Map<TopicPartition, Errors> result = groups.commitOffsets(group, -1, "", null,
                List.of(new GroupCoordinator.OffsetToCommit(tp, offset, -1, "")));
        assertThat(result).containsEntry(tp, Errors.NONE);
    }

    /** Each group's total lag, as the broker's group admin computes it for the groups it coordinates. */
    private java.util.Map<String, Long> groupLags() {
        java.util.Map<String, Long> totals = new java.util.TreeMap<>();
        for (ConsumerLag.PartitionLag partitionLag : lag.all()) {
            totals.merge(partitionLag.groupId(), partitionLag.lag(), Long::sum);
        }
        return totals;
    }
}
