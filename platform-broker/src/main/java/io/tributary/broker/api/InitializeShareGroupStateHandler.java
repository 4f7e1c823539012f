package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.share.coordinator.ShareCoordinator;
import io.tributary.broker.share.coordinator.SharePartitionKey;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.InitializeShareGroupStateRequestData;
import org.apache.kafka.common.message.InitializeShareGroupStateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitializeShareGroupStateRequest;
import org.apache.kafka.common.requests.InitializeShareGroupStateResponse;

/**
 * InitializeShareGroupState, from the group coordinator when a share group starts consuming a topic or
 * its offsets are reset: each share-partition's state begins again at a state epoch and start offset,
 * with nothing in flight; FENCED_STATE_EPOCH for a state epoch older than the stored one. Inter-broker
 * only: CLUSTER_ACTION, as in Kafka.
 */
public final class InitializeShareGroupStateHandler implements ApiHandler<InitializeShareGroupStateRequest> {

    private final ShareCoordinator coordinator;
    private final RequestAuthorization authorization;

    public InitializeShareGroupStateHandler(ShareCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INITIALIZE_SHARE_GROUP_STATE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, InitializeShareGroupStateRequest request) {
        boolean allowed = authorization.authorizeCluster(context, AclOperation.CLUSTER_ACTION);
        InitializeShareGroupStateResponseData data = new InitializeShareGroupStateResponseData();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (InitializeShareGroupStateRequestData.InitializeStateData topic : request.data().topics()) {
            InitializeShareGroupStateResponseData.InitializeStateResult topicResult =
                    new InitializeShareGroupStateResponseData.InitializeStateResult().setTopicId(topic.topicId());
            data.results().add(topicResult);
            for (InitializeShareGroupStateRequestData.PartitionData partition : topic.partitions()) {
                InitializeShareGroupStateResponseData.PartitionResult result =
                        new InitializeShareGroupStateResponseData.PartitionResult().setPartition(partition.partition());
                topicResult.partitions().add(result);
                if (!allowed) {
                    result.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message());
                    continue;
                }
                SharePartitionKey key = new SharePartitionKey(request.data().groupId(), topic.topicId(), partition.partition());
                pending.add(coordinator.initialize(key, partition.stateEpoch(), partition.startOffset())
                        .handle((ignored, failure) -> {
                            if (failure != null) {
                                Errors error = CoordinatorException.errorOf(failure);
                                result.setErrorCode(error.code()).setErrorMessage(error.message());
                            }
                            return result;
                        }));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new InitializeShareGroupStateResponse(data));
    }
}
