package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import io.tributary.broker.BrokerProcess;
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
 * idempotent acks=all load: no controlled shutdown, the controller fences the silent broker after
 * its session, a follower in the ISR takes over, and not one acknowledged record is lost or
 * duplicated. The killed broker returns, truncates and catches up, and rejoins the ISR.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KilledLeaderTest {

    @TempDir
    Path dir;

    private final List<BrokerProcess> brokers = new ArrayList<>();

    @AfterEach
    void stopBrokers() throws InterruptedException {
        for (BrokerProcess broker : brokers) {
            broker.close();
        }
    }

    @Test
    void noAcknowledgedRecordIsLostWhenTheLeaderIsKilled() throws Exception {
        startCluster();
        String bootstrap = brokers.stream().map(BrokerProcess::bootstrapServers).collect(Collectors.joining(","));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            admin.createTopics(List.of(new NewTopic("crash", 1, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            int victim = await().atMost(Duration.ofSeconds(10)).until(() -> partition(admin).leader(),
                    leader -> leader != null).id();

            AckedLoad load = new AckedLoad(bootstrap, "crash", 1);
            try {
                load.awaitMoreAcks(300, Duration.ofSeconds(60));
                long killedAt = System.nanoTime();
                brokers.get(victim).kill();
                load.awaitMoreAcks(300, Duration.ofSeconds(60));
                System.out.printf("Failover after kill -9 of the leader: %d ms without an acks=all acknowledgement%n",
                        load.longestGapMsSince(killedAt));
            } finally {
                load.stopAndVerify(bootstrap);
            }

            brokers.get(victim).start();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(partition(admin).isr())
                    .extracting(Node::id).contains(victim));
        }
    }

    private static TopicPartitionInfo partition(Admin admin) throws Exception {
        TopicDescription topic = admin.describeTopics(List.of("crash")).allTopicNames().get(30, TimeUnit.SECONDS)
                .get("crash");
        return topic.partitions().get(0);
    }

    /** Starts the three brokers at once: none finishes starting before a quorum of them runs. */
    private void startCluster() {
        int[] raftPorts = IntStream.range(0, 3).map(i -> freePort()).toArray();
        String voters = IntStream.range(0, 3).mapToObj(i -> i + "@127.0.0.1:" + raftPorts[i])
                .collect(Collectors.joining(","));
        List<CompletableFuture<BrokerProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int node = i;
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return BrokerProcess.start(dir.resolve("node-" + node), "--tributary.broker.node-id=" + node,
                            "--tributary.cluster.voters=" + voters, "--tributary.cluster.raft-port=" + raftPorts[node],
                            "--tributary.cluster.broker-session-timeout=3s", "--tributary.cluster.heartbeat-interval=500ms",
                            "--tributary.broker.replica-lag-time-max=2s", "--spring.main.banner-mode=off");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        for (CompletableFuture<BrokerProcess> broker : starting) {
            brokers.add(broker.orTimeout(120, TimeUnit.SECONDS).join());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
