package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The layout of the project's docker-compose.yml: each broker has an INTERNAL listener, which the
 * brokers replicate over, and an EXTERNAL one advertised under another name. A client is always
 * answered with the endpoints of the listener it came in on, so one outside the network never gets an
 * address only the inside resolves.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MultipleListenersClusterTest {

    @TempDir
    static Path dir;

    private static final Map<Integer, Integer> externalPorts = new ConcurrentHashMap<>();
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(dir, 3, (id, internalPort) -> {
            int external = freePort();
            externalPorts.put(id, external);
            return List.of("--tributary.broker.listeners=INTERNAL://127.0.0.1:" + internalPort + ",EXTERNAL://127.0.0.1:" + external,
                    "--tributary.broker.advertised-listeners=INTERNAL://127.0.0.1:" + internalPort + ",EXTERNAL://localhost:" + external,
                    "--tributary.broker.listener-security-protocol-map=INTERNAL:PLAINTEXT,EXTERNAL:PLAINTEXT",
                    "--tributary.broker.inter-broker-listener-name=INTERNAL");
        }, "--tributary.broker.default-replication-factor=3", "--tributary.broker.min-insync-replicas=2");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void eachClientGetsItsOwnListenersEndpointsAndReplicationUsesTheInterBrokerOne() throws Exception {
        String external = "localhost:" + externalPorts.get(0);
        try (Admin outside = Admin.create(Map.of("bootstrap.servers", external));
                Admin inside = Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()))) {
            assertThat(outside.describeCluster().nodes().get(30, TimeUnit.SECONDS)).extracting(Node::host, Node::port)
                    .containsExactlyInAnyOrderElementsOf(externalPorts.values().stream()
                            .map(port -> org.assertj.core.groups.Tuple.tuple("localhost", port)).toList());
            assertThat(inside.describeCluster().nodes().get(30, TimeUnit.SECONDS)).extracting(Node::host)
                    .containsOnly("127.0.0.1");

            outside.createTopics(List.of(new NewTopic("two-listeners", 3, (short) 3))).all().get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", external, "acks", "all"),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 30; i++) {
                    producer.send(new ProducerRecord<>("two-listeners", "key-" + i, "value")).get(30, TimeUnit.SECONDS);
                }
            }
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(inside.describeTopics(List.of("two-listeners"))
                    .allTopicNames().get(30, TimeUnit.SECONDS).get("two-listeners").partitions())
                    .allSatisfy(p -> assertThat(p.isr()).hasSize(3)));
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(),
                "enable.auto.commit", false), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(0, 1, 2).stream().map(p -> new TopicPartition("two-listeners", p))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            java.util.Set<String> keys = new java.util.HashSet<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
                return keys.size() == 30;
            });
        }
    }

    private static int freePort() {
        return io.tributary.broker.TestPorts.free();
    }
}
