package io.tributary.broker.api;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.log.PartitionLog;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResultCollection;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResultCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteRecords: moves a partition's log start offset forward (-1 means up to the high watermark), on
 * the partition's leader only: as in Kafka, a broker that does not lead it — a follower, or one without
 * a replica of a partition the cluster has — answers NOT_LEADER_OR_FOLLOWER, so the client asks the
 * leader; the followers take the new log start offset from the leader when they fetch. The principal
 * needs DELETE on each topic (TOPIC_AUTHORIZATION_FAILED for the others' partitions, which keep their
 * records), as in Kafka.
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequest> {

    private final PartitionManager partitions;
    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public DeleteRecordsHandler(PartitionManager partitions, ClusterMetadata metadata, RequestAuthorization authorization) {
        this.partitions = partitions;
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteRecordsRequest request) {
        DeleteRecordsTopicResultCollection topics = new DeleteRecordsTopicResultCollection();
        Predicate<String> deletable = authorization.filter(context, AclOperation.DELETE, ResourceType.TOPIC,
                request.data().topics(), DeleteRecordsRequestData.DeleteRecordsTopic::name, true, true);
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.data().topics()) {
            DeleteRecordsPartitionResultCollection results = new DeleteRecordsPartitionResultCollection();
            boolean allowed = deletable.test(topic.name());
            for (DeleteRecordsRequestData.DeleteRecordsPartition requested : topic.partitions()) {
                if (allowed) {
                    results.add(delete(new TopicPartition(topic.name(), requested.partitionIndex()), requested.offset()));
                } else {
                    results.add(new DeleteRecordsPartitionResult().setPartitionIndex(requested.partitionIndex())
                            .setLowWatermark(-1).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                }
            }
            topics.add(new DeleteRecordsTopicResult().setName(topic.name()).setPartitions(results));
        }
        return CompletableFuture.completedFuture(new DeleteRecordsResponse(new DeleteRecordsResponseData().setTopics(topics)));
    }

    private DeleteRecordsPartitionResult delete(TopicPartition topicPartition, long offset) {
        DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult()
                .setPartitionIndex(topicPartition.partition()).setLowWatermark(-1);
        Optional<Partition> partition = partitions.partition(topicPartition);
        if (partition.isEmpty()) {
            boolean elsewhere = metadata.partition(topicPartition.topic(), topicPartition.partition()).isPresent();
            return result.setErrorCode((elsewhere ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
        }
        if (!partition.get().isLeader()) {
            return result.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
        }
        PartitionLog log = partition.get().log();
        long target = offset == DeleteRecordsRequest.HIGH_WATERMARK ? log.highWatermark() : offset;
        if (target < 0 || target > log.highWatermark()) {
            return result.setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code());
        }
        try {
            log.advanceLogStartOffset(target);
            return result.setErrorCode(Errors.NONE.code()).setLowWatermark(log.logStartOffset());
        } catch (RuntimeException e) {
            return result.setErrorCode(ApiErrors.of(e).code());
        }
    }
}
