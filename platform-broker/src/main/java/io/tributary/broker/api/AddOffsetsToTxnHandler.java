package io.tributary.broker.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.transaction.TransactionCoordinator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddOffsetsToTxnRequest;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * AddOffsetsToTxn: the group's {@code __consumer_offsets} partition joins the transaction, so that the
 * offsets the producer commits in it (TxnOffsetCommit) get the transaction's marker. As Kafka: WRITE on
 * the transactional id (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED), READ on the group (else
 * GROUP_AUTHORIZATION_FAILED).
 */
public final class AddOffsetsToTxnHandler implements ApiHandler<AddOffsetsToTxnRequest> {

    private final TransactionCoordinator transactions;
    private final GroupCoordinator groups;
    private final RequestAuthorization authorization;

    public AddOffsetsToTxnHandler(TransactionCoordinator transactions, GroupCoordinator groups,
            RequestAuthorization authorization) {
        this.transactions = transactions;
        this.groups = groups;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, AddOffsetsToTxnRequest request) {
        String transactionalId = request.data().transactionalId();
        String groupId = request.data().groupId();
        if (!authorization.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)) {
            return answer(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
        }
        if (!authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, groupId)) {
            return answer(Errors.GROUP_AUTHORIZATION_FAILED);
        }
        groups.ensureOffsetsTopic(); // the partition the marker goes to must exist
        TopicPartition offsets = new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, groups.partitionFor(groupId));
        return transactions.addPartitions(transactionalId, request.data().producerId(), request.data().producerEpoch(),
                List.of(offsets)).thenApply(error -> new AddOffsetsToTxnResponse(new AddOffsetsToTxnResponseData()
                        .setErrorCode((context.apiVersion() < 2 && error == Errors.PRODUCER_FENCED
                                ? Errors.INVALID_PRODUCER_EPOCH : error).code())));
    }

    private static CompletableFuture<AbstractResponse> answer(Errors error) {
        return CompletableFuture.completedFuture(new AddOffsetsToTxnResponse(new AddOffsetsToTxnResponseData()
                .setErrorCode(error.code())));
    }
}
