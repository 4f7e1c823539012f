package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.BrokerProcess;
import io.tributary.broker.SmallFilesystem;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers in their own JVMs, each data directory on a small file system of its own, under an
 * idempotent acks=all load; the test fills the controller's for real. As Kafka does when its last log
 * directory fails, that broker stops (exit status 74) — after handing its leaderships over, which Kafka
 * does not — so the in-sync replicas take over; once space is freed and it is started again, it
 * recovers its log and rejoins every ISR, and no acknowledged record is lost or duplicated. Needs root
 * to mount a tmpfs; skipped otherwise.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FullDiskClusterTest {

    private static final String TOPIC = "full";

    @TempDir
    Path dir;

    private final List<SmallFilesystem> disks = new java.util.ArrayList<>();
    private ProcessCluster brokers;

    @BeforeEach
    void mount() throws IOException {
        String unavailable = SmallFilesystem.unavailableReason();
        Assumptions.assumeTrue(unavailable == null, () -> "Skipped: " + unavailable);
        for (int node = 0; node < 3; node++) {
            disks.add(SmallFilesystem.mount(dir.resolve("node-" + node), 256L << 20));
        }
    }

    @AfterEach
    void stop() {
        if (brokers != null) {
            brokers.close();
        }
        disks.forEach(SmallFilesystem::close);
    }

    @Test
    void aBrokerWhoseDiskFillsHandsOverItsLeadershipsAndStopsThenRecoversOnceThereIsRoom() throws Exception {
        brokers = ProcessCluster.start(dir);
        String bootstrap = brokers.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                "metadata.max.age.ms", 1_000))) {
            // Three partitions placed round-robin: every broker leads one and follows the others.
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all().get(30, TimeUnit.SECONDS);
            try (AckedLoad load = new AckedLoad(bootstrap, TOPIC, 3)) {
                load.awaitMoreAcks(100, Duration.ofSeconds(60));
                // The controller's disk: its own metadata log fails too, under the fencing that hands its leaderships over.
                int victim = admin.describeCluster().controller().get(30, TimeUnit.SECONDS).id();
                await().atMost(Duration.ofSeconds(30)).until(() -> partitions(admin).stream()
                        .anyMatch(p -> p.leader() != null && p.leader().id() == victim));
                BrokerProcess full = brokers.broker(victim);
                SmallFilesystem disk = disks.get(victim);

                long filledAt = System.nanoTime();
                long filler = disk.fill();
                await("broker " + victim + " stops by itself").atMost(Duration.ofSeconds(30)).until(() -> !full.isAlive());
                long stoppedMs = (System.nanoTime() - filledAt) / 1_000_000;
                assertThat(full.exitStatus()).hasValue(LogDirFailureShutdown.EXIT_STATUS);
                String log = Files.readString(full.logFile());
                assertThat(log).contains("Shutting down broker " + victim + " because its data directory " + disk.mountPoint())
                        .contains("No space left on device").contains("stops with exit status 74");
                log.lines().filter(line -> line.contains("LogDirFailureShutdown") || line.contains("Controlled shutdown")
                        || line.contains("storage failed")).forEach(line -> System.out.println("broker " + victim + ": " + line));

                load.awaitMoreAcks(100, Duration.ofSeconds(60));
                assertThat(partitions(admin)).allSatisfy(p -> assertThat(p.leader().id()).isNotEqualTo(victim));
                System.out.printf("Disk of broker %d (the controller) filled (%d MB of filler): it stopped after %d ms; "
                        + "%d ms at most without an acks=all acknowledgement%n", victim, filler >> 20, stoppedMs,
                        load.longestGapMsSince(filledAt));

                disk.free();
                long restartedAt = System.nanoTime();
                full.start();
                await("broker " + victim + " back in every ISR").atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        partitions(admin)).allSatisfy(p -> assertThat(p.isr()).extracting(Node::id).contains(victim)));
                System.out.printf("Broker %d restarted after freeing space, back in every ISR in %d ms%n", victim,
                        (System.nanoTime() - restartedAt) / 1_000_000);
                load.awaitMoreAcks(100, Duration.ofSeconds(30));
                load.stopAndVerify(bootstrap);
            }
        }
    }

    private static List<TopicPartitionInfo> partitions(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC).partitions();
    }
}
