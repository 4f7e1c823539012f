package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponseCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Produce: appends each partition's batch as leader and answers per partition; with acks=0 no
 * response is sent. Only the partition's leader appends (others answer NOT_LEADER_OR_FOLLOWER).
 * acks=1 is answered after the leader's append; acks=all is refused with NOT_ENOUGH_REPLICAS while
 * the ISR is smaller than {@code min.insync.replicas}, and otherwise answered once every in-sync
 * replica holds the batch (the high watermark passed it) or after the request's timeout with
 * REQUEST_TIMED_OUT. On a single node the ISR is the leader alone, so the append itself satisfies
 * acks=all (after the fsync, when the topic forces one).
 *
 * <p>As in Kafka, the principal needs WRITE on each topic (TOPIC_AUTHORIZATION_FAILED for the
 * partitions of the others, which are not appended, whether or not the topic exists) and, for
 * transactional batches, WRITE on the transactional id. Idempotent producers need nothing more:
 * Kafka 4 asks for IDEMPOTENT_WRITE only in InitProducerId.
 */
public final class ProduceHandler implements ApiHandler<ProduceRequest> {

    private final TopicManager topics;
    private final PartitionManager partitions;
    private final RequestAuthorization authorization;
    private volatile TrafficObserver traffic = TrafficObserver.NONE;

    public ProduceHandler(TopicManager topics, PartitionManager partitions, RequestAuthorization authorization) {
        this.topics = topics;
        this.partitions = partitions;
        this.authorization = authorization;
    }

