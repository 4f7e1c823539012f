package io.tributary.broker.cluster.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import io.tributary.broker.cluster.LocalCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What moving replicas costs, on four brokers in this JVM: the time to move a replica of every
 * partition (MiB given, 1 GiB by default) onto a broker that had none, without a throttle, back, and
 * the same move again with a replication throttle; and a producer's throughput during each move
 * against the few seconds just before it. Prints
 * {@code key=value} lines. Run by {@code platform-broker/bench/move-bench.sh}.
 */
public final class MoveBench {

    private static final int PARTITIONS = 6;
    private static final int RECORD_BYTES = 1024;

    public static void main(String[] args) throws Exception {
        long mebibytes = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        long throttle = args.length > 1 ? Long.parseLong(args[1]) : 50L << 20;
        Path dir = Files.createTempDirectory("move-bench");
        try {
            run(dir, mebibytes, throttle);
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void run(Path dir, long mebibytes, long throttle) throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir, 4, "--logging.level.root=WARN",
                "--tributary.broker.log.segment-bytes=134217728", "--tributary.broker.log.retention-check-interval=1s");
                Admin admin = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            Map<Integer, List<Integer>> onThree = new HashMap<>();
            for (int p = 0; p < PARTITIONS; p++) {
                onThree.put(p, List.of(p % 3, (p + 1) % 3));
            }
            admin.createTopics(List.of(new NewTopic("moving", onThree))).all().get(60, TimeUnit.SECONDS);
            // The producer's own topic is kept small (about 2 GB over every replica), however long the moves take.
            admin.createTopics(List.of(new NewTopic("traffic", 3, (short) 2).configs(Map.of(
                    "retention.bytes", Long.toString(256L << 20), "segment.bytes", Long.toString(64L << 20)))))
                    .all().get(60, TimeUnit.SECONDS);
            fill(cluster.bootstrapServers(), mebibytes);
            produceFor(cluster.bootstrapServers(), 10, () -> false); // warms the producer and the brokers up
            System.out.printf("moved_mib=%d%n", mebibytes);

            // Move the second replica of every partition to broker 3, unthrottled.
            Map<Integer, List<Integer>> onFour = new HashMap<>();
            onThree.forEach((p, replicas) -> onFour.put(p, List.of(replicas.get(0), 3)));
            measureMove(admin, cluster.bootstrapServers(), onFour, "unthrottled");

            // Back, then the same move again, throttled as kafka-reassign-partitions --throttle does it.
            measureMove(admin, cluster.bootstrapServers(), onThree, "back_unthrottled");
            setThrottle(admin, onThree, onFour, throttle);
            measureMove(admin, cluster.bootstrapServers(), onFour, "throttled_" + (throttle >> 20) + "mibps");
        }
    }

    /** Times a move, with a producer's throughput during it against the 5 seconds just before it. */
    private static void measureMove(Admin admin, String bootstrap, Map<Integer, List<Integer>> target, String label)
            throws Exception {
        double before = produceFor(bootstrap, 5, () -> false);
        Map<TopicPartition, Optional<NewPartitionReassignment>> moves = new HashMap<>();
        target.forEach((p, replicas) -> moves.put(new TopicPartition("moving", p),
                Optional.of(new NewPartitionReassignment(replicas))));
        long started = System.nanoTime();
        admin.alterPartitionReassignments(moves).all().get(60, TimeUnit.SECONDS);
        AtomicBoolean done = new AtomicBoolean();
        double during = produceFor(bootstrap, 600, () -> {
            try {
                boolean finished = admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS).isEmpty();
                done.compareAndSet(false, finished);
                return finished;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("move_%s_seconds=%.1f%nproduce_before_move_%s_mibps=%.1f%nproduce_during_move_%s_mibps=%.1f%n"
                + "produce_during_move_%s_ratio=%.2f%n", label, seconds, label, before, label, during, label, during / before);
        if (!done.get()) {
            throw new IllegalStateException("the move did not complete in time");
        }
    }

    private static void setThrottle(Admin admin, Map<Integer, List<Integer>> current, Map<Integer, List<Integer>> target,
            long rate) throws Exception {
        List<String> leaders = new ArrayList<>();
        List<String> followers = new ArrayList<>();
        current.forEach((p, replicas) -> replicas.forEach(r -> leaders.add(p + ":" + r)));
        target.forEach((p, replicas) -> replicas.stream().filter(r -> !current.get(p).contains(r))
                .forEach(r -> followers.add(p + ":" + r)));
        Map<ConfigResource, Collection<AlterConfigOp>> configs = new HashMap<>();
        configs.put(new ConfigResource(ConfigResource.Type.TOPIC, "moving"), List.of(
                new AlterConfigOp(new ConfigEntry("leader.replication.throttled.replicas", String.join(",", leaders)),
                        AlterConfigOp.OpType.SET),
                new AlterConfigOp(new ConfigEntry("follower.replication.throttled.replicas", String.join(",", followers)),
                        AlterConfigOp.OpType.SET)));
        for (int broker = 0; broker < 4; broker++) {
            configs.put(new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker)), List.of(
                    new AlterConfigOp(new ConfigEntry("leader.replication.throttled.rate", Long.toString(rate)),
                            AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry("follower.replication.throttled.rate", Long.toString(rate)),
                            AlterConfigOp.OpType.SET)));
        }
        admin.incrementalAlterConfigs(configs).all().get(60, TimeUnit.SECONDS);
    }

    private static void fill(String bootstrap, long mebibytes) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            byte[] value = new byte[RECORD_BYTES];
            long records = (mebibytes << 20) / RECORD_BYTES;
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("moving", (int) (i % PARTITIONS), null, value));
            }
            producer.flush();
        }
    }

    /** Produces to "traffic" until {@code stop} says so (asked once a second) or {@code maxSeconds}; MiB/s. */
    private static double produceFor(String bootstrap, int maxSeconds, java.util.function.BooleanSupplier stop)
            throws Exception {
        AtomicLong acked = new AtomicLong();
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            byte[] value = new byte[RECORD_BYTES];
            long nextCheck = started;
            while (true) {
                long now = System.nanoTime();
                if (now >= nextCheck) {
                    if (stop.getAsBoolean() || now - started > TimeUnit.SECONDS.toNanos(maxSeconds)) {
                        break;
                    }
                    nextCheck = now + TimeUnit.SECONDS.toNanos(1);
                }
                producer.send(new ProducerRecord<>("traffic", value), (metadata, error) -> {
                    if (error == null) {
                        acked.addAndGet(RECORD_BYTES);
                    }
                });
            }
            producer.flush();
        }
        return acked.get() / 1048576.0 / ((System.nanoTime() - started) / 1e9);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "1", "linger.ms", 5,
                "batch.size", 262144, "compression.type", "none"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
