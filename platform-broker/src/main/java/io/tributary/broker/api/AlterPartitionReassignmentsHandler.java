package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.MetadataException;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsResponse;

/**
 * AlterPartitionReassignments (KIP-455), what {@code kafka-reassign-partitions --execute/--cancel} and
 * AdminClient {@code alterPartitionReassignments} send: for each partition, moves it to the replicas
 * listed (replacing a move in progress) or, for a null list, cancels its move. Each partition answers
 * on its own, with Kafka's error when refused; a move accepted has started, not finished
 * (ListPartitionReassignments follows it). Needs ALTER on the cluster, as in Kafka.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler<AlterPartitionReassignmentsRequest> {

    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public AlterPartitionReassignmentsHandler(ClusterMetadata metadata, RequestAuthorization authorization) {
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, AlterPartitionReassignmentsRequest request) {
        if (!authorization.authorizeCluster(context, AclOperation.ALTER)) {
            return CompletableFuture.completedFuture(
                    request.getErrorResponse(0, RequestAuthorization.clusterRefusal(context, AclOperation.ALTER)));
        }
        boolean allowReplicationFactorChange = request.data().allowReplicationFactorChange();
        List<ReassignableTopicResponse> responses = new ArrayList<>();
        for (ReassignableTopic topic : request.data().topics()) {
            List<ReassignablePartitionResponse> partitions = new ArrayList<>();
            for (ReassignablePartition partition : topic.partitions()) {
                ReassignablePartitionResponse response = new ReassignablePartitionResponse()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(Errors.NONE.code()).setErrorMessage(null);
                try {
                    metadata.reassign(topic.name(), partition.partitionIndex(), partition.replicas(),
                            allowReplicationFactorChange);
                } catch (MetadataException e) {
                    response.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
                }
                partitions.add(response);
            }
            responses.add(new ReassignableTopicResponse().setName(topic.name()).setPartitions(partitions));
        }
        return CompletableFuture.completedFuture(new AlterPartitionReassignmentsResponse(
                new AlterPartitionReassignmentsResponseData().setErrorCode(Errors.NONE.code()).setErrorMessage(null)
                        .setAllowReplicationFactorChange(allowReplicationFactorChange).setResponses(responses)));
    }
}
