package io.tributary.broker.api;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.QuorumAdmin;
import io.tributary.broker.metadata.QuorumDescription;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeQuorumRequestData;
import org.apache.kafka.common.message.DescribeQuorumResponseData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Listener;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ListenerCollection;
import org.apache.kafka.common.message.DescribeQuorumResponseData.Node;
import org.apache.kafka.common.message.DescribeQuorumResponseData.NodeCollection;
import org.apache.kafka.common.message.DescribeQuorumResponseData.PartitionData;
import org.apache.kafka.common.message.DescribeQuorumResponseData.ReplicaState;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeQuorumRequest;
import org.apache.kafka.common.requests.DescribeQuorumResponse;

/**
 * DescribeQuorum, what {@code kafka-metadata-quorum describe} and AdminClient {@code describeMetadataQuorum}
 * ask: the metadata quorum's leader, epoch and high watermark, its voters and observers (broker-only
 * nodes) with their log end offsets, and, from version 2, their directory ids and Raft endpoints. The
 * quorum is Kafka's single partition {@code __cluster_metadata-0}; any other is unknown. Needs DESCRIBE on
 * the cluster, as in Kafka.
 */
public final class DescribeQuorumHandler implements ApiHandler<DescribeQuorumRequest> {

    private final QuorumAdmin quorum;
    private final RequestAuthorization authorization;

    public DescribeQuorumHandler(QuorumAdmin quorum, RequestAuthorization authorization) {
        this.quorum = quorum;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_QUORUM;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeQuorumRequest request) {
        if (!authorization.authorizeCluster(context, AclOperation.DESCRIBE)) {
            DescribeQuorumResponseData refused = DescribeQuorumRequest.getTopLevelErrorResponse(Errors.CLUSTER_AUTHORIZATION_FAILED);
            if (context.apiVersion() >= 2) {
                refused.setErrorMessage(RequestAuthorization.clusterRefusal(context, AclOperation.DESCRIBE).getMessage());
            }
            return respond(refused);
        }
        if (!asksForTheMetadataPartition(request.data())) {
            return respond(DescribeQuorumRequest.getPartitionLevelErrorResponse(request.data(), Errors.UNKNOWN_TOPIC_OR_PARTITION));
        }
        QuorumDescription described;
        try {
            described = quorum.describe();
        } catch (MetadataException e) {
            DescribeQuorumResponseData failed = DescribeQuorumResponse.singletonErrorResponse(
                    Topic.CLUSTER_METADATA_TOPIC_PARTITION, e.error());
            if (context.apiVersion() >= 2) {
                failed.topics().get(0).partitions().get(0).setErrorMessage(e.getMessage());
            }
            return respond(failed);
        }
        boolean withDirectories = context.apiVersion() >= 2;
        PartitionData partition = new PartitionData().setPartitionIndex(Topic.CLUSTER_METADATA_TOPIC_PARTITION.partition())
                .setErrorCode(Errors.NONE.code()).setLeaderId(described.leaderId()).setLeaderEpoch(described.leaderEpoch())
                .setHighWatermark(described.highWatermark())
                .setCurrentVoters(states(described.voters(), withDirectories))
                .setObservers(states(described.observers(), withDirectories));
        NodeCollection nodes = new NodeCollection();
        if (withDirectories) {
            for (Map.Entry<Integer, QuorumDescription.Endpoint> entry : described.endpoints().entrySet()) {
                QuorumDescription.Endpoint endpoint = entry.getValue();
                ListenerCollection listeners = new ListenerCollection();
                listeners.add(new Listener().setName(endpoint.name()).setHost(endpoint.host()).setPort(endpoint.port()));
                nodes.add(new Node().setNodeId(entry.getKey()).setListeners(listeners));
            }
        }
        return respond(DescribeQuorumResponse.singletonResponse(Topic.CLUSTER_METADATA_TOPIC_PARTITION, partition, nodes));
    }

    private static boolean asksForTheMetadataPartition(DescribeQuorumRequestData data) {
        return data.topics().size() == 1 && data.topics().get(0).topicName().equals(Topic.CLUSTER_METADATA_TOPIC_NAME)
                && data.topics().get(0).partitions().size() == 1
                && data.topics().get(0).partitions().get(0).partitionIndex() == Topic.CLUSTER_METADATA_TOPIC_PARTITION.partition();
    }

    private static List<ReplicaState> states(List<QuorumDescription.ReplicaState> replicas, boolean withDirectories) {
        return replicas.stream().map(replica -> {
            ReplicaState state = new ReplicaState().setReplicaId(replica.replicaId()).setLogEndOffset(replica.logEndOffset())
                    .setLastFetchTimestamp(replica.lastFetchTimestamp())
                    .setLastCaughtUpTimestamp(replica.lastCaughtUpTimestamp());
            if (withDirectories) {
                state.setReplicaDirectoryId(replica.directoryId());
            }
            return state;
        }).toList();
    }

    private static CompletableFuture<AbstractResponse> respond(DescribeQuorumResponseData data) {
        return CompletableFuture.completedFuture(new DescribeQuorumResponse(data));
    }
}
