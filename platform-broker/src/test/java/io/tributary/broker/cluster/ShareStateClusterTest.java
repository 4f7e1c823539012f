package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.PartitionState;
import io.tributary.broker.share.coordinator.ShareCoordinator;
import io.tributary.broker.share.coordinator.SharePartitionKey;
import io.tributary.broker.share.persister.SharePartitionState;
import io.tributary.broker.share.persister.ShareStateBatch;
import io.tributary.broker.share.persister.ShareStatePersister;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share-partition state across three brokers: written through a broker that does not lead the key's
 * {@code __share_group_state} partition (WriteShareGroupState to the one that does), read back through
 * another such broker, and still there once the partition's leader stopped and another took over.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ShareStateClusterTest {

    @TempDir
    Path dir;

    @Test
    void stateWrittenThroughOneBrokerIsReadThroughAnotherAndSurvivesItsCoordinatorsBroker() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir, 3, "--tributary.broker.replica-lag-time-max=2s",
                "--tributary.broker.share.state-topic-partitions=3")) {
            Uuid topicId;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
                topicId = admin.createTopics(List.of(new NewTopic("jobs", 1, (short) 3))).topicId("jobs")
                        .get(30, TimeUnit.SECONDS);
            }
            SharePartitionKey key = new SharePartitionKey("workers", topicId, 0);
            cluster.node(0).bean(ShareCoordinator.class).ensureTopic();
            int coordinator = awaitLeaderOfStatePartition(cluster, 0, key, -1);
            int writer = (coordinator + 1) % 3;
            int reader = (coordinator + 2) % 3;
            SharePartitionState state = new SharePartitionState(0, 1, 7, List.of(
                    new ShareStateBatch(7, 9, ShareStateBatch.ARCHIVED, (short) 5),
                    new ShareStateBatch(10, 12, ShareStateBatch.AVAILABLE, (short) 1)));

            persister(cluster, writer).write(key.groupId(), topicId, 0, state).get(60, TimeUnit.SECONDS);

            Optional<SharePartitionState> read = persister(cluster, reader).read(key.groupId(), topicId, 0)
                    .get(60, TimeUnit.SECONDS);
            assertThat(read).contains(new SharePartitionState(0, -1, 7, state.batches()));

            cluster.node(coordinator).stop();
            int successor = awaitLeaderOfStatePartition(cluster, writer, key, coordinator);
            assertThat(successor).isNotEqualTo(coordinator);

            // The persister retries while the new leader loads the partition.
            assertThat(persister(cluster, writer).read(key.groupId(), topicId, 0).get(60, TimeUnit.SECONDS))
                    .contains(new SharePartitionState(0, -1, 7, state.batches()));
            SharePartitionState next = new SharePartitionState(0, 2, 10, List.of(
                    new ShareStateBatch(10, 12, ShareStateBatch.ACKNOWLEDGED, (short) 1)));
            int other = successor == writer ? reader : writer;
            persister(cluster, other).write(key.groupId(), topicId, 0, next).get(60, TimeUnit.SECONDS);
            assertThat(persister(cluster, successor).read(key.groupId(), topicId, 0).get(60, TimeUnit.SECONDS))
                    .hasValueSatisfying(after -> assertThat(after.batches()).isEqualTo(next.batches()));
        }
    }

    private static ShareStatePersister persister(LocalCluster cluster, int node) {
        return cluster.node(node).bean(ShareStatePersister.class);
    }

    /** The live leader of the key's state partition as broker {@code asking} sees it, once it is not {@code previous}. */
    private static int awaitLeaderOfStatePartition(LocalCluster cluster, int asking, SharePartitionKey key, int previous) {
        int partition = cluster.node(asking).bean(ShareCoordinator.class).partitionFor(key);
        ClusterMetadata metadata = cluster.node(asking).bean(ClusterMetadata.class);
        return await().atMost(Duration.ofSeconds(60)).until(() -> metadata.partition(ShareCoordinator.STATE_TOPIC, partition)
                .map(PartitionState::leader).orElse(-1), leader -> leader >= 0 && leader != previous);
    }
}
