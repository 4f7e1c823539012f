package io.tributary.broker.compat;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.tributary.broker.RunningBroker;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.TransactionResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What kafka-clients' consumer sees of transactions, by isolation level. Transactional batches are
 * produced with a raw client (no transaction coordinator is needed for that) and their markers are
 * written through {@link PartitionManager#appendTxnMarker}, as the coordinator does: read_uncommitted
 * sees every record; read_committed stops at the last stable offset (the first open transaction), drops
 * aborted data, and moves on once the open transaction commits.
 */
@Timeout(value = 60, unit = SECONDS)
class ReadCommittedTest {

    private static final String TOPIC = "txn-orders";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @TempDir
    static Path dataDir;

    private static RunningBroker broker;
    private static Admin admin;
    private static PartitionManager partitions;

    @BeforeAll
    static void startBroker() throws Exception {
        // The batches here come from made-up producers no transaction coordinator knows: KIP-890's check is off.
        broker = RunningBroker.start(dataDir, "--tributary.broker.transaction.partition-verification-enable=false");
        admin = Clients.admin(broker.bootstrapServers());
        Clients.createTopic(admin, TOPIC, 1, Map.of());
        partitions = broker.context().getBean(PartitionManager.class);
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

    private static void produce(RawKafkaClient client, MemoryRecords records) {
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(TOPIC);
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topicData);
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                .setTransactionalId("tx").setTopicData(topics);
        short version = 12;
        ProduceResponse response = client.call(new ProduceRequest.Builder(version, version, data).build(version));
        PartitionProduceResponse answer = response.data().responses().iterator().next().partitionResponses().get(0);
        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
    }

    private static MemoryRecords transactional(long producerId, int sequence, String... values) {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, producerId, (short) 0, sequence,
                records(values));
    }

    private static SimpleRecord[] records(String... values) {
        return java.util.Arrays.stream(values).map(v -> new SimpleRecord(v.getBytes(UTF_8))).toArray(SimpleRecord[]::new);
    }

    private static void endTxn(long producerId, TransactionResult result) throws Exception {
        assertThat(partitions.appendTxnMarker(TP, producerId, (short) 0, 0, result).get(10, SECONDS))
                .isEqualTo(Errors.NONE);
    }

    private static List<String> read(String isolation) {
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of("isolation.level", isolation))) {
            consumer.assign(List.of(TP));
            consumer.seekToBeginning(List.of(TP));
            return Clients.readToEnd(consumer).stream().map(ConsumerRecord::value).map(v -> new String(v, UTF_8))
                    .toList();
        }
    }

    private static long endOffset(String isolation) {
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of("isolation.level", isolation))) {
            return consumer.endOffsets(List.of(TP), Clients.READ_TIMEOUT).get(TP);
        }
    }

    @Test
    void readCommittedSeesCommittedDataOnlyAndStopsAtTheOpenTransaction() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
            produce(client, transactional(1000, 0, "committed-1", "committed-2"));   // offsets 0-1
            produce(client, transactional(2000, 0, "aborted-1"));                   // 2
            produce(client, MemoryRecords.withRecords(Compression.NONE, records("plain-1"))); // 3
            endTxn(1000, TransactionResult.COMMIT);                                  // marker 4
            endTxn(2000, TransactionResult.ABORT);                                   // marker 5
            produce(client, transactional(3000, 0, "open-1"));                      // 6
            produce(client, MemoryRecords.withRecords(Compression.NONE, records("plain-2"))); // 7

            assertThat(endOffset("read_uncommitted")).isEqualTo(8);
            assertThat(endOffset("read_committed")).as("the last stable offset").isEqualTo(6);
            assertThat(read("read_uncommitted"))
                    .containsExactly("committed-1", "committed-2", "aborted-1", "plain-1", "open-1", "plain-2");
            assertThat(read("read_committed")).containsExactly("committed-1", "committed-2", "plain-1");

            endTxn(3000, TransactionResult.COMMIT);                                  // marker 8

            assertThat(endOffset("read_committed")).isEqualTo(9);
            assertThat(read("read_committed"))
                    .containsExactly("committed-1", "committed-2", "plain-1", "open-1", "plain-2");
        }
    }

    @Test
    void describeProducersShowsOpenTransactionsAndMarkerEpochs() throws Exception {
        String topic = "txn-described";
        TopicPartition tp = new TopicPartition(topic, 0);
        Clients.createTopic(admin, topic, 1, Map.of());
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
            ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
            topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                    .setRecords(transactional(7000, 0, "done-1", "done-2")));
            topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                    .setRecords(transactional(8000, 0, "open")));
            ProduceRequestData.TopicProduceDataCollection topics = new ProduceRequestData.TopicProduceDataCollection();
            topics.add(topicData);
            short version = 12;
            client.call(new ProduceRequest.Builder(version, version, new ProduceRequestData().setAcks((short) -1)
                    .setTimeoutMs(10_000).setTransactionalId("tx").setTopicData(topics)).build(version));
        }
        assertThat(partitions.appendTxnMarker(tp, 7000, (short) 0, 3, TransactionResult.COMMIT).get(10, SECONDS))
                .isEqualTo(Errors.NONE);

        var producers = admin.describeProducers(List.of(tp)).partitionResult(tp).get(10, SECONDS).activeProducers();

        assertThat(producers).hasSize(2);
        var done = producers.stream().filter(p -> p.producerId() == 7000).findFirst().orElseThrow();
        var open = producers.stream().filter(p -> p.producerId() == 8000).findFirst().orElseThrow();
        assertThat(done.lastSequence()).isEqualTo(1);
        assertThat(done.coordinatorEpoch()).hasValue(3);
        assertThat(done.currentTransactionStartOffset()).isEmpty();
        assertThat(open.currentTransactionStartOffset()).hasValue(2);
        assertThat(done.lastTimestamp()).as("its marker's").isPositive();
    }

    @Test
    void markersForAPartitionNotHereAreRefused() throws Exception {
        assertThat(partitions.appendTxnMarker(new TopicPartition("no-such-topic", 0), 1, (short) 0, 0,
                TransactionResult.COMMIT).get(10, SECONDS)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
    }
}
