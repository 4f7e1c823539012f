package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.transaction.TransactionCoordinator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitRequest;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * TxnOffsetCommit ({@code sendOffsetsToTransaction}): offsets a transactional producer commits for a
 * group, pending in the group coordinator until the transaction ends. As Kafka: WRITE on the
 * transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED), READ on the group (else
 * GROUP_AUTHORIZATION_FAILED), READ on each topic (else TOPIC_AUTHORIZATION_FAILED), which must exist
 * (else UNKNOWN_TOPIC_OR_PARTITION). Where this broker also coordinates the transaction, the group's
 * partition must be in it (AddOffsetsToTxn first; else INVALID_TXN_STATE) with the producer's epoch,
 * as Kafka's verification (KIP-890) does. Versions 0-4: version 5 belongs to transaction.version 2.
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequest> {

    private final GroupCoordinator groups;
    private final TransactionCoordinator transactions;
    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public TxnOffsetCommitHandler(GroupCoordinator groups, TransactionCoordinator transactions, ClusterMetadata metadata,
            RequestAuthorization authorization) {
        this.groups = groups;
        this.transactions = transactions;
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.TXN_OFFSET_COMMIT;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, TxnOffsetCommitRequest request) {
        var data = request.data();
        List<TopicPartition> all = new ArrayList<>();
        data.topics().forEach(topic -> topic.partitions().forEach(p -> all.add(new TopicPartition(topic.name(), p.partitionIndex()))));
        if (!authorization.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, data.transactionalId())) {
            return answer(all, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
        if (!authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, data.groupId())) {
            return answer(all, Errors.GROUP_AUTHORIZATION_FAILED);
        }
        Errors notInTransaction = verify(context.apiVersion(), data.transactionalId(), data.groupId(), data.producerId(),
                data.producerEpoch());
        if (notInTransaction != Errors.NONE) {
            return answer(all, notInTransaction);
        }
        Map<TopicPartition, Errors> results = new HashMap<>();
        List<GroupCoordinator.OffsetToCommit> offsets = new ArrayList<>();
        for (TxnOffsetCommitRequestTopic topic : data.topics()) {
            boolean readable = authorization.authorize(context, AclOperation.READ, ResourceType.TOPIC, topic.name());
            for (TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                if (!readable) {
                    results.put(tp, Errors.TOPIC_AUTHORIZATION_FAILED);
                } else if (metadata.partition(tp.topic(), tp.partition()).isEmpty()) {
                    results.put(tp, Errors.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    offsets.add(new GroupCoordinator.OffsetToCommit(tp, partition.committedOffset(),
                            partition.committedLeaderEpoch(), partition.committedMetadata()));
                }
            }
        }
        if (offsets.isEmpty()) {
            return CompletableFuture.completedFuture(new TxnOffsetCommitResponse(0, results));
        }
        return groups.commitTransactionalOffsets(data.groupId(), data.producerId(), data.producerEpoch(),
                data.generationId(), data.memberId(), data.groupInstanceId(), offsets).thenApply(committed -> {
                    results.putAll(committed);
                    return new TxnOffsetCommitResponse(0, results);
                });
    }

    /** Kafka's check that the group's offsets partition is in the producer's transaction, where that is known here. */
    private Errors verify(short version, String transactionalId, String groupId, long producerId, short producerEpoch) {
        if (transactions.coordinatorError(transactionalId) != Errors.NONE) {
            return Errors.NONE; // coordinated elsewhere: the markers still end whatever is written
        }
        TopicPartition offsets = new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, groups.partitionFor(groupId));
        Errors error = transactions.verifyPartitions(transactionalId, producerId, producerEpoch, List.of(offsets))
                .get(offsets);
        return switch (error) {
            case NONE -> Errors.NONE;
            case TRANSACTION_ABORTABLE -> version < 4 ? Errors.INVALID_TXN_STATE : Errors.TRANSACTION_ABORTABLE;
            case PRODUCER_FENCED -> Errors.INVALID_PRODUCER_EPOCH;
            default -> error;
        };
    }

    private static CompletableFuture<AbstractResponse> answer(List<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> results = new HashMap<>();
        partitions.forEach(tp -> results.put(tp, error));
        return CompletableFuture.completedFuture(new TxnOffsetCommitResponse(0, results));
    }
}
