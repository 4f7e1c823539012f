package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.group.CommittedOffset;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetFetch: a group's committed offsets, for the requested partitions or all of them; one group
 * per request up to v7, several groups from v8. As in Kafka, reading a group's offsets takes
 * DESCRIBE on the group (else GROUP_AUTHORIZATION_FAILED) and shows only the topics the principal
 * may DESCRIBE: asked-for others are TOPIC_AUTHORIZATION_FAILED, and they are left out of "all topics".
 * A request for stable offsets (v7+, sent by read_committed consumers) gets UNSTABLE_OFFSET_COMMIT, and
 * retries, for a partition whose offset an open transaction committed (TxnOffsetCommit).
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public OffsetFetchHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    /** v10 names topics by id, for the new consumer protocol only; Apache Kafka 4.1 serves up to 9 too. */
    @Override
    public short maxVersion() {
        return 9;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, OffsetFetchRequest request) {
        List<OffsetFetchResponseGroup> groups = new ArrayList<>();
        for (OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups()) {
            groups.add(fetchGroup(context, group, request.data().requireStable()));
        }
        // The builder writes versions before 8 in their single-group form.
        return CompletableFuture.completedFuture(new OffsetFetchResponse.Builder(groups).build(context.apiVersion()));
    }

    private OffsetFetchResponseGroup fetchGroup(RequestContext context, OffsetFetchRequestData.OffsetFetchRequestGroup group,
            boolean requireStable) {
        if (!authorization.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId())) {
            return OffsetFetchResponse.groupError(group, Errors.GROUP_AUTHORIZATION_FAILED, context.apiVersion());
        }
        Errors notHere = coordinator.coordinatorError(group.groupId());
        if (notHere != Errors.NONE) {
            return OffsetFetchResponse.groupError(group, notHere, context.apiVersion());
        }
        Errors notMember = coordinator.validateOffsetFetch(group.groupId(), group.memberId(), group.memberEpoch());
        if (notMember != Errors.NONE) {
            return OffsetFetchResponse.groupError(group, notMember, context.apiVersion());
        }
        List<OffsetFetchResponseTopics> refused = new ArrayList<>();
        List<TopicPartition> requested = group.topics() == null ? null : new ArrayList<>();
        Predicate<String> describable;
        if (requested != null) {
            describable = authorization.filter(context, AclOperation.DESCRIBE, ResourceType.TOPIC, group.topics(),
                    OffsetFetchRequestData.OffsetFetchRequestTopics::name, true, true);
            for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : group.topics()) {
                if (describable.test(topic.name())) {
                    topic.partitionIndexes().forEach(index -> requested.add(new TopicPartition(topic.name(), index)));
                } else {
                    refused.add(refused(topic));
                }
            }
        } else {
            describable = null;
        }
        Map<TopicPartition, CommittedOffset> offsets = coordinator.committedOffsets(group.groupId(), requested);
        // A read_committed consumer asks for stable offsets: one an open transaction will replace is not given yet.
        Set<TopicPartition> unstable = requireStable ? coordinator.pendingTransactionalOffsets(group.groupId()) : Set.of();
        if (describable == null) {
            Set<String> committedTopics = new HashSet<>();
            offsets.keySet().forEach(tp -> committedTopics.add(tp.topic()));
            describable = authorization.filter(context, AclOperation.DESCRIBE, ResourceType.TOPIC, committedTopics);
        }
        Map<String, List<OffsetFetchResponsePartitions>> byTopic = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, CommittedOffset> entry : offsets.entrySet()) {
            if (!describable.test(entry.getKey().topic())) {
                continue;
            }
            CommittedOffset offset = entry.getValue();
            OffsetFetchResponsePartitions partition = unstable.contains(entry.getKey())
                    ? new OffsetFetchResponsePartitions().setPartitionIndex(entry.getKey().partition()).setCommittedOffset(-1)
                            .setErrorCode(Errors.UNSTABLE_OFFSET_COMMIT.code())
                    : new OffsetFetchResponsePartitions().setPartitionIndex(entry.getKey().partition())
                            .setCommittedOffset(offset.offset()).setCommittedLeaderEpoch(offset.leaderEpoch())
                            .setMetadata(offset.metadata()).setErrorCode(Errors.NONE.code());
            byTopic.computeIfAbsent(entry.getKey().topic(), t -> new ArrayList<>()).add(partition);
        }
        List<OffsetFetchResponseTopics> topics = new ArrayList<>();
        byTopic.forEach((name, partitions) -> topics.add(new OffsetFetchResponseTopics().setName(name).setPartitions(partitions)));
        topics.addAll(refused);
        return new OffsetFetchResponseGroup().setGroupId(group.groupId()).setTopics(topics).setErrorCode(Errors.NONE.code());
    }

    private static OffsetFetchResponseTopics refused(OffsetFetchRequestData.OffsetFetchRequestTopics topic) {
        List<OffsetFetchResponsePartitions> partitions = new ArrayList<>();
        for (int index : topic.partitionIndexes()) {
            partitions.add(new OffsetFetchResponsePartitions().setPartitionIndex(index).setCommittedOffset(-1)
                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
        }
        return new OffsetFetchResponseTopics().setName(topic.name()).setPartitions(partitions);
    }
}
