package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.share.coordinator.ShareCoordinator;
import io.tributary.broker.share.coordinator.SharePartitionKey;
import io.tributary.broker.share.coordinator.ShareStateMessages;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ReadShareGroupStateRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ReadShareGroupStateRequest;
import org.apache.kafka.common.requests.ReadShareGroupStateResponse;

/**
 * ReadShareGroupState, from a share-partition leader to the share coordinator of each of its keys: the
 * state held in this broker's memory (start offset -1 and state epoch 0 for a share-partition without
 * one, as Kafka answers), FENCED_LEADER_EPOCH for a leader older than the last one seen, and a newer
 * leader's epoch recorded. NOT_COORDINATOR where another broker leads the key's partition. Inter-broker
 * only: as Kafka, it takes CLUSTER_ACTION (else CLUSTER_AUTHORIZATION_FAILED for every partition).
 */
public final class ReadShareGroupStateHandler implements ApiHandler<ReadShareGroupStateRequest> {

    private final ShareCoordinator coordinator;
    private final RequestAuthorization authorization;

    public ReadShareGroupStateHandler(ShareCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.READ_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ReadShareGroupStateRequest request) {
        boolean allowed = authorization.authorizeCluster(context, AclOperation.CLUSTER_ACTION);
        ReadShareGroupStateResponseData data = new ReadShareGroupStateResponseData();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (ReadShareGroupStateRequestData.ReadStateData topic : request.data().topics()) {
            ReadShareGroupStateResponseData.ReadStateResult topicResult =
                    new ReadShareGroupStateResponseData.ReadStateResult().setTopicId(topic.topicId());
            data.results().add(topicResult);
            for (ReadShareGroupStateRequestData.PartitionData partition : topic.partitions()) {
                ReadShareGroupStateResponseData.PartitionResult result = new ReadShareGroupStateResponseData.PartitionResult()
                        .setPartition(partition.partition());
                topicResult.partitions().add(result);
                ShareStateMessages.readResult(result, Optional.empty());
                if (!allowed) {
                    result.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message());
                    continue;
                }
                SharePartitionKey key = new SharePartitionKey(request.data().groupId(), topic.topicId(), partition.partition());
                pending.add(coordinator.read(key, partition.leaderEpoch()).handle((state, failure) -> {
                    if (failure != null) {
                        Errors error = CoordinatorException.errorOf(failure);
                        return result.setErrorCode(error.code()).setErrorMessage(error.message());
                    }
                    return ShareStateMessages.readResult(result, state);
                }));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new ReadShareGroupStateResponse(data));
    }
}
