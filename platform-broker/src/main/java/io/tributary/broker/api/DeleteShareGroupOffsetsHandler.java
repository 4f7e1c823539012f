package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.group.ShareGroupOffsets;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.TopicInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsRequestData.DeleteShareGroupOffsetsRequestTopic;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DeleteShareGroupOffsetsResponseData.DeleteShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteShareGroupOffsetsRequest;
import org.apache.kafka.common.requests.DeleteShareGroupOffsetsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteShareGroupOffsets (KIP-932; Admin's {@code deleteShareGroupOffsets}, {@code kafka-share-groups
 * --delete-offsets}): removes a share group's state of whole topics, so that it starts them again as
 * {@code share.auto.offset.reset} says. The group must exist and be empty (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP);
 * a topic that does not exist or whose state is not the group's is UNKNOWN_TOPIC_OR_PARTITION. As in Kafka, it
 * takes DELETE on the group (else GROUP_AUTHORIZATION_FAILED) and READ on each topic (else
 * TOPIC_AUTHORIZATION_FAILED).
 */
public final class DeleteShareGroupOffsetsHandler implements ApiHandler<DeleteShareGroupOffsetsRequest> {

    private final ShareGroupOffsets offsets;
    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public DeleteShareGroupOffsetsHandler(ShareGroupOffsets offsets, ClusterMetadata metadata,
            RequestAuthorization authorization) {
        this.offsets = offsets;
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_SHARE_GROUP_OFFSETS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteShareGroupOffsetsRequest request) {
        String groupId = request.data().groupId();
        if (!authorization.authorize(context, AclOperation.DELETE, ResourceType.GROUP, groupId)) {
            return CompletableFuture.completedFuture(new DeleteShareGroupOffsetsResponse(
                    DeleteShareGroupOffsetsRequest.getErrorDeleteResponseData(Errors.GROUP_AUTHORIZATION_FAILED)));
        }
        List<DeleteShareGroupOffsetsRequestTopic> asked = request.data().topics();
        Predicate<String> readable = authorization.filter(context, AclOperation.READ, ResourceType.TOPIC, asked,
                DeleteShareGroupOffsetsRequestTopic::topicName, true, true);
        Map<String, Uuid> topicIds = new HashMap<>();
        Map<String, Errors> refused = new HashMap<>();
        Set<Uuid> toDelete = new HashSet<>();
        for (DeleteShareGroupOffsetsRequestTopic topic : asked) {
            Uuid topicId = metadata.topic(topic.topicName()).map(TopicInfo::id).orElse(Uuid.ZERO_UUID);
            topicIds.put(topic.topicName(), topicId);
            if (!readable.test(topic.topicName())) {
                refused.put(topic.topicName(), Errors.TOPIC_AUTHORIZATION_FAILED);
            } else if (topicId.equals(Uuid.ZERO_UUID)) {
                refused.put(topic.topicName(), Errors.UNKNOWN_TOPIC_OR_PARTITION);
            } else {
                toDelete.add(topicId);
            }
        }
        return offsets.deleteTopics(groupId, toDelete).handle((deleted, failure) -> {
            if (failure != null) {
                Errors error = CoordinatorException.errorOf(failure);
                return new DeleteShareGroupOffsetsResponse(DeleteShareGroupOffsetsRequest.getErrorDeleteResponseData(
                        error.code(), AlterShareGroupOffsetsHandler.messageOf(failure, error)));
            }
            List<DeleteShareGroupOffsetsResponseTopic> topics = new ArrayList<>();
            Set<String> answered = new HashSet<>();
            for (DeleteShareGroupOffsetsRequestTopic topic : asked) {
                if (!answered.add(topic.topicName())) {
                    continue;
                }
                Uuid topicId = topicIds.get(topic.topicName());
                Errors error = refused.getOrDefault(topic.topicName(), deleted.getOrDefault(topicId, Errors.NONE));
                topics.add(new DeleteShareGroupOffsetsResponseTopic().setTopicName(topic.topicName()).setTopicId(topicId)
                        .setErrorCode(error.code()).setErrorMessage(error == Errors.NONE ? null : error.message()));
            }
            return new DeleteShareGroupOffsetsResponse(new DeleteShareGroupOffsetsResponseData().setResponses(topics));
        });
    }
}
