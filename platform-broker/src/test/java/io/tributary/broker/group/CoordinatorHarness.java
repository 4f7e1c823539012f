package io.tributary.broker.group;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.SecurityStore;
import io.tributary.broker.metadata.SingleNodeMetadata;
import io.tributary.broker.metadata.TopicStore;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;

/**
 * A group coordinator without a broker: real topics, partitions and logs on a directory, and a
 * scheduler and clock the test moves by hand. {@link #restart()} closes the storage and loads
 * everything again from disk, as a broker restart does.
 */
final class CoordinatorHarness implements AutoCloseable {

    private final Path dir;
    private final GroupCoordinatorConfig config;
    private final io.tributary.broker.ManualClock clock = new io.tributary.broker.ManualClock(1_700_000_000_000L);
    private ScheduledExecutorService ioScheduler;
    private LogManager logs;
    private PartitionManager partitions;
    private ManualScheduler scheduler;
    private GroupCoordinator coordinator;

    CoordinatorHarness(Path dir, GroupCoordinatorConfig config) {
        this.dir = dir;
        this.config = config;
        open();
    }

    private void open() {
        try {
            ioScheduler = Executors.newSingleThreadScheduledExecutor();
            TopicStore store = TopicStore.open(dir);
            TopicConfigs configs = new TopicConfigs(LogConfig.DEFAULT, 1);
            logs = new LogManager(dir, topic -> configs.toLogConfig(store.topic(topic).map(TopicInfo::configs).orElse(Map.of())),
                    Clock.systemUTC(), FileChannelFactory.DEFAULT, LogManager.Schedule.DEFAULT);
            logs.startup();
            partitions = new PartitionManager(0, logs, ioScheduler, 60_000);
            TopicManager topics = new TopicManager(new SingleNodeMetadata(store, SecurityStore.open(dir),
                    new LocalBroker(0, "localhost", 0, store.clusterId())), configs, partitions, logs);
            topics.startup();
            // A fresh scheduler: the timers of the coordinator before a restart die with it.
            scheduler = new ManualScheduler(clock);
            coordinator = new GroupCoordinator(config, topics, partitions, scheduler, clock);
            coordinator.startup();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GroupCoordinator coordinator() {
        return coordinator;
    }

    PartitionManager partitions() {
        return partitions;
    }

    ManualScheduler scheduler() {
        return scheduler;
    }

    long now() {
        return clock.millis();
    }

    void advance(Duration duration) {
        scheduler.advance(duration);
    }

    /** Stops the storage (cleanly) and loads the coordinator again from the same directory. */
    void restart() {
        close();
        open();
    }

    @Override
    public void close() {
        try {
            partitions.close();
            logs.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            ioScheduler.shutdownNow();
        }
    }
}
