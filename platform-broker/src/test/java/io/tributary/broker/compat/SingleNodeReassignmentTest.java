package io.tributary.broker.compat;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import io.tributary.broker.RunningBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reassignment and manual-assignment APIs on a single node, through AdminClient, as a single
 * Kafka broker answers them: broker 0 is the only replica there can be, so moving a partition to it
 * alone changes nothing, and any other broker is unknown.
 */
@Timeout(value = 60, unit = SECONDS)
class SingleNodeReassignmentTest {

    @TempDir
    static Path dataDir;

    private static RunningBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() {
        broker = RunningBroker.start(dataDir);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void topicsAndPartitionsGoOnlyOnBrokerZeroWhenAssignedByHand() throws Exception {
        admin.createTopics(List.of(new NewTopic("by-hand", Map.of(0, List.of(0), 1, List.of(0))))).all().get(30, SECONDS);
        TopicDescription created = admin.describeTopics(List.of("by-hand")).allTopicNames().get(30, SECONDS).get("by-hand");
        assertThat(created.partitions()).extracting(TopicPartitionInfo::partition).containsExactly(0, 1);

        assertRefused(() -> admin.createTopics(List.of(new NewTopic("elsewhere", Map.of(0, List.of(1))))).all().get(30, SECONDS),
                InvalidReplicaAssignmentException.class, "includes broker 1, but no such broker is registered");
        assertRefused(() -> admin.createTopics(List.of(new NewTopic("twice", Map.of(0, List.of(0, 0))))).all().get(30, SECONDS),
                InvalidReplicaAssignmentException.class, "more than once");
        assertRefused(() -> admin.createTopics(List.of(new NewTopic("gap", Map.of(1, List.of(0))))).all().get(30, SECONDS),
                InvalidReplicaAssignmentException.class, "consecutive 0-based");
        assertRefused(() -> admin.createTopics(List.of(new NewTopic("none", Map.of(0, List.<Integer>of())))).all()
                .get(30, SECONDS), InvalidReplicaAssignmentException.class, "empty replica list");
        assertThat(admin.listTopics().names().get(30, SECONDS)).doesNotContain("elsewhere", "twice", "gap", "none");

        admin.createPartitions(Map.of("by-hand", NewPartitions.increaseTo(3, List.of(List.of(0))))).all().get(30, SECONDS);
        assertRefused(() -> admin.createPartitions(Map.of("by-hand", NewPartitions.increaseTo(4, List.of(List.of(2)))))
                .all().get(30, SECONDS), InvalidReplicaAssignmentException.class, "broker 2");
        assertRefused(() -> admin.createPartitions(Map.of("by-hand", NewPartitions.increaseTo(5, List.of(List.of(0)))))
                .all().get(30, SECONDS), InvalidReplicaAssignmentException.class, "Attempted to add 2");
        assertThat(admin.describeTopics(List.of("by-hand")).allTopicNames().get(30, SECONDS).get("by-hand").partitions())
                .hasSize(3);
    }

    @Test
    void movingAPartitionToBrokerZeroAloneIsANoOpAndAnythingElseIsRefused() throws Exception {
        admin.createTopics(List.of(new NewTopic("stays", 2, (short) 1))).all().get(30, SECONDS);
        TopicPartition p0 = new TopicPartition("stays", 0);

        admin.alterPartitionReassignments(Map.of(p0, Optional.of(new NewPartitionReassignment(List.of(0)))))
                .all().get(30, SECONDS);
        assertThat(admin.listPartitionReassignments().reassignments().get(30, SECONDS)).isEmpty();

        assertRefused(() -> admin.alterPartitionReassignments(Map.of(p0, Optional.of(new NewPartitionReassignment(
                List.of(0, 1))))).all().get(30, SECONDS), InvalidReplicaAssignmentException.class, "broker 1");
        // AdminClient refuses an empty list itself; other clients send it.
        try (RawKafkaClient client = new RawKafkaClient("127.0.0.1", broker.port())) {
            AlterPartitionReassignmentsResponse empty = client.call(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, (short) 0,
                    new AlterPartitionReassignmentsRequestData().setTopics(List.of(new ReassignableTopic().setName("stays")
                            .setPartitions(List.of(new ReassignablePartition().setPartitionIndex(0).setReplicas(List.of()))))));
            assertThat(empty.data().responses().get(0).partitions().get(0).errorCode())
                    .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code());
        }
        assertRefused(() -> admin.alterPartitionReassignments(Map.of(p0, Optional.empty())).all().get(30, SECONDS),
                NoReassignmentInProgressException.class, "");
        assertRefused(() -> admin.alterPartitionReassignments(Map.of(new TopicPartition("stays", 5),
                Optional.of(new NewPartitionReassignment(List.of(0))))).all().get(30, SECONDS),
                UnknownTopicOrPartitionException.class, "stays:5");
        assertRefused(() -> admin.alterPartitionReassignments(Map.of(new TopicPartition("missing", 0),
                Optional.of(new NewPartitionReassignment(List.of(0))))).all().get(30, SECONDS),
                UnknownTopicOrPartitionException.class, "missing");
        assertThat(admin.listPartitionReassignments(java.util.Set.of(p0)).reassignments().get(30, SECONDS)).isEmpty();
    }

    @Test
    void theOnlyBrokerCannotBeUnregistered() {
        assertRefused(() -> admin.unregisterBroker(0).all().get(30, SECONDS), InvalidRequestException.class, "running");
        assertRefused(() -> admin.unregisterBroker(7).all().get(30, SECONDS), BrokerIdNotRegisteredException.class,
                "Broker ID 7");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertRefused(Call call, Class<? extends Throwable> error, String message) {
        assertThatThrownBy(call::run).isInstanceOf(ExecutionException.class).cause().isInstanceOf(error)
                .hasMessageContaining(message);
    }
}
