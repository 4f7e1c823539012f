package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetForLeaderEpoch: where a leader epoch ended in this log, so that a consumer (or a follower)
 * can tell whether its position survived a change of leader. As in Kafka, CLUSTER_ACTION on the
 * cluster (a follower's right) allows every topic; otherwise the principal needs DESCRIBE on each
 * topic (TOPIC_AUTHORIZATION_FAILED for the others' partitions).
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler<OffsetsForLeaderEpochRequest> {

    private final PartitionManager partitions;
    private final RequestAuthorization authorization;

    public OffsetForLeaderEpochHandler(PartitionManager partitions, RequestAuthorization authorization) {
        this.partitions = partitions;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, OffsetsForLeaderEpochRequest request) {
        OffsetForLeaderTopicResultCollection topics = new OffsetForLeaderTopicResultCollection();
        Predicate<String> describable = describableTopics(context, request);
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : request.data().topics()) {
            List<EpochEndOffset> results = new ArrayList<>();
            boolean allowed = describable.test(topic.topic());
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition requested : topic.partitions()) {
                results.add(allowed ? endOffset(new TopicPartition(topic.topic(), requested.partition()), requested)
                        : new EpochEndOffset().setPartition(requested.partition()).setLeaderEpoch(-1).setEndOffset(-1)
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
            topics.add(new OffsetForLeaderTopicResult().setTopic(topic.topic()).setPartitions(results));
        }
        return CompletableFuture.completedFuture(
                new OffsetsForLeaderEpochResponse(new OffsetForLeaderEpochResponseData().setTopics(topics)));
    }

    private Predicate<String> describableTopics(RequestContext context, OffsetsForLeaderEpochRequest request) {
        // A consumer is not expected to hold CLUSTER_ACTION: its refusal is not worth an audit line.
        if (authorization.authorizeCluster(context, AclOperation.CLUSTER_ACTION, true, false)) {
            return name -> true;
        }
        return authorization.filter(context, AclOperation.DESCRIBE, ResourceType.TOPIC, request.data().topics(),
                OffsetForLeaderEpochRequestData.OffsetForLeaderTopic::topic, true, true);
    }

    private EpochEndOffset endOffset(TopicPartition topicPartition,
            OffsetForLeaderEpochRequestData.OffsetForLeaderPartition requested) {
        EpochEndOffset result = new EpochEndOffset().setPartition(requested.partition()).setLeaderEpoch(-1).setEndOffset(-1);
        Optional<Partition> partition = partitions.partition(topicPartition);
        if (partition.isEmpty()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        Errors epochError = partition.get().checkLeaderEpoch(requested.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            return result.setErrorCode(epochError.code());
        }
        try {
            io.tributary.broker.log.EpochEndOffset end = partition.get().log().endOffsetForEpoch(requested.leaderEpoch());
            return result.setErrorCode(Errors.NONE.code()).setLeaderEpoch(end.epoch()).setEndOffset(end.endOffset());
        } catch (RuntimeException e) {
            return result.setErrorCode(ApiErrors.of(e).code());
        }
    }
}
