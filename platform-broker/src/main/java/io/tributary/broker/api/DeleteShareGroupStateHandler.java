package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.share.coordinator.ShareCoordinator;
import io.tributary.broker.share.coordinator.SharePartitionKey;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteShareGroupStateRequestData;
import org.apache.kafka.common.message.DeleteShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteShareGroupStateRequest;
import org.apache.kafka.common.requests.DeleteShareGroupStateResponse;

/**
 * DeleteShareGroupState, when a share group (or its interest in a topic) is deleted: a tombstone for each
 * share-partition's state, answered once held; a share-partition without state needs none. Inter-broker
 * only: CLUSTER_ACTION, as in Kafka.
 */
public final class DeleteShareGroupStateHandler implements ApiHandler<DeleteShareGroupStateRequest> {

    private final ShareCoordinator coordinator;
    private final RequestAuthorization authorization;

    public DeleteShareGroupStateHandler(ShareCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteShareGroupStateRequest request) {
        boolean allowed = authorization.authorizeCluster(context, AclOperation.CLUSTER_ACTION);
        DeleteShareGroupStateResponseData data = new DeleteShareGroupStateResponseData();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (DeleteShareGroupStateRequestData.DeleteStateData topic : request.data().topics()) {
            DeleteShareGroupStateResponseData.DeleteStateResult topicResult =
                    new DeleteShareGroupStateResponseData.DeleteStateResult().setTopicId(topic.topicId());
            data.results().add(topicResult);
            for (DeleteShareGroupStateRequestData.PartitionData partition : topic.partitions()) {
                DeleteShareGroupStateResponseData.PartitionResult result = new DeleteShareGroupStateResponseData.PartitionResult()
                        .setPartition(partition.partition());
                topicResult.partitions().add(result);
                if (!allowed) {
                    result.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message());
                    continue;
                }
                SharePartitionKey key = new SharePartitionKey(request.data().groupId(), topic.topicId(), partition.partition());
                pending.add(coordinator.delete(key).handle((ignored, failure) -> {
                    if (failure != null) {
                        Errors error = CoordinatorException.errorOf(failure);
                        result.setErrorCode(error.code()).setErrorMessage(error.message());
                    }
                    return result;
                }));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new DeleteShareGroupStateResponse(data));
    }
}
