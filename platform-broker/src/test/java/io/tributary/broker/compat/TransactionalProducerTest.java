package io.tributary.broker.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Kafka producer with a {@code transactional.id} against one broker: commits and aborts
 * as read_committed and read_uncommitted consumers see them, fencing of a second producer with the
 * same id, a hung transaction aborted by its timeout, and Kafka's error codes for bad requests.
 */
class TransactionalProducerTest {

    @TempDir
    static Path dir;
    static RunningBroker broker;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = RunningBroker.start(dir, "--tributary.broker.transaction.state-log-num-partitions=5",
                "--tributary.broker.transaction.abort-timed-out-interval=200ms");
        admin = Clients.admin(broker.bootstrapServers());
        for (String topic : List.of("tx-orders", "tx-fenced", "tx-hung", "tx-in", "tx-out", "tx-stuck")) {
            Clients.createTopic(admin, topic, 1, Map.of());
        }
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    private static KafkaProducer<byte[], byte[]> transactional(String transactionalId, Map<String, Object> overrides) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of("transactional.id", transactionalId,
                "max.block.ms", 20_000, "request.timeout.ms", 10_000, "delivery.timeout.ms", 20_000));
        config.putAll(overrides);
        return Clients.producer(broker.bootstrapServers(), config);
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> read(String topic, String isolation) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of("isolation.level", isolation))) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            return Clients.readToEnd(consumer).stream().map(ConsumerRecord::value)
                    .map(value -> new String(value, StandardCharsets.UTF_8)).toList();
        }
    }

    @Test
    void commitsAndAbortsAsReadCommittedAndReadUncommittedConsumersSeeThem() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = transactional("tx-orders-app", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record("tx-orders", "a1"));
            producer.send(record("tx-orders", "a2"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(record("tx-orders", "b1")).get();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(record("tx-orders", "c1"));
            producer.commitTransaction();
        }

        assertThat(read("tx-orders", "read_uncommitted")).containsExactly("a1", "a2", "b1", "c1");
        assertThat(read("tx-orders", "read_committed")).containsExactly("a1", "a2", "c1");
        TransactionDescription described = admin.describeTransactions(List.of("tx-orders-app")).description("tx-orders-app")
                .get();
        assertThat(described.state().toString()).isEqualTo("CompleteCommit");
        assertThat(described.topicPartitions()).isEmpty();
        assertThat(admin.listTransactions().all().get()).extracting(TransactionListing::transactionalId)
                .contains("tx-orders-app");
        KafkaTools.Run list = KafkaTools.transactions("--bootstrap-server", broker.bootstrapServers(), "list");
        assertThat(list.exitCode()).as(list.output()).isZero();
        assertThat(list.out()).contains("tx-orders-app").contains("CompleteCommit");
        KafkaTools.Run describe = KafkaTools.transactions("--bootstrap-server", broker.bootstrapServers(), "describe",
                "--transactional-id", "tx-orders-app");
        assertThat(describe.exitCode()).as(describe.output()).isZero();
        assertThat(describe.out()).contains("tx-orders-app").contains("CompleteCommit");
    }

    @Test
    void aSecondProducerWithTheSameTransactionalIdFencesTheFirstAndAbortsItsTransaction() throws Exception {
        try (KafkaProducer<byte[], byte[]> older = transactional("tx-fenced-app", Map.of());
                KafkaProducer<byte[], byte[]> newer = transactional("tx-fenced-app", Map.of())) {
            older.initTransactions();
            older.beginTransaction();
            older.send(record("tx-fenced", "zombie")).get();

            newer.initTransactions(); // aborts the older one's transaction first
            newer.beginTransaction();
            newer.send(record("tx-fenced", "live"));
            newer.commitTransaction();

            assertThatThrownBy(older::commitTransaction).isInstanceOf(ProducerFencedException.class);
        }
        assertThat(read("tx-fenced", "read_committed")).containsExactly("live");
        assertThat(read("tx-fenced", "read_uncommitted")).containsExactly("zombie", "live");
    }

    @Test
    void kafkaTransactionsAbortEndsAnOpenTransactionInAPartitionSoReadCommittedConsumersMoveOn() throws Exception {
        try (KafkaProducer<byte[], byte[]> stuck = transactional("tx-stuck-app", Map.of())) {
            stuck.initTransactions();
            stuck.beginTransaction();
            stuck.send(record("tx-stuck", "stuck")).get();
            TopicPartition tp = new TopicPartition("tx-stuck", 0);
            assertThat(admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .partitionResult(tp).get().offset()).as("the open transaction holds the last stable offset").isZero();

            // As an operator ends a hanging transaction: by the partition and the offset where it starts.
            KafkaTools.Run abort = KafkaTools.transactions("--bootstrap-server", broker.bootstrapServers(), "abort",
                    "--topic", "tx-stuck", "--partition", "0", "--start-offset", "0");
            assertThat(abort.exitCode()).as(abort.output()).isZero();

            await().atMost(Duration.ofSeconds(15)).until(() -> admin.listOffsets(Map.of(tp, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(tp).get().offset() == 2);
            assertThat(read("tx-stuck", "read_committed")).isEmpty();
            assertThat(admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers())
                    .allSatisfy(producer -> assertThat(producer.currentTransactionStartOffset()).isEmpty());
        }
    }

    @Test
    void aHungTransactionIsAbortedByItsTimeoutAndLaterCommitsBecomeVisible() throws Exception {
        try (KafkaProducer<byte[], byte[]> hung = transactional("tx-hung-app", Map.of("transaction.timeout.ms", 1_000))) {
            hung.initTransactions();
            hung.beginTransaction();
            hung.send(record("tx-hung", "never")).get();

            await().atMost(Duration.ofSeconds(15)).until(() -> admin.describeTransactions(List.of("tx-hung-app"))
                    .description("tx-hung-app").get().state().toString().equals("CompleteAbort"));
        }
        try (KafkaProducer<byte[], byte[]> next = transactional("tx-hung-next", Map.of())) {
            next.initTransactions();
            next.beginTransaction();
            next.send(record("tx-hung", "after"));
            next.commitTransaction();
        }
        assertThat(read("tx-hung", "read_committed")).containsExactly("after");
    }

    @Test
    void offsetsSentToATransactionAreCommittedWithItAndDroppedWithAnAbort() throws Exception {
        TopicPartition in = new TopicPartition("tx-in", 0);
        try (KafkaProducer<byte[], byte[]> plain = Clients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < 5; i++) {
                plain.send(record("tx-in", "order-" + i)).get();
            }
        }
        org.apache.kafka.clients.consumer.ConsumerGroupMetadata group =
                new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("tx-pipeline");
        try (KafkaProducer<byte[], byte[]> producer = transactional("tx-pipeline-app", Map.of())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(record("tx-out", "discarded"));
            producer.sendOffsetsToTransaction(Map.of(in, new org.apache.kafka.clients.consumer.OffsetAndMetadata(3)), group);
            producer.abortTransaction();
            assertThat(admin.listConsumerGroupOffsets("tx-pipeline").partitionsToOffsetAndMetadata().get()).isEmpty();

            producer.beginTransaction();
            producer.send(record("tx-out", "invoiced"));
            producer.sendOffsetsToTransaction(Map.of(in, new org.apache.kafka.clients.consumer.OffsetAndMetadata(5)), group);
            producer.commitTransaction();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> admin.listConsumerGroupOffsets("tx-pipeline")
                .partitionsToOffsetAndMetadata().get().containsKey(in));
        assertThat(admin.listConsumerGroupOffsets("tx-pipeline").partitionsToOffsetAndMetadata().get().get(in).offset())
                .isEqualTo(5);
        assertThat(read("tx-out", "read_committed")).containsExactly("invoiced");
        // A read_committed consumer of the group starts where the transaction left it.
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(),
                Map.of("group.id", "tx-pipeline", "isolation.level", "read_committed"))) {
            consumer.assign(List.of(in));
            assertThat(consumer.position(in, Duration.ofSeconds(10))).isEqualTo(5);
        }
    }

    /** Produces one transactional batch to tx-orders-0 as the producer would after AddPartitionsToTxn; the partition's error. */
    private static Errors produceTransactional(RawKafkaClient raw, String transactionalId, long producerId, short epoch,
            short version) {
        org.apache.kafka.common.record.MemoryRecords batch = org.apache.kafka.common.record.MemoryRecords
                .withTransactionalRecords(org.apache.kafka.common.compress.Compression.NONE, producerId, epoch, 0,
                        new org.apache.kafka.common.record.SimpleRecord("stray".getBytes(StandardCharsets.UTF_8)));
        org.apache.kafka.common.message.ProduceRequestData.TopicProduceData topic =
                new org.apache.kafka.common.message.ProduceRequestData.TopicProduceData().setName("tx-orders");
        topic.partitionData().add(new org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(batch));
        org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection topics =
                new org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection();
        topics.add(topic);
        org.apache.kafka.common.requests.ProduceResponse response = raw.call(new org.apache.kafka.common.requests.ProduceRequest
                .Builder(version, version, new org.apache.kafka.common.message.ProduceRequestData().setAcks((short) -1)
                        .setTimeoutMs(10_000).setTransactionalId(transactionalId).setTopicData(topics)).build(version));
        return Errors.forCode(response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
    }

    @Test
    void badRequestsGetKafkasErrorCodes() {
        try (RawKafkaClient raw = new RawKafkaClient("127.0.0.1", broker.port())) {
            FindCoordinatorResponse coordinator = raw.call(ApiKeys.FIND_COORDINATOR, (short) 4, new FindCoordinatorRequestData()
                    .setKeyType(FindCoordinatorRequest.CoordinatorType.TRANSACTION.id()).setCoordinatorKeys(List.of("tx-raw")));
            assertThat(coordinator.data().coordinators().get(0).errorCode()).isEqualTo(Errors.NONE.code());

            EndTxnResponse unknownId = raw.call(ApiKeys.END_TXN, (short) 3, new EndTxnRequestData()
                    .setTransactionalId("tx-never-initialized").setProducerId(4711).setProducerEpoch((short) 0)
                    .setCommitted(true));
            assertThat(unknownId.error()).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);

            InitProducerIdResponse init = await().atMost(Duration.ofSeconds(10)).until(
                    () -> raw.<InitProducerIdResponse>call(ApiKeys.INIT_PRODUCER_ID, (short) 4, new InitProducerIdRequestData()
                            .setTransactionalId("tx-raw").setTransactionTimeoutMs(60_000).setProducerId(-1)
                            .setProducerEpoch((short) -1)), response -> response.error() == Errors.NONE);
            long producerId = init.data().producerId();
            short epoch = init.data().producerEpoch();

            InitProducerIdResponse tooLong = raw.call(ApiKeys.INIT_PRODUCER_ID, (short) 4, new InitProducerIdRequestData()
                    .setTransactionalId("tx-raw").setTransactionTimeoutMs(3_600_000).setProducerId(-1)
                    .setProducerEpoch((short) -1));
            assertThat(tooLong.error()).isEqualTo(Errors.INVALID_TRANSACTION_TIMEOUT);

            EndTxnResponse stale = raw.call(ApiKeys.END_TXN, (short) 3, new EndTxnRequestData().setTransactionalId("tx-raw")
                    .setProducerId(producerId).setProducerEpoch((short) (epoch - 1)).setCommitted(true));
            assertThat(stale.error()).isEqualTo(Errors.PRODUCER_FENCED);
            EndTxnResponse staleV1 = raw.call(ApiKeys.END_TXN, (short) 1, new EndTxnRequestData().setTransactionalId("tx-raw")
                    .setProducerId(producerId).setProducerEpoch((short) (epoch - 1)).setCommitted(true));
            assertThat(staleV1.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
            EndTxnResponse nothingOngoing = raw.call(ApiKeys.END_TXN, (short) 3, new EndTxnRequestData()
                    .setTransactionalId("tx-raw").setProducerId(producerId).setProducerEpoch(epoch).setCommitted(true));
            assertThat(nothingOngoing.error()).isEqualTo(Errors.INVALID_TXN_STATE);

            // KIP-890: a transactional batch for a partition never added to the transaction is refused, not appended.
            assertThat(produceTransactional(raw, "tx-raw", producerId, epoch, (short) 9)).isEqualTo(Errors.INVALID_TXN_STATE);
            assertThat(produceTransactional(raw, "tx-raw", producerId, epoch, (short) 11))
                    .isEqualTo(Errors.TRANSACTION_ABORTABLE);
            // Likewise offsets sent to a transaction that never added the group's offsets partition (no AddOffsetsToTxn).
            org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic offsetTopic =
                    new org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                            .setName("tx-orders").setPartitions(List.of(
                                    new org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
                                            .setPartitionIndex(0).setCommittedOffset(1)));
            org.apache.kafka.common.requests.TxnOffsetCommitResponse strayOffsets = raw.call(ApiKeys.TXN_OFFSET_COMMIT, (short) 3,
                    new org.apache.kafka.common.message.TxnOffsetCommitRequestData().setTransactionalId("tx-raw")
                            .setGroupId("tx-raw-group").setProducerId(producerId).setProducerEpoch(epoch)
                            .setTopics(List.of(offsetTopic)));
            assertThat(strayOffsets.errors()).containsEntry(new TopicPartition("tx-orders", 0), Errors.INVALID_TXN_STATE);
            assertThat(read("tx-orders", "read_committed")).doesNotContain("stray");
            assertThat(read("tx-orders", "read_uncommitted")).doesNotContain("stray");

            AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                    new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
            topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("no-such-topic")
                    .setPartitions(List.of(0)));
            topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName("tx-orders")
                    .setPartitions(List.of(0)));
            AddPartitionsToTxnResponse unknownTopic = raw.call(AddPartitionsToTxnRequest.Builder.forClient("tx-raw",
                    producerId, epoch, AddPartitionsToTxnRequest.getPartitions(topics)).build((short) 3));
            assertThat(unknownTopic.errors().get(AddPartitionsToTxnResponse.V3_AND_BELOW_TXN_ID)).containsExactlyInAnyOrderEntriesOf(Map.of(
                    new TopicPartition("no-such-topic", 0), Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    new TopicPartition("tx-orders", 0), Errors.OPERATION_NOT_ATTEMPTED));
        }
    }
}
