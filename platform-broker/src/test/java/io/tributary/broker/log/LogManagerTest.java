package io.tributary.broker.log;

import static io.tributary.broker.log.LogTestSupport.batch;
import static io.tributary.broker.log.LogTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {

    @TempDir
    Path dir;

    private LogManager manager(LogManager.Schedule schedule) {
        return new LogManager(dir, topic -> topic.startsWith("short")
                ? LogConfig.builder().segmentBytes(300).retentionMs(0).fileDeleteDelayMs(0).build()
                : LogConfig.DEFAULT, Clock.systemUTC(), FileChannelFactory.DEFAULT, schedule);
    }

    @Test
    void partitionLogsLiveInTopicDashPartitionDirectoriesAndAreReloadedAtStart() throws IOException {
        try (LogManager manager = manager(LogManager.Schedule.DEFAULT)) {
            manager.startup();
            manager.getOrCreateLog(new TopicPartition("orders.v1-eu", 0)).append(batch("a", 2), 0);
            manager.getOrCreateLog(new TopicPartition("orders.v1-eu", 11)).append(batch("b", 1), 0);
        }
        assertThat(dir.resolve("orders.v1-eu-0")).isDirectory();
        assertThat(dir.resolve("orders.v1-eu-11")).isDirectory();

        try (LogManager manager = manager(LogManager.Schedule.DEFAULT)) {
            manager.startup();
            assertThat(manager.logs()).hasSize(2);
            assertThat(readAll(manager.log(new TopicPartition("orders.v1-eu", 0)).orElseThrow(), 0))
                    .containsExactly("a-0", "a-1");
            assertThat(manager.log(new TopicPartition("orders.v1-eu", 11)).orElseThrow().logEndOffset()).isEqualTo(1);
        }
    }

    @Test
    void aSecondBrokerCannotOpenTheSameDataDirectory() throws IOException {
        try (LogManager first = manager(LogManager.Schedule.DEFAULT)) {
            first.startup();
            LogManager second = manager(LogManager.Schedule.DEFAULT);
            assertThatThrownBy(second::startup).isInstanceOf(IOException.class).hasMessageContaining("in use");
        }
    }

    @Test
    void deletedLogsDisappearAndDoNotComeBackAtTheNextStart() throws IOException {
        TopicPartition tp = new TopicPartition("gone", 0);
        try (LogManager manager = manager(LogManager.Schedule.DEFAULT)) {
            manager.startup();
            manager.getOrCreateLog(tp).append(batch("x", 1), 0);
            manager.deleteLog(tp);
            assertThat(manager.log(tp)).isEmpty();
            await().atMost(5, TimeUnit.SECONDS).until(() -> {
                try (var children = Files.list(dir)) {
                    return children.noneMatch(child -> child.getFileName().toString().startsWith("gone-0"));
                }
            });
        }
        try (LogManager manager = manager(LogManager.Schedule.DEFAULT)) {
            manager.startup();
            assertThat(manager.log(tp)).isEmpty();
        }
    }

    @Test
    void retentionRunsInTheBackground() throws IOException {
        try (LogManager manager = manager(new LogManager.Schedule(50, 1000, 60_000))) {
            manager.startup();
            PartitionLog log = manager.getOrCreateLog(new TopicPartition("short-lived", 0));
            for (int i = 0; i < 10; i++) {
                log.append(LogTestSupport.sizedBatch(1, 100, 1), 0);
            }
            log.updateHighWatermark(log.logEndOffset());

            await().atMost(10, TimeUnit.SECONDS).until(() -> log.segmentCount() == 1);
            assertThat(log.logStartOffset()).isEqualTo(log.segmentBaseOffsets().get(0));
        }
    }

    @Test
    void directoryNamesSplitAtTheLastDash() {
        assertThat(LogManager.parseDirectoryName("a-b-c-12")).contains(new TopicPartition("a-b-c", 12));
        assertThat(LogManager.parseDirectoryName("noPartition")).isEmpty();
        assertThat(LogManager.parseDirectoryName("topic-x")).isEmpty();
        assertThat(LogManager.parseDirectoryName("-3")).isEmpty();
    }
}
