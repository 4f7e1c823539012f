package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.metadata.TopicInfo;
import io.tributary.broker.partition.Partition;
import io.tributary.broker.partition.PartitionManager;
import io.tributary.broker.partition.TopicManager;
import io.tributary.broker.transaction.TransactionVerifier;
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
 *
 * <p>With a {@link TransactionVerifier} (KIP-890 part 1, as Kafka 4 does by default), the first batch of
 * a producer's transaction in a partition is appended only once the transaction coordinator confirms
 * the partition is in the producer's ongoing transaction; otherwise the partition is answered
 * TRANSACTION_ABORTABLE (INVALID_TXN_STATE before v11), INVALID_PRODUCER_EPOCH for a fenced producer, or
 * NOT_ENOUGH_REPLICAS (retriable) while the coordinator cannot be asked.
 */
public final class ProduceHandler implements ApiHandler<ProduceRequest> {

    private final TopicManager topics;
    private final PartitionManager partitions;
    private final RequestAuthorization authorization;
    private volatile TrafficObserver traffic = TrafficObserver.NONE;
    private final TransactionVerifier verifier;
    private volatile boolean acknowledgeWithoutStoring;

    public ProduceHandler(TopicManager topics, PartitionManager partitions, RequestAuthorization authorization) {
        this(topics, partitions, authorization, null);
    }

    /** @param verifier checks a transaction's first batch in a partition with its coordinator; null not to */
    public ProduceHandler(TopicManager topics, PartitionManager partitions, RequestAuthorization authorization,
            TransactionVerifier verifier) {
        this.topics = topics;
        this.partitions = partitions;
        this.authorization = authorization;
        this.verifier = verifier;
    }

    /** Who is told the bytes and records appended per topic; {@link TrafficObserver#NONE} by default. */
    public void observeTraffic(TrafficObserver observer) {
        this.traffic = observer == null ? TrafficObserver.NONE : observer;
    }

    /**
     * For benchmarks only ({@code tributary.broker.bench-acknowledge-without-storing}): every batch a
     * partition's leader would append is answered as appended, at offset -1, and dropped.
     */
    public void acknowledgeWithoutStoring() {
        this.acknowledgeWithoutStoring = true;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ProduceRequest request) {
        ProduceRequestData data = request.data();
        // Checked only with an authorizer: without one the broker keeps answering such batches as it always has.
        if (authorization.isEnabled() && RequestUtils.hasTransactionalRecords(request)
                && !mayWriteTransactionally(context, data.transactionalId())) {
            return CompletableFuture.completedFuture(
                    request.getErrorResponse(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.exception()));
        }
        if (verifier != null && RequestUtils.hasTransactionalRecords(request)) {
            List<TopicPartition> unverified = new ArrayList<>();
            short[] producerEpoch = {RecordBatch.NO_PRODUCER_EPOCH};
            long producerId = firstTransactionalBatches(data, context.apiVersion() >= 13, unverified, producerEpoch);
            if (!unverified.isEmpty()) {
                return verifier.verify(data.transactionalId(), producerId, producerEpoch[0], unverified)
                        .thenCompose(verified -> append(context, request, refusals(verified, context.apiVersion())));
            }
        }
        return append(context, request, Map.of());
    }

    /**
     * The partitions led here whose batch would open the producer's transaction there (it has none
     * open yet), into {@code unverified}; returns the producer id (and its epoch into {@code epoch}).
     */
    private long firstTransactionalBatches(ProduceRequestData data, boolean byTopicId, List<TopicPartition> unverified,
            short[] epoch) {
        long producerId = RecordBatch.NO_PRODUCER_ID;
        for (ProduceRequestData.TopicProduceData topicData : data.topicData()) {
            Optional<String> name = byTopicId ? topics.store().topic(topicData.topicId()).map(TopicInfo::name)
                    : Optional.of(topicData.name());
            if (name.isEmpty()) {
                continue;
            }
            for (ProduceRequestData.PartitionProduceData partitionData : topicData.partitionData()) {
                if (!(partitionData.records() instanceof MemoryRecords records)) {
                    continue;
                }
                Iterator<? extends RecordBatch> batches = records.batches().iterator();
                if (!batches.hasNext()) {
                    continue;
                }
                RecordBatch first = batches.next();
                TopicPartition tp = new TopicPartition(name.get(), partitionData.index());
                Optional<Partition> partition = partitions.partition(tp);
                if (first.isTransactional() && partition.isPresent() && partition.get().isLeader()
                        && !partition.get().hasOngoingTransaction(first.producerId())) {
                    unverified.add(tp);
                    producerId = first.producerId();
                    epoch[0] = first.producerEpoch();
                }
            }
        }
        return producerId;
    }

    /** What the coordinator's answers become in a produce response, as Kafka maps them. */
    private static Map<TopicPartition, Errors> refusals(Map<TopicPartition, Errors> verified, short version) {
        Map<TopicPartition, Errors> refusals = new java.util.HashMap<>();
        verified.forEach((tp, error) -> {
            Errors refusal = switch (error) {
                case NONE -> Errors.NONE;
                case TRANSACTION_ABORTABLE, INVALID_TXN_STATE -> version >= 11 ? Errors.TRANSACTION_ABORTABLE
                        : Errors.INVALID_TXN_STATE;
                case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
                case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, CONCURRENT_TRANSACTIONS ->
                        Errors.NOT_ENOUGH_REPLICAS;
                default -> error;
            };
            if (refusal != Errors.NONE) {
                refusals.put(tp, refusal);
            }
        });
        return refusals;
    }

    /** Appends every partition's batch but those refused ({@code refusals}: by their transaction's coordinator). */
    private CompletableFuture<AbstractResponse> append(RequestContext context, ProduceRequest request,
            Map<TopicPartition, Errors> refusals) {
        ProduceRequestData data = request.data();
        short acks = data.acks();
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
                Errors refusal = refusals.isEmpty() ? Errors.NONE
                        : refusals.getOrDefault(new TopicPartition(name, partitionData.index()), Errors.NONE);
                partitionResponses.add(!allowed ? refused(partitionData)
                        : refusal != Errors.NONE ? refused(partitionData, refusal)
                        : produce(context, data, topic, name, byTopicId, partitionData, replications));
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
            if (acknowledgeWithoutStoring && partition.get().isLeader()) {
                return response.setErrorCode(Errors.NONE.code());
            }
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
        return refused(partitionData, Errors.TOPIC_AUTHORIZATION_FAILED);
    }

    private static PartitionProduceResponse refused(ProduceRequestData.PartitionProduceData partitionData, Errors error) {
        return new PartitionProduceResponse().setIndex(partitionData.index()).setBaseOffset(-1).setLogAppendTimeMs(-1)
                .setLogStartOffset(-1).setErrorCode(error.code()).setErrorMessage(error.message());
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
