package io.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.SecurityStore;
import io.tributary.broker.metadata.SingleNodeMetadata;
import io.tributary.broker.metadata.TopicStore;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The long poll: a fetch waits for data, is woken by the append that brings it, and ends at its max wait. */
class DelayedFetchTest {

    private static final TopicPartition TP = new TopicPartition("events", 0);

    @TempDir
    Path dir;

    private ScheduledExecutorService scheduler;
    private LogManager logs;
    private PartitionManager partitions;

    @BeforeEach
    void start() throws IOException {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        TopicStore store = TopicStore.open(dir);
        TopicConfigs configs = new TopicConfigs(LogConfig.DEFAULT, 1);
        logs = new LogManager(dir, topic -> LogConfig.DEFAULT, Clock.systemUTC(), FileChannelFactory.DEFAULT,
                LogManager.Schedule.DEFAULT);
        logs.startup();
        partitions = new PartitionManager(0, logs, scheduler, 60_000);
        TopicManager topics = new TopicManager(new SingleNodeMetadata(store, SecurityStore.open(dir),
                    new LocalBroker(0, "localhost", 0, store.clusterId())), configs, partitions, logs);
        topics.startup();
        topics.createTopic("events", 1, 1, Map.of(), false);
    }

    @AfterEach
    void stop() throws IOException {
        partitions.close();
        logs.close();
        scheduler.shutdownNow();
    }

    private void produce(String value) {
        partitions.partition(TP).orElseThrow().appendAsLeader(
                MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(value.getBytes())));
    }

    @Test
    void aWaitingFetchIsCompletedByTheAppendThatBringsItsData() {
        CompletableFuture<List<FetchResultPartition>> fetch = partitions.fetch(
                List.of(new FetchRequestPartition(TP, 0, 1 << 20, -1)), 1, 1 << 20, 60_000, -1);
        assertThat(fetch).isNotDone();

        produce("hello");

        // Woken by the append: it completes long before its 60 s maximum wait.
        await().atMost(10, TimeUnit.SECONDS).until(fetch::isDone);
        FetchResultPartition result = fetch.join().get(0);
        assertThat(result.error()).isEqualTo(Errors.NONE);
        assertThat(result.records().sizeInBytes()).isPositive();
        assertThat(result.highWatermark()).isEqualTo(1);
    }

    @Test
    void aFetchWithoutDataAnswersEmptyAfterItsMaxWait() {
        CompletableFuture<List<FetchResultPartition>> fetch = partitions.fetch(
                List.of(new FetchRequestPartition(TP, 0, 1 << 20, -1)), 1, 1 << 20, 100, -1);

        await().atMost(10, TimeUnit.SECONDS).until(fetch::isDone);
        assertThat(fetch.join().get(0).records().isEmpty()).isTrue();
        assertThat(fetch.join().get(0).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void minBytesHoldsTheFetchUntilEnoughDataArrived() {
        CompletableFuture<List<FetchResultPartition>> fetch = partitions.fetch(
                List.of(new FetchRequestPartition(TP, 0, 1 << 20, -1)), 500, 1 << 20, 60_000, -1);
        produce("x".repeat(100));
        assertThat(fetch).isNotDone();

        produce("y".repeat(600));

        await().atMost(10, TimeUnit.SECONDS).until(fetch::isDone);
        assertThat(fetch.join().get(0).records().sizeInBytes()).isGreaterThanOrEqualTo(500);
    }

    @Test
    void errorsAnswerAtOnce() {
        CompletableFuture<List<FetchResultPartition>> fetch = partitions.fetch(
                List.of(new FetchRequestPartition(TP, 5, 1 << 20, -1),
                        new FetchRequestPartition(new TopicPartition("missing", 0), 0, 100, -1),
                        new FetchRequestPartition(TP, 0, 100, 7)), 1, 1 << 20, 60_000, -1);

        assertThat(fetch).isDone();
        assertThat(fetch.join()).extracting(FetchResultPartition::error).containsExactly(
                Errors.OFFSET_OUT_OF_RANGE, Errors.UNKNOWN_TOPIC_OR_PARTITION, Errors.UNKNOWN_LEADER_EPOCH);
    }

    @Test
    void aThrottledFollowerOutsideTheIsrIsSentNothingWhileTheLeaderQuotaIsSpentAndConsumersAreNeverThrottled()
            throws Exception {
        java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
        ReplicationQuota leaderQuota = new ReplicationQuota(() -> 100, nanos::get);
        ReplicationThrottles throttles = new ReplicationThrottles(leaderQuota,
                new ReplicationQuota(() -> ReplicationQuota.UNLIMITED, nanos::get));
        partitions.throttles(throttles);
        throttles.throttle(java.util.Set.of(TP), java.util.Set.of());
        produce("first");
        // Replica 1 is outside the ISR (which is this broker alone): its fetches are throttled.
        assertThat(followerFetch(0)).as("the quota is not spent yet").isPositive();
        produce("second");
        long end = partitions.partition(TP).orElseThrow().log().logEndOffset();
        assertThat(followerFetch(end - 1)).as("the first read overdrew the quota").isZero();
        CompletableFuture<List<FetchResultPartition>> consumer = partitions.fetch(
                List.of(new FetchRequestPartition(TP, end - 1, 1 << 20, -1)), 0, 1 << 20, 0, -1);
        assertThat(consumer.get(10, TimeUnit.SECONDS).get(0).records().sizeInBytes()).as("a consumer").isPositive();

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(10)); // the debt is paid back
        assertThat(followerFetch(end - 1)).isPositive();
    }

    private int followerFetch(long offset) throws Exception {
        CompletableFuture<List<FetchResultPartition>> fetch = partitions.fetch(
                List.of(new FetchRequestPartition(TP, offset, 1 << 20, -1)), 0, 1 << 20, 0, 1);
        FetchResultPartition result = fetch.get(10, TimeUnit.SECONDS).get(0);
        assertThat(result.error()).isEqualTo(Errors.NONE);
        return result.records().sizeInBytes();
    }
}
