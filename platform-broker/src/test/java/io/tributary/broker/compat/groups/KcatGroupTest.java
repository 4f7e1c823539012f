package io.tributary.broker.compat.groups;

import static io.tributary.broker.compat.groups.GroupClients.committed;
import static io.tributary.broker.compat.groups.GroupClients.createTopic;
import static io.tributary.broker.compat.groups.GroupClients.describe;
import static io.tributary.broker.compat.groups.GroupClients.endOffsets;
import static io.tributary.broker.compat.groups.GroupClients.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kcat's balanced consumer ({@code kcat -G}, librdkafka's KafkaConsumer) in groups with Java
 * consumers: it starts at the group's committed offsets, shares partitions with a Java member, and
 * the offsets it commits are what Admin and the Java consumers then see.
 */
@Timeout(60)
class KcatGroupTest extends BrokerPerClass {

    private static final Path KCAT = Path.of("/usr/bin/kcat");

    /** A consumed record as kcat printed it. */
    private record Line(int partition, long offset, String value) {
    }

    @BeforeEach
    void requireKcat() {
        Assumptions.assumeTrue(Files.isExecutable(KCAT), "kcat is not installed at " + KCAT);
    }

    @Test
    void kcatStartsAtTheOffsetsJavaConsumersCommittedAndItsOwnCommitsAreVisible() throws Exception {
        createTopic(admin, "kcat-after", 2);
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
            produce(producer, "kcat-after", 2, 0, 10);
        }
        TopicPartition p0 = new TopicPartition("kcat-after", 0);
        TopicPartition p1 = new TopicPartition("kcat-after", 1);
        try (KafkaConsumer<String, String> java = GroupClients.consumer(bootstrap(), "kcat-after", Map.of())) {
            java.subscribe(List.of("kcat-after"));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                java.poll(Duration.ofMillis(100));
                return java.assignment().size() == 2;
            });
            java.commitSync(Map.of(p0, new OffsetAndMetadata(5), p1, new OffsetAndMetadata(7)));
        }

        List<Line> lines = runKcat("kcat-after", "kcat-after", "-e");

        assertThat(lines).extracting(Line::partition, Line::offset).containsExactlyInAnyOrderElementsOf(List.of(
                org.assertj.core.groups.Tuple.tuple(0, 5L), org.assertj.core.groups.Tuple.tuple(0, 6L),
                org.assertj.core.groups.Tuple.tuple(0, 7L), org.assertj.core.groups.Tuple.tuple(0, 8L),
                org.assertj.core.groups.Tuple.tuple(0, 9L), org.assertj.core.groups.Tuple.tuple(1, 7L),
                org.assertj.core.groups.Tuple.tuple(1, 8L), org.assertj.core.groups.Tuple.tuple(1, 9L)));
        assertThat(lines).allSatisfy(line -> assertThat(line.value()).isEqualTo("kcat-after/" + line.partition() + "/" + line.offset()));
        assertThat(committed(admin, "kcat-after")).isEqualTo(endOffsets(admin, "kcat-after", 2));

        // And a Java consumer carries on from kcat's commits.
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
            produce(producer, "kcat-after", 2, 10, 3);
        }
        try (BackgroundConsumer java = new BackgroundConsumer("after-kcat", bootstrap(), "kcat-after", Map.of(),
                List.of("kcat-after"))) {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(committed(admin, "kcat-after")).isEqualTo(endOffsets(admin, "kcat-after", 2)));
            assertThat(java.records()).extracting(ConsumerRecord::offset).containsOnly(10L, 11L, 12L).hasSize(6);
        }
    }

    @Test
    void kcatSharesAGroupWithAJavaConsumerWhichTakesOverFromKcatsCommitsWhenItLeaves() throws Exception {
        createTopic(admin, "kcat-along", 4);
        try (BackgroundConsumer java = new BackgroundConsumer("java-along", bootstrap(), "kcat-along", Map.of(),
                List.of("kcat-along"))) {
            // The group has been consuming for a while: it has committed offsets on every partition.
            try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
                produce(producer, "kcat-along", 4, 0, 2);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(java.assignment()).hasSize(4);
                assertThat(committed(admin, "kcat-along")).isEqualTo(endOffsets(admin, "kcat-along", 4));
            });

            Path output = Files.createTempFile("kcat-along", ".out");
            Process kcat = startKcat("kcat-along", "kcat-along", output, "-c", "10");
            Set<Integer> kcatPartitions = new TreeSet<>();
            try {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    ConsumerGroupDescription group = describe(admin, "kcat-along");
                    assertThat(group.groupState()).isEqualTo(GroupState.STABLE);
                    assertThat(group.members()).hasSize(2);
                    assertThat(java.assignment()).hasSize(2);
                });
                MemberDescription kcatMember = describe(admin, "kcat-along").members().stream()
                        .filter(m -> !m.clientId().equals("java-along")).findFirst().orElseThrow();
                kcatMember.assignment().topicPartitions().forEach(tp -> kcatPartitions.add(tp.partition()));
                assertThat(kcatPartitions).hasSize(2);

                try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
                    produce(producer, "kcat-along", 4, 2, 10);
                }
                assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).as("kcat exits after 10 records").isTrue();
                assertThat(kcat.exitValue()).isZero();
            } finally {
                kcat.destroyForcibly();
            }
            List<Line> lines = parse(output);
            assertThat(lines).hasSize(10).allSatisfy(line -> assertThat(kcatPartitions).contains(line.partition()));

            // kcat left: the Java consumer takes over its partitions at the offsets kcat committed.
            Map<TopicPartition, Long> ends = endOffsets(admin, "kcat-along", 4);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(java.assignment()).hasSize(4);
                assertThat(committed(admin, "kcat-along")).isEqualTo(ends);
            });
            Map<Integer, Long> kcatNext = new TreeMap<>();
            lines.forEach(line -> kcatNext.merge(line.partition(), line.offset() + 1, Math::max));
            Map<TopicPartition, Set<Long>> javaOffsets = GroupClients.offsetsByPartition(java.records());
            for (int partition : kcatPartitions) {
                TopicPartition tp = new TopicPartition("kcat-along", partition);
                long resumeAt = kcatNext.getOrDefault(partition, 2L);
                long first = javaOffsets.get(tp).stream().filter(offset -> offset >= 2).findFirst().orElse(ends.get(tp));
                assertThat(first).as("where the Java consumer resumed %s", tp).isEqualTo(resumeAt);
            }
            List<ConsumerRecord<String, String>> all = new ArrayList<>(java.records());
            lines.forEach(line -> all.add(new ConsumerRecord<>("kcat-along", line.partition(), line.offset(), null, line.value())));
            GroupClients.assertNoGaps(all, ends);
            GroupClients.assertValuesMatchOffsets(all);
        }
    }

    @Test
    void kcatStartsAtTheEarliestOffsetInAGroupWithoutCommittedOffsets() throws Exception {
        createTopic(admin, "kcat-fresh", 2);
        try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap())) {
            produce(producer, "kcat-fresh", 2, 0, 5);
        }

        List<Line> lines = runKcat("kcat-fresh", "kcat-fresh", "-e");

        assertThat(lines).hasSize(10);
        assertThat(committed(admin, "kcat-fresh")).isEqualTo(endOffsets(admin, "kcat-fresh", 2));
    }

    /** Runs kcat in group mode until it exits by itself; returns what it consumed. */
    private List<Line> runKcat(String group, String topic, String... args) throws Exception {
        Path output = Files.createTempFile("kcat-" + group, ".out");
        Process kcat = startKcat(group, topic, output, args);
        try {
            assertThat(kcat.waitFor(30, TimeUnit.SECONDS)).as("kcat exits").isTrue();
            assertThat(kcat.exitValue()).isZero();
        } finally {
            kcat.destroyForcibly();
        }
        return parse(output);
    }

    private Process startKcat(String group, String topic, Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(KCAT.toString(), "-b", bootstrap(), "-G", group, "-q", "-u",
                "-f", "%p %o %s\\n",
                "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=300",
                "-X", "auto.offset.reset=earliest", "-X", "partition.assignment.strategy=range"));
        command.addAll(List.of(args));
        command.add(topic);
        return new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static List<Line> parse(Path output) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(" ", 3);
            lines.add(new Line(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), parts[2]));
        }
        Files.deleteIfExists(output);
        return lines;
    }
}
