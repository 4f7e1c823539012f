package io.tributary.broker.coordinator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import io.tributary.broker.log.FileChannelFactory;
import io.tributary.broker.log.LogConfig;
import io.tributary.broker.log.LogManager;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.metadata.SecurityStore;
import io.tributary.broker.metadata.SingleNodeMetadata;
import io.tributary.broker.metadata.TopicConfigs;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.metadata.TopicStore;
import io.tributary.broker.partition.FetchRequestPartition;
import io.tributary.broker.partition.LocalReplica;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.TopicPartition;

/**
 * A coordinator runtime as it runs in a cluster, without one: broker 0's real logs and partitions,
 * metadata that says it is replicated, and a one-partition coordinator topic whose leadership and
 * in-sync replicas the test sets. Replica 1 exists only as the follower fetches the test makes.
 */
final class ReplicatedCoordinatorFixture implements AutoCloseable {

    static final String TOPIC = "__test_coordinator";
    static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    private final ScheduledExecutorService ioScheduler = Executors.newSingleThreadScheduledExecutor();
    private final LogManager logs;
    private final TopicConfigs configs = new TopicConfigs(LogConfig.DEFAULT, 1);
    final PartitionManager partitions;
    final TopicInfo topic;
    final CoordinatorRuntime<KeyValueShard> runtime;
    /** Every shard the runtime made, in order. */
    final List<KeyValueShard> shards = new CopyOnWriteArrayList<>();

    ReplicatedCoordinatorFixture(Path dir, Map<String, String> topicConfigs) {
        try {
            TopicStore store = TopicStore.open(dir);
            SingleNodeMetadata single = new SingleNodeMetadata(store, SecurityStore.open(dir),
                    new LocalBroker(0, "localhost", 0, store.clusterId()));
            ClusterMetadata replicated = (ClusterMetadata) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ClusterMetadata.class}, (proxy, method, args) -> {
                        if (method.getName().equals("isReplicated")) {
                            return true;
                        }
                        try {
                            return method.invoke(single, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            logs = new LogManager(dir, name -> configs.toLogConfig(store.topic(name).map(TopicInfo::configs).orElse(Map.of())),
                    Clock.systemUTC(), FileChannelFactory.DEFAULT, LogManager.Schedule.DEFAULT);
            logs.startup();
            partitions = new PartitionManager(0, logs, ioScheduler, 60_000);
            TopicManager topics = new TopicManager(replicated, configs, partitions, logs);
            topic = single.create(TOPIC, 1, 1, topicConfigs);
            runtime = new CoordinatorRuntime<>(new CoordinatorRuntime.TopicSpec(TOPIC, 1, 2, topicConfigs, 30_000), topics,
                    partitions, (partition, writer) -> {
                        KeyValueShard shard = new KeyValueShard(partition, writer);
                        shards.add(shard);
                        return shard;
                    }, "test-coordinator-loader");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code leader} the leader of the topic's partition in {@code epoch}, replicas 0 and 1, with this ISR. */
    void lead(int leader, int epoch, List<Integer> isr) {
        partitions.reconcile(Map.of(TP, new LocalReplica(topic, new PartitionState(leader, epoch, List.of(0, 1), isr,
                List.of(), List.of()), configs.toLogConfig(topic.configs()))));
    }

    Partition partition() {
        return partitions.partition(TP).orElseThrow();
    }

    /** Replica 1 fetches up to the leader's log end, which tells the leader that it holds everything there. */
    void followerCatchesUp() {
        Partition partition = partition();
        partitions.fetch(List.of(new FetchRequestPartition(TP, partition.log().logEndOffset(), 1024 * 1024,
                partition.leaderEpoch())), 0, 1024 * 1024, 0, 1).join();
    }

    /** The shard made last. */
    KeyValueShard shard() {
        return shards.get(shards.size() - 1);
    }

    @Override
    public void close() throws IOException {
        runtime.close();
        try {
            partitions.close();
            logs.close();
        } finally {
            ioScheduler.shutdownNow();
        }
    }
}
