package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.compat.RawKafkaClient;
import io.tributary.broker.share.coordinator.SharePartitionKey;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A share group (KIP-932) on three brokers in JVMs of their own, while brokers are killed -9: three
 * members accept every record and commit, and the leader of a partition they read is killed while they
 * do, then (once it is back) the broker whose {@code __share_group_state} partition holds that
 * share-partition's state. The members carry on with the new leaders until every record is accepted;
 * no record whose acceptance a member saw confirmed is ever handed out again, every record produced is
 * handed out, and nothing else is. An acceptance whose commit failed when a broker died may have been
 * stored all the same (the broker died after storing it, before answering): such a record counts as
 * accepted when it is not handed out again and the group's share-partition start offsets show every
 * record done, as the brokers see it.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ShareGroupClusterTest {

    private static final Logger log = LoggerFactory.getLogger(ShareGroupClusterTest.class);

    private static final String TOPIC = "tasks";
    private static final String GROUP = "task-workers";
    private static final int PARTITIONS = 2;
    private static final int PER_ROUND = 1_000;
    /** How many acceptances of a round are confirmed before a broker is killed: the members are busy then. */
    private static final int CONFIRMED_BEFORE_KILL = 300;

    /** Kept when the test fails: the brokers' logs are there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private ProcessCluster brokers;
    private final List<AcceptingShareConsumer> members = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (AcceptingShareConsumer member : members) {
            member.close();
        }
        if (brokers != null) {
            brokers.close();
        }
    }

    @Test
    void confirmedAcceptancesSurviveKilledPartitionLeaderAndShareCoordinator() throws Exception {
        brokers = ProcessCluster.start(dir, "--tributary.broker.share.state-topic-partitions=3",
                "--tributary.broker.group.offsets-topic-num-partitions=3",
                "--tributary.broker.group.share-heartbeat-interval=500ms");
        Uuid topicId = createTopicStartingAtEarliest();
        ShareDeliveryLedger ledger = new ShareDeliveryLedger(PARTITIONS);
        try (KafkaProducer<String, String> producer = producer()) {
            // Round 1: the leader of partition 0 dies while the members work through it.
            int leader = leaderOf(0);
            ledger.pauseAt(2 * CONFIRMED_BEFORE_KILL);
            produceRound(producer, ledger, 0);
            for (int i = 0; i < 3; i++) {
                members.add(new AcceptingShareConsumer("member-" + i, brokers.bootstrapServers(), GROUP, TOPIC, ledger).start());
            }
            killWhenConfirmed(ledger, CONFIRMED_BEFORE_KILL, leader, "the leader of partition 0");
            awaitAllAccepted(ledger, PER_ROUND / PARTITIONS);
            // Every record may be done before the dead broker's session runs out and its leadership moves.
            await().atMost(Duration.ofSeconds(60)).until(() -> leaderOf(0) != leader);
            restartAndAwaitInSync(leader);

            // Round 2: the broker keeping partition 0's share state dies.
            int coordinator = shareCoordinatorOf(new SharePartitionKey(GROUP, topicId, 0));
            ledger.pauseAt(PER_ROUND + 2 * CONFIRMED_BEFORE_KILL);
            produceRound(producer, ledger, 1);
            killWhenConfirmed(ledger, PER_ROUND + CONFIRMED_BEFORE_KILL, coordinator, "the share coordinator of partition 0");
            awaitAllAccepted(ledger, 2 * PER_ROUND / PARTITIONS);
            restartAndAwaitInSync(coordinator);

            // Round 3: all three back, the group goes on as before.
            produceRound(producer, ledger, 2);
            awaitAllAccepted(ledger, 3 * PER_ROUND / PARTITIONS);
        }

        for (AcceptingShareConsumer member : members) {
            member.close();
            assertThat(member.failure()).as("%s's failure", member).isNull();
        }
        int brokerErrors = members.stream().mapToInt(m -> m.brokerErrors.get()).sum();
        log.info("{} records, {} deliveries, {} records delivered more than once, {} accepted in a commit that failed "
                + "and not delivered again, {} broker errors met by the members", 3 * PER_ROUND, ledger.deliveries(),
                ledger.redelivered(), ledger.acceptedWithUnknownOutcome(), brokerErrors);
        assertThat(ledger.violations()).isEmpty();
        assertThat(ledger.neverDelivered()).isEmpty();
        assertThat(ledger.confirmed() + ledger.acceptedWithUnknownOutcome()).isEqualTo(3 * PER_ROUND);
    }

    private Uuid createTopicStartingAtEarliest() throws Exception {
        try (Admin admin = admin()) {
            try {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)
                        .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                // On a busy machine the Admin client may retry a creation that had worked, and be told so.
                assertThat(e.getCause()).isInstanceOf(TopicExistsException.class);
            }
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, GROUP), List.of(
                    new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET))))
                    .all().get(30, TimeUnit.SECONDS);
            return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(30, TimeUnit.SECONDS).get(TOPIC).topicId();
        }
    }

    /** Writes a round's records, distinct values alternating between the partitions, and waits for every ack. */
    private static void produceRound(KafkaProducer<String, String> producer, ShareDeliveryLedger ledger, int round)
            throws Exception {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = round * PER_ROUND; i < (round + 1) * PER_ROUND; i++) {
            String value = "task-" + i;
            ledger.produced(value);
            acks.add(producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, "k" + i, value)));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
    }

    private void awaitConfirmed(ShareDeliveryLedger ledger, int count) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(10)).until(() -> {
            failIfAMemberFailed();
            return ledger.confirmed() >= count;
        });
    }

    /**
     * Kills the broker once {@code confirmed} acceptances are confirmed, while the members still have work
     * (they pause at twice as many until the kill), then lets them go on.
     */
    private void killWhenConfirmed(ShareDeliveryLedger ledger, int confirmed, int broker, String role) throws Exception {
        awaitConfirmed(ledger, confirmed);
        brokers.broker(broker).kill();
        log.info("Killed broker {}, {}, with {} acceptances confirmed ({} of partition 0)", broker, role,
                ledger.confirmed(), ledger.confirmed(0));
        ledger.resume();
    }

    /**
     * Waits until every record is accepted as the members saw it, and done as the brokers see it: the group's
     * start offset of each partition is its end, {@code perPartition} records.
     */
    private void awaitAllAccepted(ShareDeliveryLedger ledger, long perPartition) {
        log.info("Waiting for every record to be accepted, {} confirmed so far", ledger.confirmed());
        Map<TopicPartition, Long> startOffsets = new HashMap<>();
        try (Admin admin = admin()) {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
                failIfAMemberFailed();
                if (!ledger.allAccepted()) {
                    return false;
                }
                startOffsets.putAll(shareStartOffsets(admin));
                return startOffsets.values().stream().allMatch(offset -> offset == perPartition);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Not every record was accepted: " + ledger.summary() + "; the group's start offsets "
                    + startOffsets + ", " + perPartition + " expected", e);
        }
        log.info("Every record accepted: {} confirmed, {} accepted in a commit that failed", ledger.confirmed(),
                ledger.acceptedWithUnknownOutcome());
    }

    /** The group's share-partition start offsets (DescribeShareGroupOffsets); a partition it cannot tell is -1. */
    private static Map<TopicPartition, Long> shareStartOffsets(Admin admin) {
        List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        try {
            Map<TopicPartition, OffsetAndMetadata> described = admin.listShareGroupOffsets(Map.of(GROUP,
                    new ListShareGroupOffsetsSpec().topicPartitions(partitions))).partitionsToOffsetAndMetadata(GROUP)
                    .get(10, TimeUnit.SECONDS);
            partitions.forEach(partition -> offsets.put(partition,
                    described.get(partition) == null ? -1L : described.get(partition).offset()));
        } catch (Exception e) {
            partitions.forEach(partition -> offsets.put(partition, -1L)); // a coordinator moving: asked again
        }
        return offsets;
    }

    private void failIfAMemberFailed() {
        for (AcceptingShareConsumer member : members) {
            if (member.failure() != null) {
                throw new AssertionError("a member failed", member.failure());
            }
        }
    }

    /**
     * Starts the killed broker again and waits until it is back in every in-sync replica set it belongs to,
     * and leads again the partitions it is the preferred leader of.
     */
    private void restartAndAwaitInSync(int broker) throws Exception {
        brokers.broker(broker).start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            try (Admin admin = admin()) {
                Map<String, TopicDescription> topics = admin.describeTopics(List.of(TOPIC, "__share_group_state"))
                        .allTopicNames().get(10, TimeUnit.SECONDS);
                topics.values().forEach(topic -> topic.partitions().forEach(partition ->
                        assertThat(partition.isr()).as("%s-%d's in-sync replicas", topic.name(), partition.partition())
                                .hasSameSizeAs(partition.replicas())));
                // The restarted broker takes back its preferred leaderships: what leads where settles first.
                topics.values().forEach(topic -> topic.partitions().forEach(partition ->
                        assertThat(partition.leader()).as("%s-%d's leader", topic.name(), partition.partition())
                                .isEqualTo(partition.replicas().get(0))));
            }
        });
    }

    private int leaderOf(int partition) throws Exception {
        return await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Admin admin = admin()) {
                return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS).get(TOPIC)
                        .partitions().get(partition).leader().id();
            }
        }, id -> id >= 0);
    }

    /** The broker FindCoordinator (key type SHARE) names for the share-partition's state. */
    private int shareCoordinatorOf(SharePartitionKey key) {
        return await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (RawKafkaClient client = new RawKafkaClient(brokers.broker(0).host(), brokers.broker(0).port())) {
                FindCoordinatorResponse found = client.call(new FindCoordinatorRequest.Builder(new FindCoordinatorRequestData()
                        .setKeyType(FindCoordinatorRequest.CoordinatorType.SHARE.id())
                        .setCoordinatorKeys(List.of(key.asCoordinatorKey()))).build((short) 6));
                FindCoordinatorResponseData.Coordinator coordinator = found.data().coordinators().get(0);
                return coordinator.errorCode() == Errors.NONE.code() ? coordinator.nodeId() : -1;
            }
        }, id -> id >= 0);
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                "metadata.max.age.ms", 1_000), new StringSerializer(), new StringSerializer());
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                "metadata.max.age.ms", 1_000));
    }
}
