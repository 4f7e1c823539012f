package io.tributary.broker.compat;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import io.tributary.broker.RunningBroker;
import io.tributary.broker.fetch.FetchSessionCache;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fetch sessions (KIP-227): a full fetch opens a session, incremental fetches name only what changed
 * and are answered with only the partitions that have something new; a wrong epoch, an unknown session
 * and a closed session get Kafka's errors. Then kafka-clients' consumer, which uses sessions on its own,
 * reads everything through them while its assignment shrinks and grows.
 */
@Timeout(value = 90, unit = SECONDS)
class FetchSessionTest {

    @TempDir
    static Path dataDir;

    private static RunningBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() {
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

    /** Version 12 names topics, 13 and later give their ids: sessions are kept by one or the other. */
    @ParameterizedTest
    @ValueSource(shorts = {12, 17})
    void incrementalFetchesCarryOnlyWhatChanged(short version) throws Exception {
        String topic = "sessions-v" + version;
        Clients.createTopic(admin, topic, 3, Map.of());
        Uuid topicId = admin.describeTopics(List.of(topic)).allTopicNames().get(20, SECONDS).get(topic).topicId();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers());
                RawKafkaClient raw = new RawKafkaClient("127.0.0.1", broker.port())) {
            for (int p = 0; p < 3; p++) {
                producer.send(new ProducerRecord<>(topic, p, null, value("first-" + p))).get(20, SECONDS);
            }
            Map<TopicPartition, FetchRequest.PartitionData> all = new LinkedHashMap<>();
            for (int p = 0; p < 3; p++) {
                all.put(new TopicPartition(topic, p), partition(topicId, 0));
            }
            FetchResponse full = raw.call(fetch(version, new FetchMetadata(0, FetchMetadata.INITIAL_EPOCH), all, List.of()));
            int session = full.sessionId();
            assertThat(session).as("a session opened").isNotZero();
            assertThat(answered(full, topic, topicId, version)).containsOnlyKeys(0, 1, 2).allSatisfy((p, records) ->
                    assertThat(records).isEqualTo(1));

            // The positions moved on: named, nothing new to answer.
            Map<TopicPartition, FetchRequest.PartitionData> moved = new LinkedHashMap<>();
            for (int p = 0; p < 3; p++) {
                moved.put(new TopicPartition(topic, p), partition(topicId, 1));
            }
            FetchResponse quiet = raw.call(fetch(version, new FetchMetadata(session, 1), moved, List.of()));
            assertThat(Errors.forCode(quiet.error().code())).isEqualTo(Errors.NONE);
            assertThat(quiet.sessionId()).isEqualTo(session);
            assertThat(answered(quiet, topic, topicId, version)).as("nothing new").isEmpty();

            // A record in partition 1: an empty incremental fetch is answered with partition 1 alone.
            producer.send(new ProducerRecord<>(topic, 1, null, value("second-1"))).get(20, SECONDS);
            FetchResponse one = raw.call(fetch(version, new FetchMetadata(session, 2), Map.of(), List.of()));
            assertThat(answered(one, topic, topicId, version)).isEqualTo(Map.of(1, 1));

            // The same epoch again, and a session that does not exist.
            FetchResponse stale = raw.call(fetch(version, new FetchMetadata(session, 2), Map.of(), List.of()));
            assertThat(Errors.forCode(stale.error().code())).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
            FetchResponse unknown = raw.call(fetch(version, new FetchMetadata(session + 1, 1), Map.of(), List.of()));
            assertThat(Errors.forCode(unknown.error().code())).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);

            // Partition 1 forgotten: of two new records, only partition 2's is answered.
            producer.send(new ProducerRecord<>(topic, 1, null, value("third-1"))).get(20, SECONDS);
            producer.send(new ProducerRecord<>(topic, 2, null, value("second-2"))).get(20, SECONDS);
            FetchResponse forgot = raw.call(fetch(version, new FetchMetadata(session, 3), Map.of(),
                    List.of(new TopicIdPartition(topicId, new TopicPartition(topic, 1)))));
            assertThat(answered(forgot, topic, topicId, version)).isEqualTo(Map.of(2, 1));

