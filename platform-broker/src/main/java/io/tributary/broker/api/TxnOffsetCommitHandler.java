package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.metadata.ClusterMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * TxnOffsetCommit: a transactional producer commits a group's offsets inside its transaction
 * ({@code sendOffsetsToTransaction}); they take effect when the transaction commits. As in Kafka it
 * takes WRITE on the transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED for every partition),
 * READ on the group (else GROUP_AUTHORIZATION_FAILED) and READ on each topic (else
 * TOPIC_AUTHORIZATION_FAILED for its partitions); a topic that does not exist is
 * UNKNOWN_TOPIC_OR_PARTITION, and nothing refused is committed. With a transaction verifier (KIP-890),
 * the transaction coordinator must still have the group's offsets partition in the producer's
 * transaction (else TRANSACTION_ABORTABLE, INVALID_TXN_STATE before v4).
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequest> {

    private final GroupCoordinator coordinator;
    private final ClusterMetadata topics;
    private final RequestAuthorization authorization;
    private final io.tributary.broker.transaction.TransactionVerifier verifier;

    public TxnOffsetCommitHandler(GroupCoordinator coordinator, ClusterMetadata topics, RequestAuthorization authorization) {
        this(coordinator, topics, authorization, null);
    }

    /**
     * @param verifier asks the transaction coordinator whether the group's offsets partition is in the
     *                 producer's transaction before anything is written (KIP-890); null not to
     */
    public TxnOffsetCommitHandler(GroupCoordinator coordinator, ClusterMetadata topics, RequestAuthorization authorization,
            io.tributary.broker.transaction.TransactionVerifier verifier) {
        this.coordinator = coordinator;
        this.topics = topics;
        this.authorization = authorization;
        this.verifier = verifier;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    /** v5 means transactions version 2 (KIP-890 part 2), where the commit also adds the group's partition: not served. */
    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, TxnOffsetCommitRequest request) {
        TxnOffsetCommitRequestData data = request.data();
        if (!authorization.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, data.transactionalId())) {
            return CompletableFuture.completedFuture(allFailed(data, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        if (!authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, data.groupId())) {
            return CompletableFuture.completedFuture(allFailed(data, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        Predicate<String> readable = authorization.filter(context, AclOperation.READ, ResourceType.TOPIC, data.topics(),
                TxnOffsetCommitRequestTopic::name, true, true);
        List<GroupCoordinator.OffsetToCommit> offsets = new ArrayList<>();
        Map<TopicPartition, Errors> refused = new HashMap<>();
        for (TxnOffsetCommitRequestTopic topic : data.topics()) {
            Errors topicError = !readable.test(topic.name()) ? Errors.TOPIC_AUTHORIZATION_FAILED
                    : topics.topic(topic.name()).isEmpty() ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.NONE;
            for (TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                if (topicError != Errors.NONE) {
                    refused.put(tp, topicError);
                } else {
                    offsets.add(new GroupCoordinator.OffsetToCommit(tp, partition.committedOffset(),
                            partition.committedLeaderEpoch(), partition.committedMetadata()));
                }
            }
        }
        if (offsets.isEmpty()) {
            return CompletableFuture.completedFuture(response(data, refused));
        }
        if (verifier != null) {
            // A commit arriving after its transaction ended (a retry across a failover, a zombie) would leave
            // offsets pending that no marker ever resolves: the coordinator must still have the partition in it.
            TopicPartition offsetsPartition = new TopicPartition(GroupCoordinator.OFFSETS_TOPIC,
                    coordinator.partitionFor(data.groupId()));
            return verifier.verify(data.transactionalId(), data.producerId(), data.producerEpoch(), List.of(offsetsPartition))
                    .thenCompose(verified -> {
                        Errors refusal = refusal(verified.getOrDefault(offsetsPartition, Errors.UNKNOWN_SERVER_ERROR),
                                context.apiVersion());
                        return refusal != Errors.NONE ? CompletableFuture.completedFuture(allFailed(data, refusal))
                                : commit(data, offsets, refused);
                    });
        }
        return commit(data, offsets, refused);
    }

    /** What the transaction coordinator's answer becomes here, as Kafka maps it for TxnOffsetCommit. */
    private static Errors refusal(Errors verified, short version) {
        return switch (verified) {
            case NONE -> Errors.NONE;
            case TRANSACTION_ABORTABLE, INVALID_TXN_STATE -> version >= 4 ? Errors.TRANSACTION_ABORTABLE
                    : Errors.INVALID_TXN_STATE;
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            // Retried by the client with the same group coordinator.
            case COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, CONCURRENT_TRANSACTIONS ->
                    Errors.COORDINATOR_LOAD_IN_PROGRESS;
            default -> verified;
        };
    }

    private CompletableFuture<AbstractResponse> commit(TxnOffsetCommitRequestData data,
            List<GroupCoordinator.OffsetToCommit> offsets, Map<TopicPartition, Errors> refused) {
        return coordinator.commitTransactionalOffsetsAsync(data.groupId(), data.producerId(), data.producerEpoch(),
                data.generationId(), data.memberId(), data.groupInstanceId(), offsets).thenApply(results -> {
                    Map<TopicPartition, Errors> all = new HashMap<>(results);
                    all.putAll(refused);
                    return response(data, all);
                });
    }

    private static AbstractResponse allFailed(TxnOffsetCommitRequestData data, Errors error) {
        Map<TopicPartition, Errors> results = new HashMap<>();
        data.topics().forEach(topic -> topic.partitions().forEach(
                partition -> results.put(new TopicPartition(topic.name(), partition.partitionIndex()), error)));
        return response(data, results);
    }

    private static AbstractResponse response(TxnOffsetCommitRequestData data, Map<TopicPartition, Errors> results) {
        List<TxnOffsetCommitResponseTopic> topics = new ArrayList<>();
        for (TxnOffsetCommitRequestTopic topic : data.topics()) {
            List<TxnOffsetCommitResponsePartition> partitions = new ArrayList<>();
            for (TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                Errors error = results.getOrDefault(new TopicPartition(topic.name(), partition.partitionIndex()), Errors.NONE);
                partitions.add(new TxnOffsetCommitResponsePartition().setPartitionIndex(partition.partitionIndex())
                        .setErrorCode(error.code()));
            }
            topics.add(new TxnOffsetCommitResponseTopic().setName(topic.name()).setPartitions(partitions));
        }
        return new TxnOffsetCommitResponse(new TxnOffsetCommitResponseData().setTopics(topics));
    }
}
