package io.tributary.broker.compat.groups;

import static io.tributary.broker.compat.groups.GroupClients.assertNoGaps;
import static io.tributary.broker.compat.groups.GroupClients.committed;
import static io.tributary.broker.compat.groups.GroupClients.createTopic;
import static io.tributary.broker.compat.groups.GroupClients.endOffsets;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member that dies without leaving: a consumer in another JVM, killed with SIGKILL while records
 * keep coming. After its session timeout the broker gives its partitions to the survivor, which
 * resumes from the last committed offsets: every record is processed, and only the dead member's
 * uncommitted tail is processed twice.
 */
@Timeout(90)
class MemberFailureTest extends BrokerPerClass {

    private static final String TOPIC = "failover";
    private static final int PARTITIONS = 4;
    private static final int DOOMED_SESSION_MS = 1_500;

    @Test
    void aKilledMembersPartitionsGoToTheSurvivorWhichResumesFromTheLastCommittedOffsets() throws Exception {
        createTopic(admin, TOPIC, PARTITIONS);
        Map<Integer, Set<Long>> doomedProcessed = new ConcurrentHashMap<>();
        Map<Integer, Long> doomedCommitted = new ConcurrentHashMap<>();
        AtomicReference<String> doomedAssignment = new AtomicReference<>("");
        AtomicBoolean reportEnded = new AtomicBoolean();

        Process doomed = startConsumerProcess();
        Thread reader = readReports(doomed, doomedProcessed, doomedCommitted, doomedAssignment, reportEnded);
        ContinuousProducer producer = null;
        try (BackgroundConsumer survivor = new BackgroundConsumer("survivor", bootstrap(), "failover", Map.of(),
                List.of(TOPIC))) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(doomedAssignment.get().split(",")).hasSize(2);
                assertThat(survivor.assignment()).hasSize(2);
            });
            Set<TopicPartition> doomedPartitions = new TreeSet<>(GroupClients.TP_ORDER);
            for (String p : doomedAssignment.get().split(",")) {
                doomedPartitions.add(new TopicPartition(TOPIC, Integer.parseInt(p)));
            }

            // The bound only keeps a stuck test from producing forever: records must still be coming when the
            // survivor takes over, however long the kill and the session expiry take on a loaded machine.
            producer = new ContinuousProducer(bootstrap(), TOPIC, PARTITIONS, 1_000_000);
            // Kill it mid-stream, once it has processed and committed records.
            await().atMost(Duration.ofSeconds(20)).until(() -> doomedCommitted.values().stream().mapToLong(o -> o).sum() >= 30);
            // It goes on consuming and committing until the signal lands, and the reader may lag behind it: the
            // report's tail is still in the pipe. Not doomed.destroyForcibly(), which closes the pipe and loses that
            // tail while the broker holds the commits made after it (a gap that is the test's, not the broker's).
            ProcessKill.kill(doomed);
            assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
            // Everything the dead process wrote is still in the pipe: read it all before judging what it processed.
            reader.join(30_000);
            assertThat(reportEnded).as("the dead consumer's report was read to its end").isTrue();
            Map<Integer, Long> committedByDoomed = new TreeMap<>(doomedCommitted);

            // The survivor gets everything once the dead member's session has expired.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(survivor.assignment()).hasSize(PARTITIONS));
            ContinuousProducer load = producer;
            long producedAtTakeover = load.produced();
            await().atMost(Duration.ofSeconds(10)).until(() -> load.produced() >= producedAtTakeover + 200);
            producer.close();
            assertThat(producer.failure()).isNull();

            Map<TopicPartition, Long> ends = endOffsets(admin, TOPIC, PARTITIONS);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(committed(admin, "failover")).isEqualTo(ends));
            assertThat(survivor.failure()).isNull();

            // Every record processed by one member or the other: nothing skipped.
            List<ConsumerRecord<String, String>> all = new ArrayList<>(survivor.records());
            doomedProcessed.forEach((p, offsets) -> offsets.forEach(o -> all.add(new ConsumerRecord<>(TOPIC, p, o, null, null))));
            assertNoGaps(all, ends);
            // The survivor resumed each partition of the dead member at its committed offset, never before it.
            Map<TopicPartition, Set<Long>> survivorOffsets = GroupClients.offsetsByPartition(survivor.records());
            for (TopicPartition tp : doomedPartitions) {
                long committedBefore = committedByDoomed.getOrDefault(tp.partition(), 0L);
                Set<Long> taken = survivorOffsets.getOrDefault(tp, Set.of());
                assertThat(taken).as("%s after the kill", tp).isNotEmpty();
                assertThat(taken.iterator().next()).as("first offset of %s the survivor processed", tp)
                        .isGreaterThanOrEqualTo(committedBefore);
                // Processed twice: only what the dead member had not committed.
                Set<Long> twice = new TreeSet<>(taken);
                twice.retainAll(doomedProcessed.getOrDefault(tp.partition(), Set.of()));
                assertThat(twice).allSatisfy(offset -> assertThat(offset).isGreaterThanOrEqualTo(committedBefore));
            }
        } finally {
            doomed.destroyForcibly();
            if (producer != null) {
                producer.close();
            }
        }
    }

    private Process startConsumerProcess() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), KilledConsumerMain.class.getName(),
                bootstrap(), "failover", TOPIC, Integer.toString(DOOMED_SESSION_MS));
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        return builder.start();
    }

    private static Thread readReports(Process process, Map<Integer, Set<Long>> processed, Map<Integer, Long> committed,
            AtomicReference<String> assignment, AtomicBoolean ended) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    String[] parts = line.split(" ");
                    if (line.startsWith("@@A ") && parts.length == 2) {
                        assignment.set(parts[1]);
                    } else if (line.startsWith("@@R ") && parts.length == 3) {
                        processed.computeIfAbsent(Integer.parseInt(parts[1]), p -> ConcurrentHashMap.newKeySet())
                                .add(Long.parseLong(parts[2]));
                    } else if (line.startsWith("@@C ") && parts.length == 3) {
                        committed.merge(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Math::max);
                    }
                }
                ended.set(true);
            } catch (IOException | RuntimeException e) {
                // The report was not read to its end, which the test checks.
            }
        }, "doomed-consumer-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