            // Closed with the final epoch: answered as a full fetch without a session, then gone.
            FetchResponse closing = raw.call(fetch(version, new FetchMetadata(session, FetchMetadata.FINAL_EPOCH), all,
                    List.of()));
            assertThat(closing.sessionId()).isZero();
            assertThat(answered(closing, topic, topicId, version)).containsOnlyKeys(0, 1, 2);
            FetchResponse gone = raw.call(fetch(version, new FetchMetadata(session, 4), Map.of(), List.of()));
            assertThat(Errors.forCode(gone.error().code())).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        }
    }

    @Test
    void aConsumerReadsEverythingThroughItsSessionWhileItsAssignmentChanges() throws Exception {
        String topic = "session-consumer";
        Clients.createTopic(admin, topic, 6, Map.of());
        List<TopicPartition> partitions = Clients.partitions(topic, 6);
        FetchSessionCache sessions = broker.context().getBean(FetchSessionCache.class);
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers());
                KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers())) {
            int before = sessions.size();
            send(producer, topic, "a", 60);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            assertThat(values(Clients.readToEnd(consumer))).hasSize(60);
            assertThat(sessions.size()).as("the consumer's session").isEqualTo(before + 1);

            // Two partitions only: the others leave the session; their new records are not read.
            consumer.assign(partitions.subList(0, 2));
            send(producer, topic, "b", 60);
            List<ConsumerRecord<byte[], byte[]>> two = Clients.readToEnd(consumer);
            assertThat(two).hasSize(20).allSatisfy(record -> assertThat(record.partition()).isLessThan(2));

            // All six again, from where each left off: the rest of round "b", nothing twice.
            consumer.assign(partitions);
            for (int p = 2; p < 6; p++) {
                consumer.seek(new TopicPartition(topic, p), 10);
            }
            send(producer, topic, "c", 60);
            Set<String> rest = values(Clients.readToEnd(consumer));
            assertThat(rest).hasSize(40 + 60);
            assertThat(rest).noneMatch(value -> value.startsWith("a-"));
            assertThat(sessions.size()).as("still the one session").isEqualTo(before + 1);
            assertThat(broker.context().getBean(io.micrometer.core.instrument.MeterRegistry.class)
                    .get("tributary.fetch.sessions").gauge().value()).isEqualTo(before + 1);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String round, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(topic, i % 6, null, value(round + "-" + i)));
        }
        producer.flush();
    }

    private static Set<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        Set<String> values = new TreeSet<>();
        records.forEach(record -> assertThat(values.add(new String(record.value(), StandardCharsets.UTF_8)))
                .as("read once").isTrue());
        return values;
    }

    private static byte[] value(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static FetchRequest.PartitionData partition(Uuid topicId, long offset) {
        return new FetchRequest.PartitionData(topicId, offset, -1, 1 << 20, Optional.empty());
    }

    private static FetchRequest fetch(short version, FetchMetadata metadata, Map<TopicPartition, FetchRequest.PartitionData> data,
            List<TopicIdPartition> forgotten) {
        return FetchRequest.Builder.forConsumer(version, 300, 1, data).metadata(metadata).removed(forgotten)
                .replaced(List.of()).build(version);
    }

    /** Records answered per partition, checking every answered partition is error-free. */
    private static Map<Integer, Integer> answered(FetchResponse response, String topic, Uuid topicId, short version) {
        assertThat(Errors.forCode(response.error().code())).isEqualTo(Errors.NONE);
        Map<Integer, Integer> records = new LinkedHashMap<>();
        response.responseData(Map.of(topicId, topic), version).forEach((tp, data) -> {
            assertThat(tp.topic()).isEqualTo(topic);
            assertThat(Errors.forCode(data.errorCode())).as("%s", tp).isEqualTo(Errors.NONE);
            int[] count = {0};
            ((org.apache.kafka.common.record.Records) data.records()).batches().forEach(batch ->
                    batch.forEach(record -> count[0]++));
            records.put(tp.partition(), count[0]);
        });
        return records;
    }
}
