package io.tributary.broker.transaction;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import io.tributary.broker.ManualClock;
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

/**
 * A transaction coordinator without a broker: real topics, partitions and logs on a directory, a clock
 * the test moves, and a marker writer that records what it is asked and completes when the test says.
 * {@link #restart()} loads everything again from disk, as a broker restart does.
 */
final class TransactionHarness implements AutoCloseable {

    /** One call of the marker writer: completed by the test. */
    record MarkerCall(TransactionMarker marker, List<TopicPartition> partitions, CompletableFuture<Void> done) {
    }

    static final TransactionCoordinatorConfig CONFIG = new TransactionCoordinatorConfig(5, 1, 1024 * 1024, 60_000,
            3_600_000, 3_600_000, 3_600_000, 5_000);

    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final List<MarkerCall> markerCalls = new CopyOnWriteArrayList<>();
    /** Whether markers complete at once; otherwise the test completes them. */
    volatile boolean autoCompleteMarkers = true;
    private final Path dir;
    private final AtomicLong producerIds = new AtomicLong(1000);
    private ScheduledExecutorService scheduler;
    private LogManager logs;
    private PartitionManager partitions;
    private TransactionCoordinator coordinator;

    TransactionHarness(Path dir) {
        this.dir = dir;
        open();
    }

    private void open() {
        try {
            scheduler = Executors.newSingleThreadScheduledExecutor();
            TopicStore store = TopicStore.open(dir);
            TopicConfigs configs = new TopicConfigs(LogConfig.DEFAULT, 1);
            logs = new LogManager(dir, topic -> configs.toLogConfig(store.topic(topic).map(TopicInfo::configs).orElse(Map.of())),
                    Clock.systemUTC(), FileChannelFactory.DEFAULT, LogManager.Schedule.DEFAULT);
            logs.startup();
            partitions = new PartitionManager(0, logs, scheduler, 60_000);
            TopicManager topics = new TopicManager(new SingleNodeMetadata(store, SecurityStore.open(dir),
                    new LocalBroker(0, "localhost", 0, store.clusterId())), configs, partitions, logs);
            topics.startup();
            coordinator = new TransactionCoordinator(CONFIG, topics, partitions, producerIds::getAndIncrement,
                    this::writeMarkers, scheduler, clock);
            coordinator.startup();
            coordinator.ensureTopic();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private CompletableFuture<Void> writeMarkers(TransactionMarker marker, Collection<TopicPartition> targets,
            BooleanSupplier stillCoordinating) {
        MarkerCall call = new MarkerCall(marker, new ArrayList<>(targets), new CompletableFuture<>());
        markerCalls.add(call);
        if (autoCompleteMarkers) {
            call.done().complete(null);
        }
        return call.done();
    }

    TransactionCoordinator coordinator() {
        return coordinator;
    }

    /** Appends a record to the id's partition of {@code __transaction_state} as if a coordinator had written it. */
    void store(String transactionalId, TransactionSnapshot snapshot) {
        TopicPartition tp = new TopicPartition(TransactionCoordinator.TRANSACTION_STATE_TOPIC,
                coordinator.partitionFor(transactionalId));
        partitions.partition(tp).orElseThrow().appendAsLeader(org.apache.kafka.common.record.MemoryRecords.withRecords(
                org.apache.kafka.common.compress.Compression.NONE,
                TransactionRecords.record(transactionalId, snapshot, clock.millis())));
    }

    void restart() {
        close();
        open();
    }

    @Override
    public void close() {
        coordinator.close();
        try {
            partitions.close();
            logs.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            scheduler.shutdownNow();
        }
    }
}
