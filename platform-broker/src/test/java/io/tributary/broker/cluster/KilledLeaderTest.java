package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers in their own JVMs and a {@code kill -9} of a partition's leader under an
 * idempotent acks=all load, for each broker in turn: no controlled shutdown, the controller fences
 * the silent broker after its session, a follower in the ISR takes over, and not one acknowledged
 * record is lost or duplicated. The killed broker returns, truncates and catches up, and rejoins
 * the ISR before the next one is killed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KilledLeaderTest {

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
    void noAcknowledgedRecordIsLostWhenEachBrokerInTurnIsKilledAsALeader() throws Exception {
        long started = System.nanoTime();
        brokers = ProcessCluster.start(dir);
        String bootstrap = brokers.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                "metadata.max.age.ms", 1_000))) {
            // Three partitions placed round-robin: every broker leads one of them.
            admin.createTopics(List.of(new NewTopic("crash", 3, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            AckedLoad load = new AckedLoad(bootstrap, "crash", 3);
            try {
                load.awaitMoreAcks(100, Duration.ofSeconds(60));
                for (int victim = 0; victim < 3; victim++) {
                    int broker = victim;
                    // A broker that rejoined takes back its preferred leadership: wait until it leads again.
                    await().atMost(Duration.ofSeconds(30)).until(() -> partitions(admin).stream()
                            .anyMatch(p -> p.leader() != null && p.leader().id() == broker));
                    long killedAt = System.nanoTime();
                    brokers.broker(victim).kill();
                    load.awaitMoreAcks(100, Duration.ofSeconds(60));
                    System.out.printf("Failover after kill -9 of leader %d: %d ms without an acks=all acknowledgement%n",
                            victim, load.longestGapMsSince(killedAt));
                    brokers.broker(victim).start();
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(partitions(admin))
                            .allSatisfy(p -> assertThat(p.isr()).extracting(Node::id).contains(broker)));
                }
            } finally {
                load.stopAndVerify(bootstrap);
            }
        }
        System.out.printf("Three kill -9 rounds in %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    private static List<TopicPartitionInfo> partitions(Admin admin) throws Exception {
        TopicDescription topic = admin.describeTopics(List.of("crash")).allTopicNames().get(30, TimeUnit.SECONDS)
                .get("crash");
        return topic.partitions();
    }
}
