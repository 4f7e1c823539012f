package io.tributary.broker.api;

import static io.tributary.broker.api.HandlerHarness.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import io.tributary.broker.metadata.SingleNodeQuorum;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AddRaftVoterRequestData;
import org.apache.kafka.common.message.AddRaftVoterRequestData.Listener;
import org.apache.kafka.common.message.AddRaftVoterRequestData.ListenerCollection;
import org.apache.kafka.common.message.DescribeQuorumResponseData.PartitionData;
import org.apache.kafka.common.message.RemoveRaftVoterRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AddRaftVoterResponse;
import org.apache.kafka.common.requests.DescribeQuorumRequest;
import org.apache.kafka.common.requests.DescribeQuorumResponse;
import org.apache.kafka.common.requests.RemoveRaftVoterResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DescribeQuorum, AddRaftVoter and RemoveRaftVoter on a single node, as Kafka answers them: DESCRIBE on
 * the cluster to describe, ALTER to change, the cluster id checked, only {@code __cluster_metadata-0}
 * known, directory ids and endpoints from version 2 on; and a single node, the only voter of a quorum that
 * cannot change, answers UNSUPPORTED_VERSION to changes.
 */
class QuorumHandlersTest {

    @TempDir
    Path dir;

    private HandlerHarness broker;
    private SingleNodeQuorum quorum;

    @BeforeEach
    void start() {
        broker = new HandlerHarness(dir);
        quorum = new SingleNodeQuorum(0);
    }

    @AfterEach
    void stop() throws IOException {
        broker.close();
    }

    @Test
    void describingNeedsDescribeOnTheClusterAndNamesTheSingleNodeAsTheOnlyVoter() {
        DescribeQuorumHandler describe = new DescribeQuorumHandler(quorum, broker.authorization);
        DescribeQuorumResponse refused = broker.call(describe, DescribeQuorumRequest.singletonRequest(
                Topic.CLUSTER_METADATA_TOPIC_PARTITION));
        assertThat(refused.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(refused.data().topics()).isEmpty();

        broker.authorizer.allowCluster(ALICE, AclOperation.DESCRIBE);
        DescribeQuorumResponse described = broker.call(describe, DescribeQuorumRequest.singletonRequest(
                Topic.CLUSTER_METADATA_TOPIC_PARTITION));
        assertThat(described.data().errorCode()).isEqualTo(Errors.NONE.code());
        PartitionData partition = described.data().topics().get(0).partitions().get(0);
        assertThat(described.data().topics().get(0).topicName()).isEqualTo(Topic.CLUSTER_METADATA_TOPIC_NAME);
        assertThat(partition.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(partition.leaderId()).isZero();
        assertThat(partition.currentVoters()).extracting(v -> v.replicaId()).containsExactly(0);
        assertThat(partition.observers()).isEmpty();

        DescribeQuorumResponse versionZero = broker.call(describe, DescribeQuorumRequest.singletonRequest(
                Topic.CLUSTER_METADATA_TOPIC_PARTITION), (short) 0);
        assertThat(versionZero.data().topics().get(0).partitions().get(0).currentVoters()).hasSize(1);
    }

    @Test
    void anyPartitionButTheMetadataLogIsUnknown() {
        broker.authorizer.allowCluster(ALICE, AclOperation.DESCRIBE);
        DescribeQuorumResponse response = broker.call(new DescribeQuorumHandler(quorum, broker.authorization),
                DescribeQuorumRequest.singletonRequest(new TopicPartition("orders", 0)));
        assertThat(response.data().errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(response.data().topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
    }

    @Test
    void changingTheVotersNeedsAlterOnTheClusterTheRightClusterAndAQuorumThatCanChange() {
        AddRaftVoterHandler add = new AddRaftVoterHandler(broker.broker, quorum, broker.authorization);
        RemoveRaftVoterHandler remove = new RemoveRaftVoterHandler(broker.broker, quorum, broker.authorization);
        ListenerCollection endpoints = new ListenerCollection(List.of(
                new Listener().setName("RAFT").setHost("localhost").setPort(9093)).iterator());
        AddRaftVoterRequestData addition = new AddRaftVoterRequestData().setClusterId(broker.broker.clusterId())
                .setVoterId(1).setVoterDirectoryId(Uuid.randomUuid()).setListeners(endpoints);
        RemoveRaftVoterRequestData removal = new RemoveRaftVoterRequestData().setClusterId(broker.broker.clusterId())
                .setVoterId(0).setVoterDirectoryId(Uuid.ZERO_UUID);

        AddRaftVoterResponse addRefused = broker.call(add, addition);
        RemoveRaftVoterResponse removeRefused = broker.call(remove, removal);
        assertThat(addRefused.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());
        assertThat(removeRefused.data().errorCode()).isEqualTo(Errors.CLUSTER_AUTHORIZATION_FAILED.code());

        broker.authorizer.allowCluster(ALICE, AclOperation.ALTER);
        AddRaftVoterResponse otherCluster = broker.call(add, addition.duplicate().setClusterId("another-cluster-id"));
        assertThat(otherCluster.data().errorCode()).isEqualTo(Errors.INCONSISTENT_CLUSTER_ID.code());
        RemoveRaftVoterResponse otherClusterRemoval = broker.call(remove, removal.duplicate().setClusterId("another"));
        assertThat(otherClusterRemoval.data().errorCode()).isEqualTo(Errors.INCONSISTENT_CLUSTER_ID.code());

        AddRaftVoterResponse unsupported = broker.call(add, addition);
        assertThat(unsupported.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(unsupported.data().errorMessage()).contains("kraft.version");
        RemoveRaftVoterResponse unsupportedRemoval = broker.call(remove, removal.duplicate().setClusterId(null));
        assertThat(unsupportedRemoval.data().errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(quorum.describe().voters()).hasSize(1);
    }
}
