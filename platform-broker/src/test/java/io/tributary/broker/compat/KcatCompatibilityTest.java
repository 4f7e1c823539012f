package io.tributary.broker.compat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kcat 1.7.1 (librdkafka 2.0.2), a client written by others in another language, against the
 * broker: producing and consuming with it, and exchanging records with the Java clients. Skipped
 * when kcat is not installed (CI installs it).
 */
@Timeout(value = 60, unit = SECONDS)
class KcatCompatibilityTest {

    private static final Duration KCAT_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    static Path dataDir;
    @TempDir
    static Path workDir;

    private static RunningBroker broker;
    private static Admin admin;
    private static Kcat kcat;

    @BeforeAll
    @Timeout(value = 30, unit = SECONDS)
    static void startBroker() {
        Path binary = Kcat.find().orElse(null);
        Assumptions.assumeTrue(binary != null, "kcat is not installed (apt-get install -y kcat)");
        kcat = Kcat.at(binary, workDir);
        broker = RunningBroker.start(dataDir);
        admin = Clients.admin(broker.bootstrapServers());
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static Kcat.Result kcat(String stdin, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "-b";
        all[1] = broker.bootstrapServers();
        System.arraycopy(args, 0, all, 2, args.length);
        return kcat.run(KCAT_TIMEOUT, stdin, all).assertSucceeded();
    }

    /** Consumes a topic from the beginning to its end, printing each record with {@code format}. */
    private static String consume(String topic, String format) {
        return kcat("", "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", format).stdout();
    }

    /**
     * Consumes partition 0 from offset 0 to its end: unlike {@code -o beginning}, an absolute offset
     * needs no ListOffsets request, only Fetch.
     */
    private static String consumeFromOffsetZero(String topic, String... options) {
        List<String> args = new ArrayList<>(List.of("-C", "-t", topic, "-p", "0", "-o", "0", "-e", "-q"));
        args.addAll(List.of(options));
        return kcat("", args.toArray(String[]::new)).stdout();
    }
    @Test
    void kcatProducesKeyedRecordsWithHeadersAndConsumesThemBack() throws Exception {
        String topic = "kcat-round-trip";
        Clients.createTopic(admin, topic, 1, Map.of());

        kcat("alpha:1\nbeta:two words\ngamma:x:y\n", "-P", "-t", topic, "-K", ":", "-H", "trace=abc", "-H", "source=kcat");

        assertThat(consume(topic, "%k:%s:%h\\n")).isEqualTo("""
                alpha:1:trace=abc,source=kcat
                beta:two words:trace=abc,source=kcat
                gamma:x:y:trace=abc,source=kcat
                """);
        assertThat(consume(topic, "%p/%o:%K:%S\\n")).isEqualTo("""
                0/0:5:1
                0/1:4:9
                0/2:5:3
                """);
    }

    @Test
    void recordsProducedByKcatAreReadByTheJavaConsumer() throws Exception {
        String topic = "kcat-to-java";
        Clients.createTopic(admin, topic, 1, Map.of());
        String input = IntStream.range(0, 100).mapToObj(i -> "key-" + i + "\tvalue " + i + " \u00e9\u00e8")
                .collect(Collectors.joining("\n", "", "\n"));

        kcat(input, "-P", "-t", topic, "-K", "\t", "-H", "h1=one", "-H", "h2=", "-X", "enable.idempotence=true");

        List<ConsumerRecord<byte[], byte[]>> records = Clients.readAll(broker.bootstrapServers(),
                List.of(new TopicPartition(topic, 0)));
        assertThat(records).hasSize(100);
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            assertThat(record.offset()).isEqualTo(i);
            assertThat(new String(record.key(), UTF_8)).isEqualTo("key-" + i);
            assertThat(new String(record.value(), UTF_8)).isEqualTo("value " + i + " \u00e9\u00e8");
            assertThat(Clients.headerList(record.headers())).as("headers of record %d", i)
                    .containsExactly("h1=" + Clients.hex("one".getBytes(UTF_8)), "h2=" + Clients.hex(new byte[0]));
        }
    }

