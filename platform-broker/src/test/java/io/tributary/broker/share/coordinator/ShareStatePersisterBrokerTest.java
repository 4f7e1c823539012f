package io.tributary.broker.share.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.RunningBroker;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStateBatch;
import io.tributary.broker.share.persister.ShareStatePersister;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's {@link ShareStatePersister} bean on a single node: state written is read back, survives a
 * restart (the shard is rebuilt from {@code __share_group_state}), is fenced, and is deleted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShareStatePersisterBrokerTest {

    @TempDir
    Path dir;

    @Test
    void stateWrittenThroughThePersisterIsReadBackAfterARestartAndCanBeDeleted() throws Exception {
        SharePartitionState state = new SharePartitionState(0, 2, 40, List.of(
                new ShareStateBatch(40, 44, ShareStateBatch.ACKNOWLEDGED, (short) 1),
                new ShareStateBatch(45, 49, ShareStateBatch.AVAILABLE, (short) 2)));
        try (RunningBroker broker = RunningBroker.start(dir, "--tributary.broker.share.state-topic-partitions=4")) {
            Uuid topicId = createTopic(broker, "jobs");
            ShareStatePersister persister = broker.context().getBean(ShareStatePersister.class);

            assertThat(persister.read("workers", topicId, 0).get(10, TimeUnit.SECONDS)).isEmpty();
            persister.write("workers", topicId, 0, state).get(10, TimeUnit.SECONDS);
            assertThat(persister.read("workers", topicId, 0).get(10, TimeUnit.SECONDS))
                    .contains(new SharePartitionState(0, -1, 40, state.batches()));

            broker.stop();
            broker.start();
            persister = broker.context().getBean(ShareStatePersister.class);

            assertThat(persister.read("workers", topicId, 0).get(10, TimeUnit.SECONDS)).hasValueSatisfying(read -> {
                assertThat(read.startOffset()).isEqualTo(40);
                assertThat(read.batches()).isEqualTo(state.batches());
            });
            ShareStatePersister restarted = persister;
            assertThatThrownBy(() -> restarted.write("workers", topicId, 0, new SharePartitionState(0, 1, 50, List.of()))
                    .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(CoordinatorException.class,
                            e -> assertThat(e.error()).isEqualTo(Errors.FENCED_LEADER_EPOCH));

            persister.delete("workers", topicId, 0).get(10, TimeUnit.SECONDS);
            assertThat(persister.read("workers", topicId, 0).get(10, TimeUnit.SECONDS)).isEmpty();
            try (Admin admin = admin(broker)) {
                TopicDescription stateTopic = admin.describeTopics(List.of(ShareCoordinator.STATE_TOPIC)).allTopicNames()
                        .get(10, TimeUnit.SECONDS).get(ShareCoordinator.STATE_TOPIC);
                assertThat(stateTopic.partitions()).hasSize(4);
                assertThat(stateTopic.isInternal()).isTrue();
            }
        }
    }

    private static Uuid createTopic(RunningBroker broker, String name) throws Exception {
        try (Admin admin = admin(broker)) {
            return admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).topicId(name).get(10, TimeUnit.SECONDS);
        }
    }

    private static Admin admin(RunningBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