    /** Who is told the bytes and records appended per topic; {@link TrafficObserver#NONE} by default. */
    public void observeTraffic(TrafficObserver observer) {
        this.traffic = observer == null ? TrafficObserver.NONE : observer;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ProduceRequest request) {
        ProduceRequestData data = request.data();
        short acks = data.acks();
        // Checked only with an authorizer: without one the broker keeps answering such batches as it always has.
        if (authorization.isEnabled() && RequestUtils.hasTransactionalRecords(request)
                && !mayWriteTransactionally(context, data.transactionalId())) {
            return CompletableFuture.completedFuture(
                    request.getErrorResponse(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.exception()));
        }
        TopicProduceResponseCollection responses = new TopicProduceResponseCollection();
        List<CompletableFuture<?>> replications = new ArrayList<>();
        boolean byTopicId = context.apiVersion() >= 13;
        Predicate<String> writable = authorization.isEnabled() ? writableTopics(context, data, byTopicId) : null;
        for (ProduceRequestData.TopicProduceData topicData : data.topicData()) {
            Optional<TopicInfo> topic = byTopicId ? topics.store().topic(topicData.topicId())
                    : topics.store().topic(topicData.name());
            String name = topic.map(TopicInfo::name).orElse(topicData.name());
            // An unknown topic id has no name to authorize: it is answered UNKNOWN_TOPIC_ID, as in Kafka.
            boolean allowed = writable == null || byTopicId && topic.isEmpty() || writable.test(name);
            TopicProduceResponse topicResponse = new TopicProduceResponse().setName(byTopicId ? "" : topicData.name())
                    .setTopicId(byTopicId ? topicData.topicId() : Uuid.ZERO_UUID);
            List<PartitionProduceResponse> partitionResponses = new ArrayList<>(topicData.partitionData().size());
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                partitionResponses.add(allowed
                        ? produce(context, data, topic, name, byTopicId, partitionData, replications)
                        : refused(partitionData));
            }
            topicResponse.setPartitionResponses(partitionResponses);
            responses.add(topicResponse);
        }
        if (acks == 0) {
            return CompletableFuture.completedFuture(null);
        }
        ProduceResponseData response = new ProduceResponseData().setResponses(responses);
        if (replications.isEmpty()) {
            return CompletableFuture.completedFuture(new ProduceResponse(response));
        }
        return CompletableFuture.allOf(replications.toArray(CompletableFuture[]::new))
                .thenApply(done -> new ProduceResponse(response));
    }

    /** Appends one partition's batch; an acks=all produce adds the wait for its replication to {@code replications}. */
    private PartitionProduceResponse produce(RequestContext context, ProduceRequestData data, Optional<TopicInfo> topic,
            String name, boolean byTopicId, ProduceRequestData.PartitionProduceData partitionData,
            List<CompletableFuture<?>> replications) {
        short acks = data.acks();
        PartitionProduceResponse response = new PartitionProduceResponse().setIndex(partitionData.index())
                .setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
        if (acks != 0 && acks != 1 && acks != -1) {
            return response.setErrorCode(Errors.INVALID_REQUIRED_ACKS.code());
        }
        if (topic.isEmpty()) {
            Errors error = byTopicId ? Errors.UNKNOWN_TOPIC_ID : unknownTopicError(name);
            return response.setErrorCode(error.code());
        }
        Optional<Partition> partition = partitions.partition(new TopicPartition(name, partitionData.index()));
        if (partition.isEmpty()) {
            // A partition of the topic without a replica here: the client's metadata is stale.
            boolean elsewhere = partitionData.index() >= 0 && partitionData.index() < topic.get().partitionCount();
            return response.setErrorCode((elsewhere ? Errors.NOT_LEADER_OR_FOLLOWER : Errors.UNKNOWN_TOPIC_OR_PARTITION).code());
        }
        int minInsyncReplicas = topics.configs().minInsyncReplicas(topic.get().configs());
        int inSync = partition.get().inSyncReplicas().size();
        if (acks == -1 && partition.get().isLeader() && inSync < minInsyncReplicas) {
            return response.setErrorCode(Errors.NOT_ENOUGH_REPLICAS.code()).setErrorMessage("The size of the current ISR "
                    + inSync + " is insufficient to satisfy the min.isr requirement of " + minInsyncReplicas);
        }
        try {
            MemoryRecords records = partitionData.records() == null ? MemoryRecords.EMPTY
                    : (MemoryRecords) partitionData.records();
            ProduceRequest.validateRecords(context.apiVersion(), records);
            Partition.ProduceOutcome outcome = partition.get().appendAsLeader(records);
            TrafficObserver observer = traffic;
            if (observer != TrafficObserver.NONE && !outcome.duplicate()) {
                observer.produced(name, records.sizeInBytes(), recordCount(records));
            }
            response.setErrorCode(Errors.NONE.code()).setBaseOffset(outcome.baseOffset())
                    .setLogAppendTimeMs(outcome.logAppendTime()).setLogStartOffset(outcome.logStartOffset());
            if (acks == -1) {
                replications.add(partitions.awaitReplication(partition.get(), outcome.lastOffset(), minInsyncReplicas,
                        data.timeoutMs()).thenAccept(error -> {
                            if (error != Errors.NONE) {
                                response.setErrorCode(error.code()).setErrorMessage(error.message())
                                        .setBaseOffset(-1).setLogAppendTimeMs(-1).setLogStartOffset(-1);
                            }
                        }));
            }
            return response;
        } catch (RuntimeException e) {
            Errors error = ApiErrors.of(e);
            return response.setErrorCode(error.code()).setErrorMessage(ApiErrors.message(e, error));
        }
    }

    private boolean mayWriteTransactionally(RequestContext context, String transactionalId) {
        return transactionalId != null
                && authorization.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId);
    }

    /** The topics the principal may write to, asked in one call, each counted once per partition as Kafka does. */
    private Predicate<String> writableTopics(RequestContext context, ProduceRequestData data, boolean byTopicId) {
        List<String> names = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topicData : data.topicData()) {
            Optional<String> name = byTopicId ? topics.store().topic(topicData.topicId()).map(TopicInfo::name)
                    : Optional.of(topicData.name());
            name.ifPresent(n -> topicData.partitionData().forEach(partition -> names.add(n)));
        }
        return authorization.filter(context, AclOperation.WRITE, ResourceType.TOPIC, names);
    }

    private static PartitionProduceResponse refused(ProduceRequestData.PartitionProduceData partitionData) {
        return new PartitionProduceResponse().setIndex(partitionData.index()).setBaseOffset(-1).setLogAppendTimeMs(-1)
                .setLogStartOffset(-1).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    /** The records in the batches, from their headers. */
    private static long recordCount(MemoryRecords records) {
        long count = 0;
        for (RecordBatch batch : records.batches()) {
            Integer batchCount = batch.countOrNull();
            if (batchCount != null) {
                count += batchCount;
            }
        }
        return count;
    }

    private static Errors unknownTopicError(String name) {
        try {
            io.tributary.broker.metadata.TopicStore.validateName(name);
            return Errors.UNKNOWN_TOPIC_OR_PARTITION;
        } catch (io.tributary.broker.metadata.MetadataException e) {
            return Errors.INVALID_TOPIC_EXCEPTION;
        }
    }
}
