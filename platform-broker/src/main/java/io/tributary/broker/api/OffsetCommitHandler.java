package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetCommit: stores a group's offsets in {@code __consumer_offsets}. As in Kafka, committing takes
 * READ on the group (else GROUP_AUTHORIZATION_FAILED for every partition) and READ on each topic
 * (else TOPIC_AUTHORIZATION_FAILED for its partitions); nothing refused is committed.
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public OffsetCommitHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    /** v10 names topics by id, for the new consumer protocol only; Apache Kafka 4.1 serves up to 9 too. */
    @Override
    public short maxVersion() {
        return 9;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, OffsetCommitRequest request) {
        var data = request.data();
        if (!authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, data.groupId())) {
            return CompletableFuture.completedFuture(new OffsetCommitResponse(
                    OffsetCommitRequest.getErrorResponse(data, Errors.GROUP_AUTHORIZATION_FAILED)));
        }
        Predicate<String> readable = authorization.filter(context, AclOperation.READ, ResourceType.TOPIC, data.topics(),
                OffsetCommitRequestTopic::name, true, true);
        List<GroupCoordinator.OffsetToCommit> offsets = new ArrayList<>();
        Map<TopicPartition, Errors> refused = new HashMap<>();
        for (OffsetCommitRequestTopic topic : data.topics()) {
            for (OffsetCommitRequestPartition partition : topic.partitions()) {
                if (!readable.test(topic.name())) {
                    refused.put(new TopicPartition(topic.name(), partition.partitionIndex()), Errors.TOPIC_AUTHORIZATION_FAILED);
                    continue;
                }
                offsets.add(new GroupCoordinator.OffsetToCommit(new TopicPartition(topic.name(), partition.partitionIndex()),
                        partition.committedOffset(), partition.committedLeaderEpoch(), partition.committedMetadata()));
            }
        }
        if (offsets.isEmpty() && !refused.isEmpty()) {
            return CompletableFuture.completedFuture(response(data, refused));
        }
        return coordinator.commitOffsetsAsync(data.groupId(), data.generationIdOrMemberEpoch(), data.memberId(),
                data.groupInstanceId(), offsets).thenApply(results -> {
                    if (refused.isEmpty()) {
                        return response(data, results);
                    }
                    Map<TopicPartition, Errors> all = new HashMap<>(results);
                    all.putAll(refused);
                    return response(data, all);
                });
    }

    private static AbstractResponse response(OffsetCommitRequestData data, Map<TopicPartition, Errors> results) {
        List<OffsetCommitResponseTopic> topics = new ArrayList<>();
        for (OffsetCommitRequestTopic topic : data.topics()) {
            List<OffsetCommitResponsePartition> partitions = new ArrayList<>();
            for (OffsetCommitRequestPartition partition : topic.partitions()) {
                Errors error = results.get(new TopicPartition(topic.name(), partition.partitionIndex()));
                partitions.add(new OffsetCommitResponsePartition().setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(error.code()));
            }
            topics.add(new OffsetCommitResponseTopic().setName(topic.name()).setPartitions(partitions));
        }
        return new OffsetCommitResponse(new OffsetCommitResponseData().setTopics(topics));
    }
}
