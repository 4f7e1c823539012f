package io.tributary.broker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import io.tributary.broker.BrokerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What a consumer of many quiet partitions costs the broker, with fetch sessions (KIP-227) and without
 * ({@code max-incremental-fetch-session-cache-slots=0}): one broker in a JVM of its own, a topic of
 * PARTITIONS partitions with a record each, and a consumer at their end polling for SECONDS seconds with
 * {@code fetch.max.wait.ms=0}, so that it fetches as fast as the two sides allow and the broker's background
 * work is a small part of its CPU time. Prints, for each, fetches per second, the broker's CPU time per fetch
 * (from /proc) and the bytes the consumer received per fetch, then the ratios. Run by
 * {@code platform-broker/bench/fetch-session-bench.sh}.
 */
public final class FetchSessionBench {

    public static void main(String[] args) throws Exception {
        int partitions = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        double[] with = run("sessions", partitions, seconds);
        double[] without = run("no-sessions", partitions, seconds, "--tributary.broker.max-incremental-fetch-session-cache-slots=0");
        System.out.printf("ratio.cpu_per_fetch=%.3f%nratio.bytes_per_fetch=%.4f%n", with[1] / without[1], with[2] / without[2]);
    }

    /** Fetches per second, broker CPU microseconds per fetch, bytes per fetch. */
    private static double[] run(String name, int partitions, int seconds, String... brokerArgs) throws Exception {
        Path dir = Files.createTempDirectory("fetch-session-bench");
        try (BrokerProcess broker = BrokerProcess.start(dir.resolve("broker"), brokerArgs);
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("quiet", partitions, (short) 1))).all().get(120, TimeUnit.SECONDS);
            List<TopicPartition> all = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition("quiet", p)).toList();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                all.forEach(tp -> producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), null, new byte[100])));
                producer.flush();
            }
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers(), "fetch.max.wait.ms", 0, "enable.auto.commit", false),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.assign(all);
                consumer.seekToEnd(all);
                all.forEach(consumer::position);
                poll(consumer, 5); // warm-up
                double fetches0 = metric(consumer, "fetch-total");
                double bytes0 = metric(consumer, "incoming-byte-total");
                long cpu0 = cpuMicros(broker.pid());
                long started = System.nanoTime();
                poll(consumer, seconds);
                double elapsed = (System.nanoTime() - started) / 1e9;
                double fetches = metric(consumer, "fetch-total") - fetches0;
                double bytes = metric(consumer, "incoming-byte-total") - bytes0;
                long cpu = cpuMicros(broker.pid()) - cpu0;
                double[] figures = {fetches / elapsed, cpu / fetches, bytes / fetches};
                System.out.printf("%s.fetches_per_s=%.1f%n%s.broker_cpu_us_per_fetch=%.1f%n%s.bytes_per_fetch=%.0f%n",
                        name, figures[0], name, figures[1], name, figures[2]);
                return figures;
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void poll(KafkaConsumer<byte[], byte[]> consumer, int seconds) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            consumer.poll(java.time.Duration.ofMillis(200));
        }
    }

    private static double metric(KafkaConsumer<?, ?> consumer, String name) {
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            if (metric.getKey().name().equals(name) && metric.getKey().tags().keySet().equals(java.util.Set.of("client-id"))
                    && (name.startsWith("fetch") ? metric.getKey().group().equals("consumer-fetch-manager-metrics")
                            : metric.getKey().group().equals("consumer-metrics"))) {
                return ((Number) metric.getValue().metricValue()).doubleValue();
            }
        }
        throw new IllegalStateException("No consumer metric " + name);
    }

    /** The process's user and system CPU time, from /proc (clock ticks of 10 ms on Linux). */
    private static long cpuMicros(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000;
    }
}
