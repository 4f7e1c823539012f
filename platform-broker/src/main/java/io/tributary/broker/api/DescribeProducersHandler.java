package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.ProducerView;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeProducersResponseData.PartitionResponse;
import org.apache.kafka.common.message.DescribeProducersResponseData.ProducerState;
import org.apache.kafka.common.message.DescribeProducersResponseData.TopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeProducersRequest;
import org.apache.kafka.common.requests.DescribeProducersResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeProducers (KIP-664): the active idempotent and transactional producers of partitions this
 * broker leads, with their epoch, last sequence and timestamp, the coordinator epoch of their last
 * marker and where their open transaction started, so that {@code kafka-transactions} can find a
 * hanging transaction. As in Kafka, READ on the topic is needed (TOPIC_AUTHORIZATION_FAILED for each
 * partition otherwise), and only the leader answers (NOT_LEADER_OR_FOLLOWER on a follower).
 */
public final class DescribeProducersHandler implements ApiHandler<DescribeProducersRequest> {

    private final PartitionManager partitions;
    private final RequestAuthorization authorization;

    public DescribeProducersHandler(PartitionManager partitions, RequestAuthorization authorization) {
        this.partitions = partitions;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_PRODUCERS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeProducersRequest request) {
        Predicate<String> readable = authorization.filter(context, AclOperation.READ, ResourceType.TOPIC,
                request.data().topics(), DescribeProducersRequestData.TopicRequest::name, true, true);
        List<TopicResponse> topics = new ArrayList<>();
        for (DescribeProducersRequestData.TopicRequest topic : request.data().topics()) {
            boolean allowed = readable.test(topic.name());
            List<PartitionResponse> results = new ArrayList<>();
            for (int index : topic.partitionIndexes()) {
                PartitionResponse result = new PartitionResponse().setPartitionIndex(index);
                results.add(allowed ? describe(new TopicPartition(topic.name(), index), result)
                        : result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
            topics.add(new TopicResponse().setName(topic.name()).setPartitions(results));
        }
        return CompletableFuture.completedFuture(
                new DescribeProducersResponse(new DescribeProducersResponseData().setTopics(topics)));
    }

    private PartitionResponse describe(TopicPartition topicPartition, PartitionResponse result) {
        Optional<Partition> partition = partitions.partition(topicPartition);
        if (partition.isEmpty()) {
            return result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        if (!partition.get().isLeader()) {
            return result.setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code());
        }
        List<ProducerState> producers = new ArrayList<>();
        for (ProducerView producer : partition.get().producerStates()) {
            producers.add(new ProducerState().setProducerId(producer.producerId()).setProducerEpoch(producer.epoch())
                    .setLastSequence(producer.lastSequence()).setLastTimestamp(producer.lastTimestamp())
                    .setCoordinatorEpoch(producer.coordinatorEpoch())
                    .setCurrentTxnStartOffset(producer.currentTxnStartOffset()));
        }
        return result.setErrorCode(Errors.NONE.code()).setActiveProducers(producers);
    }
}
