package io.tributary.broker.api;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartitionCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopicCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetDelete: removes a group's committed offsets for topics its members do not subscribe to
 * (read from the consumer protocol's subscriptions). As in Kafka, it takes DELETE on the group (else
 * GROUP_AUTHORIZATION_FAILED) and READ on each topic (else TOPIC_AUTHORIZATION_FAILED for its
 * partitions, whose offsets stay).
 */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public OffsetDeleteHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, OffsetDeleteRequest request) {
        if (!authorization.authorize(context, AclOperation.DELETE, ResourceType.GROUP, request.data().groupId())) {
            return CompletableFuture.completedFuture(request.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED.exception()));
        }
        Predicate<String> readable = authorization.filter(context, AclOperation.READ, ResourceType.TOPIC,
                request.data().topics(), OffsetDeleteRequestTopic::name, true, true);
        List<TopicPartition> partitions = new ArrayList<>();
        Map<TopicPartition, Errors> results = new HashMap<>();
        for (OffsetDeleteRequestTopic topic : request.data().topics()) {
            for (OffsetDeleteRequestPartition partition : topic.partitions()) {
                TopicPartition topicPartition = new TopicPartition(topic.name(), partition.partitionIndex());
                if (readable.test(topic.name())) {
                    partitions.add(topicPartition);
                } else {
                    results.put(topicPartition, Errors.TOPIC_AUTHORIZATION_FAILED);
                }
            }
        }
        OffsetDeleteResponseData data = new OffsetDeleteResponseData();
        try {
            results.putAll(coordinator.deleteOffsets(request.data().groupId(), partitions,
                    OffsetDeleteHandler::subscribedTopics));
            OffsetDeleteResponseTopicCollection topics = new OffsetDeleteResponseTopicCollection();
            for (OffsetDeleteRequestTopic topic : request.data().topics()) {
                OffsetDeleteResponsePartitionCollection partitionResults = new OffsetDeleteResponsePartitionCollection();
                for (OffsetDeleteRequestPartition partition : topic.partitions()) {
                    partitionResults.add(new OffsetDeleteResponsePartition().setPartitionIndex(partition.partitionIndex())
                            .setErrorCode(results.get(new TopicPartition(topic.name(), partition.partitionIndex())).code()));
                }
                topics.add(new OffsetDeleteResponseTopic().setName(topic.name()).setPartitions(partitionResults));
            }
            data.setErrorCode(Errors.NONE.code()).setTopics(topics);
        } catch (CoordinatorException e) {
            data.setErrorCode(e.error().code());
        }
        return CompletableFuture.completedFuture(new OffsetDeleteResponse(data));
    }

    private static Set<String> subscribedTopics(GroupCoordinator.GroupSummary group) {
        Set<String> topics = new HashSet<>();
        if (!ConsumerProtocol.PROTOCOL_TYPE.equals(group.protocolType())) {
            return topics;
        }
        for (GroupCoordinator.MemberSummary member : group.members()) {
            try {
                topics.addAll(ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(member.metadata())).topics());
            } catch (RuntimeException e) {
                // An unreadable subscription protects nothing.
            }
        }
        return topics;
    }
}
