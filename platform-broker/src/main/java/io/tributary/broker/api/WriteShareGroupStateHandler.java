package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.share.coordinator.ShareCoordinator;
import io.tributary.broker.share.coordinator.SharePartitionKey;
import io.tributary.broker.share.coordinator.ShareStateMessages;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.WriteShareGroupStateRequestData;
import org.apache.kafka.common.message.WriteShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.WriteShareGroupStateRequest;
import org.apache.kafka.common.requests.WriteShareGroupStateResponse;

/**
 * WriteShareGroupState, from a share-partition leader to the share coordinator of each of its keys: the
 * partition's state replaces the stored one (Tributary's leaders send their whole state), answered once
 * the in-sync replicas of {@code __share_group_state} hold it; FENCED_LEADER_EPOCH or FENCED_STATE_EPOCH
 * for a writer older than the last one. Inter-broker only: CLUSTER_ACTION, as in Kafka.
 */
public final class WriteShareGroupStateHandler implements ApiHandler<WriteShareGroupStateRequest> {

    private final ShareCoordinator coordinator;
    private final RequestAuthorization authorization;

    public WriteShareGroupStateHandler(ShareCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.WRITE_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, WriteShareGroupStateRequest request) {
        boolean allowed = authorization.authorizeCluster(context, AclOperation.CLUSTER_ACTION);
        WriteShareGroupStateResponseData data = new WriteShareGroupStateResponseData();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (WriteShareGroupStateRequestData.WriteStateData topic : request.data().topics()) {
            WriteShareGroupStateResponseData.WriteStateResult topicResult =
                    new WriteShareGroupStateResponseData.WriteStateResult().setTopicId(topic.topicId());
            data.results().add(topicResult);
            for (WriteShareGroupStateRequestData.PartitionData partition : topic.partitions()) {
                WriteShareGroupStateResponseData.PartitionResult result = new WriteShareGroupStateResponseData.PartitionResult()
                        .setPartition(partition.partition());
                topicResult.partitions().add(result);
                if (!allowed) {
                    result.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message());
                    continue;
                }
                CompletableFuture<Void> written;
                try {
                    SharePartitionKey key = new SharePartitionKey(request.data().groupId(), topic.topicId(), partition.partition());
                    written = coordinator.write(key, ShareStateMessages.state(partition));
                } catch (IllegalArgumentException e) { // a batch that ends before it starts
                    written = CompletableFuture.failedFuture(new CoordinatorException(Errors.INVALID_REQUEST, e.getMessage()));
                }
                pending.add(written.handle((ignored, failure) -> {
                    if (failure != null) {
                        Errors error = CoordinatorException.errorOf(failure);
                        result.setErrorCode(error.code()).setErrorMessage(error.message());
                    }
                    return result;
                }));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new WriteShareGroupStateResponse(data));
    }
}
