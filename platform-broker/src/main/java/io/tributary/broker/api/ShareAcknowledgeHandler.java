package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.share.ShareSessionCache;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ShareAcknowledgeRequestData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData.PartitionData;
import org.apache.kafka.common.message.ShareAcknowledgeResponseData.ShareAcknowledgeTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ShareAcknowledgeRequest;
import org.apache.kafka.common.requests.ShareAcknowledgeResponse;

/**
 * ShareAcknowledge (KIP-932): a share group's member acknowledges records it acquired, without fetching
 * (a consumer committing synchronously, or closing). It belongs to the member's share session: a session
 * cannot be opened by it (epoch 0 is INVALID_SHARE_SESSION_EPOCH), and epoch -1 acknowledges, then ends
 * the session and releases what the member still held. Each partition is answered once its new state
 * is persisted.
 */
public final class ShareAcknowledgeHandler implements ApiHandler<ShareAcknowledgeRequest> {

    private final ShareRequests share;

    public ShareAcknowledgeHandler(ShareRequests share) {
        this.share = share;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_ACKNOWLEDGE;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public short maxVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ShareAcknowledgeRequest request) {
        ShareAcknowledgeRequestData data = request.data();
        String groupId = data.groupId();
        String memberId = data.memberId();
        Errors refused = share.admit(context, groupId, memberId);
        if (refused != Errors.NONE) {
            return failed(refused);
        }
        ShareSessionCache.Key key = new ShareSessionCache.Key(groupId, memberId);
        int epoch = data.shareSessionEpoch();
        if (epoch == ShareSessionCache.INITIAL_EPOCH) {
            return failed(Errors.INVALID_SHARE_SESSION_EPOCH); // only a ShareFetch opens a session
        }
        ShareSessionCache.Lookup lookup = share.continueSession(key, epoch);
        if (lookup.error() != Errors.NONE) {
            return failed(lookup.error());
        }
        Map<TopicIdPartition, List<ShareRequests.AckBatch>> acknowledgements = new LinkedHashMap<>();
        for (ShareAcknowledgeRequestData.AcknowledgeTopic topic : data.topics()) {
            for (ShareAcknowledgeRequestData.AcknowledgePartition partition : topic.partitions()) {
                List<ShareRequests.AckBatch> batches = acknowledgements.computeIfAbsent(
                        ShareRequests.partition(topic.topicId(), partition.partitionIndex()), k -> new ArrayList<>());
                for (ShareAcknowledgeRequestData.AcknowledgementBatch batch : partition.acknowledgementBatches()) {
                    batches.add(new ShareRequests.AckBatch(batch.firstOffset(), batch.lastOffset(), batch.acknowledgeTypes()));
                }
            }
        }
        Map<TopicIdPartition, CompletableFuture<Errors>> acked = share.acknowledge(groupId, memberId, acknowledgements,
                share.readable(context, new ArrayList<>(acknowledgements.keySet())));
        if (epoch == ShareSessionCache.FINAL_EPOCH) {
            share.release(List.of(lookup.session()));
        }
        return CompletableFuture.allOf(acked.values().toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            ShareAcknowledgeResponseData response = new ShareAcknowledgeResponseData();
            Map<Uuid, ShareAcknowledgeTopicResponse> topics = new LinkedHashMap<>();
            acked.forEach((partition, result) -> {
                Errors error = result.join();
                PartitionData answer = new PartitionData().setPartitionIndex(partition.partition()).setErrorCode(error.code());
                answer.currentLeader().setLeaderId(-1).setLeaderEpoch(-1);
                if (error == Errors.NOT_LEADER_OR_FOLLOWER) {
                    share.leader(context, partition).ifPresent(leader -> {
                        answer.currentLeader().setLeaderId(leader.leaderId()).setLeaderEpoch(leader.leaderEpoch());
                        if (leader.endpoint() != null && response.nodeEndpoints().find(leader.leaderId()) == null) {
                            response.nodeEndpoints().add(new ShareAcknowledgeResponseData.NodeEndpoint()
                                    .setNodeId(leader.leaderId()).setHost(leader.endpoint().host())
                                    .setPort(leader.endpoint().port()).setRack(leader.endpoint().rack()));
                        }
                    });
                }
                topics.computeIfAbsent(partition.topicId(), id -> new ShareAcknowledgeTopicResponse().setTopicId(id))
                        .partitions().add(answer);
            });
            response.responses().addAll(topics.values());
            return new ShareAcknowledgeResponse(response);
        });
    }

    private static CompletableFuture<AbstractResponse> failed(Errors error) {
        return CompletableFuture.completedFuture(new ShareAcknowledgeResponse(new ShareAcknowledgeResponseData()
                .setErrorCode(error.code()).setErrorMessage(error.message())));
    }
}
