package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.TopicPartition;
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

/** OffsetCommit: stores a group's offsets in {@code __consumer_offsets}. */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequest> {

    private final GroupCoordinator coordinator;

    public OffsetCommitHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
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
        List<GroupCoordinator.OffsetToCommit> offsets = new ArrayList<>();
        for (OffsetCommitRequestTopic topic : data.topics()) {
            for (OffsetCommitRequestPartition partition : topic.partitions()) {
                offsets.add(new GroupCoordinator.OffsetToCommit(new TopicPartition(topic.name(), partition.partitionIndex()),
                        partition.committedOffset(), partition.committedLeaderEpoch(), partition.committedMetadata()));
            }
        }
        return coordinator.commitOffsetsAsync(data.groupId(), data.generationIdOrMemberEpoch(), data.memberId(),
                data.groupInstanceId(), offsets).thenApply(results -> response(data, results));
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
