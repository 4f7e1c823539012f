package io.tributary.broker.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.group.ShareGroupOffsets;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestPartition;
import org.apache.kafka.common.message.AlterShareGroupOffsetsRequestData.AlterShareGroupOffsetsRequestTopic;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponsePartition;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.message.AlterShareGroupOffsetsResponseData.AlterShareGroupOffsetsResponseTopicCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterShareGroupOffsetsRequest;
import org.apache.kafka.common.requests.AlterShareGroupOffsetsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * AlterShareGroupOffsets (KIP-932; Admin's {@code alterShareGroupOffsets}, {@code kafka-share-groups
 * --reset-offsets}): each share-partition starts again at the offset given, with nothing in flight. The group
 * must exist and be empty (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP), as in Kafka 4.1. It takes READ on the group
 * (else GROUP_AUTHORIZATION_FAILED) and on each topic (else TOPIC_AUTHORIZATION_FAILED for its partitions); a
 * topic or partition that does not exist is UNKNOWN_TOPIC_OR_PARTITION.
 *
 * <p>A group's error is answered at the top, as Kafka does, and for each partition too: kafka-clients 4.1's
 * Admin reads only the partitions' errors, and would otherwise report a refused change as done.
 */
public final class AlterShareGroupOffsetsHandler implements ApiHandler<AlterShareGroupOffsetsRequest> {

    private final ShareGroupOffsets offsets;
    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public AlterShareGroupOffsetsHandler(ShareGroupOffsets offsets, ClusterMetadata metadata,
            RequestAuthorization authorization) {
        this.offsets = offsets;
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_SHARE_GROUP_OFFSETS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, AlterShareGroupOffsetsRequest request) {
        String groupId = request.data().groupId();
        if (!authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, groupId)) {
            return answer(AlterShareGroupOffsetsRequest.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED));
        }
        Predicate<String> readable = authorization.filter(context, AclOperation.READ, ResourceType.TOPIC,
                request.data().topics(), AlterShareGroupOffsetsRequestTopic::topicName, true, true);
        Map<TopicIdPartition, Errors> refused = new HashMap<>();
        Map<Uuid, Map<Integer, Long>> toAlter = new HashMap<>();
        Map<String, Uuid> topicIds = new HashMap<>();
        for (AlterShareGroupOffsetsRequestTopic topic : request.data().topics()) {
            Optional<TopicInfo> info = metadata.topic(topic.topicName());
            Uuid topicId = info.map(TopicInfo::id).orElse(Uuid.ZERO_UUID);
            topicIds.put(topic.topicName(), topicId);
            for (AlterShareGroupOffsetsRequestPartition partition : topic.partitions()) {
                TopicIdPartition key = new TopicIdPartition(topicId, partition.partitionIndex(), topic.topicName());
                if (!readable.test(topic.topicName())) {
                    refused.put(key, Errors.TOPIC_AUTHORIZATION_FAILED);
                } else if (info.isEmpty() || partition.partitionIndex() < 0
                        || partition.partitionIndex() >= info.get().partitionCount()) {
                    refused.put(key, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    toAlter.computeIfAbsent(topicId, id -> new HashMap<>()).put(partition.partitionIndex(), partition.startOffset());
                }
            }
        }
        return offsets.alter(groupId, toAlter).handle((altered, failure) -> {
            Errors groupError = failure == null ? Errors.NONE : CoordinatorException.errorOf(failure);
            AlterShareGroupOffsetsResponseTopicCollection topics = new AlterShareGroupOffsetsResponseTopicCollection();
            for (AlterShareGroupOffsetsRequestTopic topic : request.data().topics()) {
                Uuid topicId = topicIds.get(topic.topicName());
                AlterShareGroupOffsetsResponseTopic result = new AlterShareGroupOffsetsResponseTopic()
                        .setTopicName(topic.topicName()).setTopicId(topicId);
                for (AlterShareGroupOffsetsRequestPartition partition : topic.partitions()) {
                    TopicIdPartition key = new TopicIdPartition(topicId, partition.partitionIndex(), topic.topicName());
                    Errors error = refused.getOrDefault(key, groupError != Errors.NONE ? groupError
                            : altered.getOrDefault(new TopicIdPartition(topicId, partition.partitionIndex(), null), Errors.NONE));
                    result.partitions().add(new AlterShareGroupOffsetsResponsePartition()
                            .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code())
                            .setErrorMessage(error == Errors.NONE ? null : error.message()));
                }
                topics.add(result);
            }
            AlterShareGroupOffsetsResponseData data = new AlterShareGroupOffsetsResponseData().setResponses(topics);
            if (failure != null) {
                data.setErrorCode(groupError.code()).setErrorMessage(messageOf(failure, groupError));
            }
            return new AlterShareGroupOffsetsResponse(data);
        });
    }

    static String messageOf(Throwable failure, Errors error) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof CoordinatorException && cause.getMessage() != null ? cause.getMessage() : error.message();
    }

    private static CompletableFuture<AbstractResponse> answer(AlterShareGroupOffsetsResponseData data) {
        return CompletableFuture.completedFuture(new AlterShareGroupOffsetsResponse(data));
    }
}
