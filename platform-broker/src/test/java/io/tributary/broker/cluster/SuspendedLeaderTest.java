package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader frozen with SIGSTOP past its session timeout, then thawed with SIGCONT: meanwhile the
 * controller fenced it and a follower took over; back, it learns from its metadata replica that it
 * no longer leads, truncates what it alone wrote, follows, and the three logs end identical.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SuspendedLeaderTest {

    @TempDir
    Path dir;

    private ProcessCluster brokers;

    @AfterEach
    void stopBrokers() throws InterruptedException {
        if (brokers != null) {
            brokers.close();
        }
    }

    @Test
    void aLeaderFrozenPastItsSessionComesBackAsAFollowerAndTheReplicasEndIdentical() throws Exception {
        brokers = ProcessCluster.start(dir);
        String bootstrap = brokers.bootstrapServers();
        int leaderAndController;
        String chosen;
        AckedLoad load;
        try (Admin admin = admin(bootstrap)) {
            // The hard case: the partition leader is also the controller (the Raft leader), so that the
            // survivors must first elect a new controller, which must then fence the frozen broker.
            // Placement is round-robin across topics: create topics until one is led by the controller.
            for (int attempt = 0; ; attempt++) {
                String candidate = "frozen-" + attempt;
                admin.createTopics(List.of(new NewTopic(candidate, 1, (short) 3)
                        .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
                int leader = await().atMost(Duration.ofSeconds(10))
                        .until(() -> partition(admin, candidate).leader(), l -> l != null).id();
                int controller = admin.describeCluster().controller().get(10, TimeUnit.SECONDS).id();
                if (leader == controller || attempt == 5) {
                    chosen = candidate;
                    leaderAndController = leader;
                    break;
                }
            }
            load = new AckedLoad(bootstrap, chosen, 1);
            load.awaitMoreAcks(300, Duration.ofSeconds(60));
        }
        int victim = leaderAndController;
        String topic = chosen;
        try {
            // acks=1 records right before the freeze: the leader may hold some no follower fetched yet.
            try (KafkaProducer<String, String> unsafe = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "1",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.LINGER_MS_CONFIG, 0),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 20; i++) {
                    unsafe.send(new ProducerRecord<>(topic, 0, "unsafe", "-1"));
                }
                unsafe.flush();
                brokers.broker(victim).pause();
            }
            long frozenAt = System.nanoTime();
            try (Admin admin = admin(brokers.bootstrapServersExcept(victim))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    Node leader = partition(admin, topic).leader();
                    return leader != null && leader.id() != victim;
                });
                load.awaitMoreAcks(300, Duration.ofSeconds(60));
                System.out.printf("Leader %d frozen: %d ms without an acks=all acknowledgement%n", victim,
                        load.longestGapMsSince(frozenAt));
                brokers.broker(victim).resume();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(partition(admin, topic).isr())
                        .extracting(Node::id).contains(victim));
            }
        } finally {
            brokers.broker(victim).resume(); // never leave a frozen JVM behind
            load.stopAndVerify(bootstrap);
        }
        try (Admin admin = admin(bootstrap)) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(partition(admin, topic).isr()).hasSize(3));
        }
        brokers.close();
        String partitionDir = topic + "-0";
        TopicPartition tp = new TopicPartition(topic, 0);
        try (Stream<String> lines = Files.lines(brokers.broker(victim).logFile())) {
            lines.filter(line -> line.contains(partitionDir + ": truncating")).forEach(line -> System.out.println(
                    "Broker " + victim + " after SIGCONT: " + line.substring(line.indexOf(partitionDir))));
        }
        List<String> reference = ReplicaLogs.batchesOnDisk(brokers.broker(0).dataDir(), tp);
        assertThat(reference).isNotEmpty();
        for (int node = 1; node < 3; node++) {
            assertThat(ReplicaLogs.batchesOnDisk(brokers.broker(node).dataDir(), tp)).as("batches on broker %d", node).isEqualTo(reference);
        }
    }

    private static TopicPartitionInfo partition(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic);
        return description.partitions().get(0);
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                "metadata.max.age.ms", 1_000));
    }
}
