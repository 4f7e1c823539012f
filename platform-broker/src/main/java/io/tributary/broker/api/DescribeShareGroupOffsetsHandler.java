package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.group.ShareGroupOffsets;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestGroup;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsRequestData.DescribeShareGroupOffsetsRequestTopic;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseGroup;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponsePartition;
import org.apache.kafka.common.message.DescribeShareGroupOffsetsResponseData.DescribeShareGroupOffsetsResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeShareGroupOffsetsRequest;
import org.apache.kafka.common.requests.DescribeShareGroupOffsetsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeShareGroupOffsets (KIP-932; Admin's {@code listShareGroupOffsets}): each share-partition's start
 * offset, -1 where the group has no state for it; topics {@code null} for every partition the group's state
 * may be in. As in Kafka, each group takes DESCRIBE (else GROUP_AUTHORIZATION_FAILED), and each topic DESCRIBE:
 * asked by name, its partitions answer TOPIC_AUTHORIZATION_FAILED; when all are asked, it is left out.
 */
public final class DescribeShareGroupOffsetsHandler implements ApiHandler<DescribeShareGroupOffsetsRequest> {

    private final ShareGroupOffsets offsets;
    private final RequestAuthorization authorization;

    public DescribeShareGroupOffsetsHandler(ShareGroupOffsets offsets, RequestAuthorization authorization) {
        this.offsets = offsets;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_SHARE_GROUP_OFFSETS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeShareGroupOffsetsRequest request) {
        List<CompletableFuture<DescribeShareGroupOffsetsResponseGroup>> groups = new ArrayList<>();
        for (DescribeShareGroupOffsetsRequestGroup group : request.data().groups()) {
            groups.add(authorization.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId())
                    ? describe(context, group)
                    : CompletableFuture.completedFuture(DescribeShareGroupOffsetsRequest.getErrorDescribedGroup(
                            group.groupId(), Errors.GROUP_AUTHORIZATION_FAILED)));
        }
        return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(done ->
                new DescribeShareGroupOffsetsResponse(new DescribeShareGroupOffsetsResponseData()
                        .setGroups(groups.stream().map(CompletableFuture::join).toList())));
    }

    private CompletableFuture<DescribeShareGroupOffsetsResponseGroup> describe(RequestContext context,
            DescribeShareGroupOffsetsRequestGroup group) {
        Map<String, List<Integer>> asked = null;
        List<DescribeShareGroupOffsetsResponseTopic> refused = new ArrayList<>();
        if (group.topics() != null) {
            Predicate<String> describable = authorization.filter(context, AclOperation.DESCRIBE, ResourceType.TOPIC,
                    group.topics(), DescribeShareGroupOffsetsRequestTopic::topicName, true, true);
            asked = new LinkedHashMap<>();
            for (DescribeShareGroupOffsetsRequestTopic topic : group.topics()) {
                if (describable.test(topic.topicName())) {
                    asked.computeIfAbsent(topic.topicName(), name -> new ArrayList<>()).addAll(topic.partitions());
                } else {
                    refused.add(refusedTopic(topic));
                }
            }
        }
        boolean all = group.topics() == null;
        try {
            return offsets.describe(group.groupId(), asked).handle((described, failure) -> {
                if (failure != null) {
                    return DescribeShareGroupOffsetsRequest.getErrorDescribedGroup(group.groupId(),
                            CoordinatorException.errorOf(failure));
                }
                List<DescribeShareGroupOffsetsResponseTopic> topics = new ArrayList<>();
                Predicate<String> shown = all ? authorization.filter(context, AclOperation.DESCRIBE, ResourceType.TOPIC,
                        described, ShareGroupOffsets.TopicOffsets::topic, false, false) : name -> true;
                described.stream().filter(topic -> shown.test(topic.topic())).forEach(topic -> topics.add(responseTopic(topic)));
                topics.addAll(refused);
                return new DescribeShareGroupOffsetsResponseGroup().setGroupId(group.groupId()).setTopics(topics);
            });
        } catch (CoordinatorException e) {
            return CompletableFuture.completedFuture(DescribeShareGroupOffsetsRequest.getErrorDescribedGroup(
                    group.groupId(), e.error()));
        }
    }

    private static DescribeShareGroupOffsetsResponseTopic responseTopic(ShareGroupOffsets.TopicOffsets topic) {
        List<DescribeShareGroupOffsetsResponsePartition> partitions = new ArrayList<>();
        for (ShareGroupOffsets.PartitionOffset partition : topic.partitions()) {
            partitions.add(new DescribeShareGroupOffsetsResponsePartition().setPartitionIndex(partition.partition())
                    .setStartOffset(partition.startOffset()).setLeaderEpoch(partition.leaderEpoch())
                    .setErrorCode(partition.error().code())
                    .setErrorMessage(partition.error() == Errors.NONE ? null : partition.error().message()));
        }
        return new DescribeShareGroupOffsetsResponseTopic().setTopicName(topic.topic()).setTopicId(topic.topicId())
                .setPartitions(partitions);
    }

    private static DescribeShareGroupOffsetsResponseTopic refusedTopic(DescribeShareGroupOffsetsRequestTopic topic) {
        List<DescribeShareGroupOffsetsResponsePartition> partitions = new ArrayList<>();
        for (int partition : topic.partitions()) {
            partitions.add(new DescribeShareGroupOffsetsResponsePartition().setPartitionIndex(partition)
                    .setStartOffset(ShareGroupOffsets.UNINITIALIZED).setLeaderEpoch(-1)
                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message()));
        }
        return new DescribeShareGroupOffsetsResponseTopic().setTopicName(topic.topicName()).setTopicId(Uuid.ZERO_UUID)
                .setPartitions(partitions);
    }
}
