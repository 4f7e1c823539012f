package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.CommittedOffset;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;

/**
 * OffsetFetch: a group's committed offsets, for the requested partitions or all of them; one group
 * per request up to v7, several groups from v8.
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequest> {

    private final GroupCoordinator coordinator;

    public OffsetFetchHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
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
        OffsetFetchRequestData data = request.data();
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (context.apiVersion() < 8) {
            List<TopicPartition> requested = null;
            if (data.topics() != null) {
                requested = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : data.topics()) {
                    for (int index : topic.partitionIndexes()) {
                        requested.add(new TopicPartition(topic.name(), index));
                    }
                }
            }
            Errors notHere = coordinator.coordinatorError(data.groupId());
            if (notHere != Errors.NONE) {
                response.setTopics(new ArrayList<>()).setErrorCode(notHere.code());
                return CompletableFuture.completedFuture(new OffsetFetchResponse(response, context.apiVersion()));
            }
            Map<String, List<OffsetFetchResponsePartition>> byTopic = new LinkedHashMap<>();
            coordinator.committedOffsets(data.groupId(), requested).forEach((tp, offset) ->
                    byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(new OffsetFetchResponsePartition()
                            .setPartitionIndex(tp.partition()).setCommittedOffset(offset.offset())
                            .setCommittedLeaderEpoch(offset.leaderEpoch()).setMetadata(offset.metadata())
                            .setErrorCode(Errors.NONE.code())));
            List<OffsetFetchResponseTopic> topics = new ArrayList<>();
            byTopic.forEach((name, partitions) -> topics.add(new OffsetFetchResponseTopic().setName(name).setPartitions(partitions)));
            response.setTopics(topics).setErrorCode(Errors.NONE.code());
        } else {
            List<OffsetFetchResponseGroup> groups = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestGroup group : data.groups()) {
                groups.add(fetchGroup(group));
            }
            response.setGroups(groups);
        }
        return CompletableFuture.completedFuture(new OffsetFetchResponse(response, context.apiVersion()));
    }

    private OffsetFetchResponseGroup fetchGroup(OffsetFetchRequestData.OffsetFetchRequestGroup group) {
        List<TopicPartition> requested = null;
        if (group.topics() != null) {
            requested = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : group.topics()) {
                for (int index : topic.partitionIndexes()) {
                    requested.add(new TopicPartition(topic.name(), index));
                }
            }
        }
        Errors notHere = coordinator.coordinatorError(group.groupId());
        if (notHere != Errors.NONE) {
            return new OffsetFetchResponseGroup().setGroupId(group.groupId()).setTopics(new ArrayList<>())
                    .setErrorCode(notHere.code());
        }
        Map<String, List<OffsetFetchResponsePartitions>> byTopic = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, CommittedOffset> entry : coordinator.committedOffsets(group.groupId(), requested).entrySet()) {
            CommittedOffset offset = entry.getValue();
            byTopic.computeIfAbsent(entry.getKey().topic(), t -> new ArrayList<>()).add(new OffsetFetchResponsePartitions()
                    .setPartitionIndex(entry.getKey().partition()).setCommittedOffset(offset.offset())
                    .setCommittedLeaderEpoch(offset.leaderEpoch()).setMetadata(offset.metadata())
                    .setErrorCode(Errors.NONE.code()));
        }
        List<OffsetFetchResponseTopics> topics = new ArrayList<>();
        byTopic.forEach((name, partitions) -> topics.add(new OffsetFetchResponseTopics().setName(name).setPartitions(partitions)));
        return new OffsetFetchResponseGroup().setGroupId(group.groupId()).setTopics(topics).setErrorCode(Errors.NONE.code());
    }
}
