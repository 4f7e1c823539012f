package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.share.coordinator.ShareCoordinator;
import io.tributary.broker.share.coordinator.SharePartitionKey;
import io.tributary.broker.share.persister.SharePartitionState;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryRequestData;
import org.apache.kafka.common.message.ReadShareGroupStateSummaryResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ReadShareGroupStateSummaryRequest;
import org.apache.kafka.common.requests.ReadShareGroupStateSummaryResponse;

/**
 * ReadShareGroupStateSummary, for the group coordinator's describe of a share group's offsets: each
 * share-partition's state epoch, leader epoch and start offset (start offset -1 and state epoch 0 where
 * it has no state), without its in-flight batches, and without recording the reader's epoch.
 * Inter-broker only: CLUSTER_ACTION, as in Kafka.
 */
public final class ReadShareGroupStateSummaryHandler implements ApiHandler<ReadShareGroupStateSummaryRequest> {

    private final ShareCoordinator coordinator;
    private final RequestAuthorization authorization;

    public ReadShareGroupStateSummaryHandler(ShareCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.READ_SHARE_GROUP_STATE_SUMMARY;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ReadShareGroupStateSummaryRequest request) {
        boolean allowed = authorization.authorizeCluster(context, AclOperation.CLUSTER_ACTION);
        ReadShareGroupStateSummaryResponseData data = new ReadShareGroupStateSummaryResponseData();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (ReadShareGroupStateSummaryRequestData.ReadStateSummaryData topic : request.data().topics()) {
            ReadShareGroupStateSummaryResponseData.ReadStateSummaryResult topicResult =
                    new ReadShareGroupStateSummaryResponseData.ReadStateSummaryResult().setTopicId(topic.topicId());
            data.results().add(topicResult);
            for (ReadShareGroupStateSummaryRequestData.PartitionData partition : topic.partitions()) {
                ReadShareGroupStateSummaryResponseData.PartitionResult result =
                        new ReadShareGroupStateSummaryResponseData.PartitionResult().setPartition(partition.partition())
                                .setStateEpoch(0).setLeaderEpoch(-1).setStartOffset(-1);
                topicResult.partitions().add(result);
                if (!allowed) {
                    result.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                            .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message());
                    continue;
                }
                SharePartitionKey key = new SharePartitionKey(request.data().groupId(), topic.topicId(), partition.partition());
                pending.add(coordinator.summary(key, partition.leaderEpoch()).handle((state, failure) -> {
                    if (failure != null) {
                        Errors error = CoordinatorException.errorOf(failure);
                        return result.setErrorCode(error.code()).setErrorMessage(error.message());
                    }
                    return result.setStateEpoch(state.map(SharePartitionState::stateEpoch).orElse(0))
                            .setLeaderEpoch(state.map(SharePartitionState::leaderEpoch).orElse(-1))
                            .setStartOffset(state.map(SharePartitionState::startOffset).orElse(-1L));
                }));
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new ReadShareGroupStateSummaryResponse(data));
    }
}
