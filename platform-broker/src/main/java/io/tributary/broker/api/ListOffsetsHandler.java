package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.log.TimestampOffset;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListOffsets: the earliest offset, the latest (the high watermark for consumers), the offset of
 * the first record at or after a timestamp, or the record with the largest timestamp. Searches see
 * only committed records. The principal needs DESCRIBE on each topic (TOPIC_AUTHORIZATION_FAILED
 * for the others' partitions, whether or not they exist), as in Kafka.
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequest> {

    private final PartitionManager partitions;
    private final RequestAuthorization authorization;

    public ListOffsetsHandler(PartitionManager partitions, RequestAuthorization authorization) {
        this.partitions = partitions;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ListOffsetsRequest request) {
        boolean fromFollower = request.data().replicaId() >= 0;
        // v2+: a read_committed consumer sees the partition end at its last stable offset.
        boolean readCommitted = request.data().isolationLevel() == IsolationLevel.READ_COMMITTED.id();
        List<ListOffsetsTopicResponse> topics = new ArrayList<>();
        Predicate<String> describable = authorization.filter(context, AclOperation.DESCRIBE, ResourceType.TOPIC,
                request.data().topics(), ListOffsetsRequestData.ListOffsetsTopic::name, true, true);
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.data().topics()) {
            List<ListOffsetsPartitionResponse> results = new ArrayList<>();
            boolean allowed = describable.test(topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition requested : topic.partitions()) {
                results.add(allowed ? listOffset(new TopicPartition(topic.name(), requested.partitionIndex()), requested,
                        fromFollower, readCommitted, context.apiVersion()) : refused(requested));
            }
            topics.add(new ListOffsetsTopicResponse().setName(topic.name()).setPartitions(results));
        }
        return CompletableFuture.completedFuture(new ListOffsetsResponse(new ListOffsetsResponseData().setTopics(topics)));
    }

    private static ListOffsetsPartitionResponse refused(ListOffsetsRequestData.ListOffsetsPartition requested) {
        return new ListOffsetsPartitionResponse().setPartitionIndex(requested.partitionIndex()).setTimestamp(-1)
                .setOffset(-1).setLeaderEpoch(-1).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    private ListOffsetsPartitionResponse listOffset(TopicPartition topicPartition,
            ListOffsetsRequestData.ListOffsetsPartition requested, boolean fromFollower, boolean readCommitted,
            short version) {
        ListOffsetsPartitionResponse response = new ListOffsetsPartitionResponse()
                .setPartitionIndex(requested.partitionIndex()).setTimestamp(-1).setOffset(-1).setLeaderEpoch(-1);
        Optional<Partition> found = partitions.partition(topicPartition);
        if (found.isEmpty()) {
            return response.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        Partition partition = found.get();
        Errors epochError = partition.checkLeaderEpoch(requested.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            return response.setErrorCode(epochError.code());
        }
        if (!fromFollower && partition.highWatermarkBehindEpochStart()) {
            // As Kafka: a new leader's high watermark may still lag the previous leader's; the client retries.
            // Clients before version 5 do not know OFFSET_NOT_AVAILABLE and retry on LEADER_NOT_AVAILABLE.
            return response.setErrorCode(version >= 5 ? Errors.OFFSET_NOT_AVAILABLE.code()
                    : Errors.LEADER_NOT_AVAILABLE.code());
        }
        PartitionLog log = partition.log();
        long visibleEnd = fromFollower ? log.logEndOffset()
                : readCommitted ? partition.lastStableOffset() : log.highWatermark();
        try {
            long timestamp = requested.timestamp();
            Optional<TimestampOffset> result;
            if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
                result = Optional.of(new TimestampOffset(-1, log.logStartOffset()));
            } else if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
                result = Optional.of(new TimestampOffset(-1, visibleEnd));
            } else if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
                result = log.maxTimestamp().filter(found2 -> found2.offset() < visibleEnd);
            } else if (timestamp >= 0) {
                result = log.offsetForTimestamp(timestamp).filter(match -> match.offset() < visibleEnd);
            } else {
                result = Optional.empty(); // tiered-storage lookups: nothing is tiered here
            }
            response.setErrorCode(Errors.NONE.code());
            result.ifPresent(match -> response.setTimestamp(match.timestamp()).setOffset(match.offset())
                    // Responses carry the leader epoch from v4 on; v1-v3 cannot (librdkafka 2.0 sends v2).
                    .setLeaderEpoch(version >= 4 ? partition.leaderEpoch() : -1));
            return response;
        } catch (RuntimeException e) {
            return response.setErrorCode(ApiErrors.of(e).code());
        }
    }
}
