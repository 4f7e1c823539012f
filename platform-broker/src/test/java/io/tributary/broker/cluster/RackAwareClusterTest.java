package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Racks: brokers say which rack they are in, new partitions spread their replicas over the racks
 * (KIP-36), and a consumer that sets {@code client.rack} is sent by the leader to an in-sync replica
 * in its rack and reads everything from there (KIP-392) — kafka-clients' own follower fetching; and the
 * group coordinator assigns a consumer group's members the partitions with replicas in their racks (KIP-881).
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class RackAwareClusterTest {

    private static final String TOPIC = "racked";
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 90;
    private static final Map<Integer, String> RACKS = Map.of(0, "rack-a", 1, "rack-b", 2, "rack-b");

    @TempDir
    static Path dir;

    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LocalCluster.start(dir, 3, (id, port) -> List.of("--tributary.broker.rack=" + RACKS.get(id)),
                "--tributary.broker.min-insync-replicas=2");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 2))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                cluster.bootstrapServers(), "acks", "all"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, "value-" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void brokersAdvertiseTheirRacksAndEveryPartitionSpansBothRacks() throws Exception {
        try (Admin admin = admin()) {
            Map<Integer, String> advertised = new HashMap<>();
            for (Node node : admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)) {
                advertised.put(node.id(), node.rack());
            }
            assertThat(advertised).isEqualTo(RACKS);
            for (TopicPartitionInfo partition : describe(admin).partitions()) {
                assertThat(partition.replicas().stream().map(Node::rack).distinct())
                        .as("racks of partition %d", partition.partition()).containsExactlyInAnyOrder("rack-a", "rack-b");
            }
        }
    }

    @Test
    void aConsumerReadsEveryPartitionFromAReplicaInItsOwnRack() throws Exception {
        Map<Integer, Integer> leaders = leaders();
        try (KafkaConsumer<String, String> consumer = consumer("rack-a")) {
            List<ConsumerRecord<String, String>> records = readAll(consumer);
            assertThat(records).hasSize(RECORDS);
            assertInOrder(records);
            // Rack a has one broker, node 0: it is the read replica of every partition it does not lead.
            for (int p = 0; p < PARTITIONS; p++) {
                int expected = leaders.get(p) == 0 ? -1 : 0;
                int partition = p;
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                        assertThat(preferredReadReplica(consumer, partition)).as("read replica of %d", partition)
                                .isEqualTo(expected));
            }
            assertThat(leaders).as("some partition is led outside rack a").containsValue(1);
        }
    }

    @Test
    void aConsumerWithoutARackReadsFromTheLeaders() throws Exception {
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            List<ConsumerRecord<String, String>> records = readAll(consumer);
            assertThat(records).hasSize(RECORDS);
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(preferredReadReplica(consumer, p)).isEqualTo(-1);
            }
        }
    }

    @Test
    void theCoordinatorAssignsEachConsumerThePartitionsWithReplicasInItsRack() throws Exception {
        // Partitions 0 and 1 live only in rack a (node 0), 2 and 3 only in rack b (node 1).
        String topic = "racked-group";
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(0), 1, List.of(0), 2, List.of(1), 3, List.of(1)))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, String> inA = groupConsumer("rack-a"); KafkaConsumer<String, String> inB = groupConsumer("rack-b")) {
            inA.subscribe(List.of(topic));
            inB.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                inA.poll(Duration.ofMillis(100));
                inB.poll(Duration.ofMillis(100));
                assertThat(inA.assignment()).containsExactlyInAnyOrder(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
                assertThat(inB.assignment()).containsExactlyInAnyOrder(new TopicPartition(topic, 2), new TopicPartition(topic, 3));
            });
        }
    }

    private static KafkaConsumer<String, String> groupConsumer(String rack) {
        return new KafkaConsumer<>(Map.of("bootstrap.servers", cluster.bootstrapServers(), "group.id", "racked-consumers",
                "group.protocol", "consumer", "client.rack", rack, "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer());
    }

    private static List<ConsumerRecord<String, String>> readAll(KafkaConsumer<String, String> consumer) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(TOPIC, p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            return records.size() >= RECORDS;
        });
        return records;
    }

    private static void assertInOrder(List<ConsumerRecord<String, String>> records) {
        Map<Integer, Long> next = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            long expected = next.getOrDefault(record.partition(), 0L);
            assertThat(record.offset()).isEqualTo(expected);
            assertThat(record.value()).isEqualTo("value-" + (expected * PARTITIONS + record.partition()));
            next.put(record.partition(), expected + 1);
        }
    }

    private static Object preferredReadReplica(KafkaConsumer<String, String> consumer, int partition) {
        for (Map.Entry<MetricName, ? extends Metric> metric : consumer.metrics().entrySet()) {
            MetricName name = metric.getKey();
            if (name.name().equals("preferred-read-replica") && TOPIC.equals(name.tags().get("topic"))
                    && Integer.toString(partition).equals(name.tags().get("partition"))) {
                return ((Number) metric.getValue().metricValue()).intValue();
            }
        }
        return "no metric";
    }

    private static Map<Integer, Integer> leaders() throws Exception {
        try (Admin admin = admin()) {
            Map<Integer, Integer> leaders = new HashMap<>();
            describe(admin).partitions().forEach(p -> leaders.put(p.partition(), p.leader().id()));
            return leaders;
        }
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC);
    }

    private static KafkaConsumer<String, String> consumer(String rack) {
        Map<String, Object> config = new HashMap<>(Map.of("bootstrap.servers", cluster.bootstrapServers(),
                "auto.offset.reset", "earliest", "enable.auto.commit", false));
        if (rack != null) {
            config.put("client.rack", rack);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", cluster.bootstrapServers()));
    }
}