    /**
     * kcat compresses with librdkafka. Against a broker whose oldest Produce version is 3 (as Kafka
     * 4.x, KIP-896) librdkafka 2.0.2 sends gzip, snappy and lz4 batches uncompressed
     * (confluentinc/librdkafka#4956, "Broker does not support compression type gzip: not compressing
     * batch"); only zstd batches reach the broker compressed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
    void recordsProducedByKcatWithACompressionCodecAreReadByTheJavaConsumer(String codec) throws Exception {
        String topic = "kcat-" + codec;
        Clients.createTopic(admin, topic, 1, Map.of());
        String input = IntStream.range(0, 200).mapToObj(i -> "k" + i + ":" + codec + " compresses this line, " + "z".repeat(i % 40))
                .collect(Collectors.joining("\n", "", "\n"));

        kcat(input, "-P", "-t", topic, "-K", ":", "-X", "compression.codec=" + codec, "-X", "linger.ms=100");

        TopicPartition partition = new TopicPartition(topic, 0);
        List<ConsumerRecord<byte[], byte[]>> records = Clients.readAll(broker.bootstrapServers(), List.of(partition));
        assertThat(records).extracting(r -> new String(r.key(), UTF_8) + ":" + new String(r.value(), UTF_8))
                .containsExactlyElementsOf(List.of(input.split("\n")));
        if (codec.equals("zstd")) {
            assertThat(storedBatches(topic)).extracting(RecordBatch::compressionType)
                    .isNotEmpty().containsOnly(CompressionType.ZSTD);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
    void compressedBatchesFromTheJavaProducerAreReadByKcat(String codec) throws Exception {
        String topic = "java-" + codec;
        Clients.createTopic(admin, topic, 1, Map.of());
        StringBuilder expected = new StringBuilder();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(),
                Map.of("compression.type", codec, "linger.ms", 100))) {
            List<Future<?>> acks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String value = codec + " line " + i + " " + "y".repeat(i % 30);
                acks.add(producer.send(new ProducerRecord<>(topic, 0, ("k" + i).getBytes(UTF_8), value.getBytes(UTF_8),
                        List.of(new RecordHeader("n", Integer.toString(i).getBytes(UTF_8))))));
                expected.append(i).append('|').append("k").append(i).append('|').append(value).append("|n=").append(i).append('\n');
            }
            producer.flush();
            for (Future<?> ack : acks) {
                ack.get(10, SECONDS);
            }
        }
        assertThat(storedBatches(topic)).extracting(RecordBatch::compressionType)
                .isNotEmpty().containsOnly(CompressionType.forName(codec));

        assertThat(consumeFromOffsetZero(topic, "-f", "%o|%k|%s|%h\\n")).isEqualTo(expected.toString());
    }

    private static List<RecordBatch> storedBatches(String topic) throws Exception {
        Uuid topicId = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).topicId();
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
            return client.fetchBatches(topicId, new TopicPartition(topic, 0), 0);
        }
    }

    @Test
    void recordsProducedByTheJavaProducerAreReadByKcat() throws Exception {
        String topic = "java-to-kcat";
        Clients.createTopic(admin, topic, 1, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(topic, 0, 1_700_000_000_001L, "order-1".getBytes(UTF_8),
                    "{\"total\":12.5}".getBytes(UTF_8),
                    List.of(new RecordHeader("type", "created".getBytes(UTF_8)), new RecordHeader("v", "2".getBytes(UTF_8)))))
                    .get(10, SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, 1_700_000_000_002L, (byte[]) null, "no key".getBytes(UTF_8))).get(10, SECONDS);
            producer.send(new ProducerRecord<>(topic, 0, 1_700_000_000_003L, "tombstone".getBytes(UTF_8), (byte[]) null)).get(10, SECONDS);
        }

        assertThat(consumeFromOffsetZero(topic, "-Z", "-f", "%o|%T|%k|%s|%h\\n"))
                .isEqualTo("""
                        0|1700000000001|order-1|{"total":12.5}|type=created,v=2
                        1|1700000000002|NULL|no key|
                        2|1700000000003|tombstone|NULL|
                        """);
        // From an offset, and the JSON envelope with the timestamp type.
        assertThat(kcat("", "-C", "-t", topic, "-p", "0", "-o", "1", "-c", "1", "-q", "-J").stdout())
                .contains("\"offset\":1", "\"tstype\":\"create\"", "\"ts\":1700000000002", "\"payload\":\"no key\"");
    }

    @Test
    void kcatListsTheBrokerAndTopicMetadata() throws Exception {
        Clients.createTopic(admin, "kcat-listed", 3, Map.of());
        int port = broker.port();

        String all = kcat("", "-L").stdout();
        assertThat(all).contains(" 1 brokers:\n", "  broker 0 at 127.0.0.1:" + port + " (controller)\n",
                "  topic \"kcat-listed\" with 3 partitions:\n",
                "    partition 0, leader 0, replicas: 0, isrs: 0\n",
                "    partition 1, leader 0, replicas: 0, isrs: 0\n",
                "    partition 2, leader 0, replicas: 0, isrs: 0\n");

        String one = kcat("", "-L", "-t", "kcat-listed").stdout();
        assertThat(one).contains(" 1 topics:\n", "  topic \"kcat-listed\" with 3 partitions:\n");
    }
    @Test
    void kcatQueriesOffsetsByTimestamp() throws Exception {
        String topic = "kcat-query";
        Clients.createTopic(admin, topic, 1, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(topic, 0, 1_700_000_000_000L + i * 1000L, (byte[]) null, ("v" + i).getBytes(UTF_8)))
                        .get(10, SECONDS);
            }
        }

        assertThat(kcat("", "-Q", "-t", topic + ":0:1700000002500").stdout()).contains(topic + " [0] offset 3");
    }
}
