package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.transaction.TransactionCoordinator;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnRequest;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * AddPartitionsToTxn: a producer's (v0-3, one transaction) or a partition leader's (v4+, batched, and
 * verify-only for KIP-890's check of a transactional produce). As Kafka: v0-3 take WRITE on the
 * transactional id, v4+ CLUSTER_ACTION; every topic takes WRITE (else TOPIC_AUTHORIZATION_FAILED) and
 * must exist (else UNKNOWN_TOPIC_OR_PARTITION), and if any partition is refused the others get
 * OPERATION_NOT_ATTEMPTED and nothing is added.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler<AddPartitionsToTxnRequest> {

    private final TransactionCoordinator transactions;
    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public AddPartitionsToTxnHandler(TransactionCoordinator transactions, ClusterMetadata metadata,
            RequestAuthorization authorization) {
        this.transactions = transactions;
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, AddPartitionsToTxnRequest request) {
        short version = context.apiVersion();
        AddPartitionsToTxnResponseData data = new AddPartitionsToTxnResponseData();
        if (version >= 4 && !authorization.authorizeCluster(context, AclOperation.CLUSTER_ACTION)) {
            return CompletableFuture.completedFuture(new AddPartitionsToTxnResponse(
                    data.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())));
        }
        List<CompletableFuture<AddPartitionsToTxnResponseData.AddPartitionsToTxnResult>> results = new ArrayList<>();
        // Versions 0-3 carry one transaction in their own fields; normalizeRequest() turns those into the v4+ form.
        AddPartitionsToTxnRequest batched = version < 4 ? request.normalizeRequest() : request;
        for (AddPartitionsToTxnTransaction transaction : batched.data().transactions()) {
            results.add(handle(context, version, transaction));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            if (version < 4) {
                data.setResultsByTopicV3AndBelow(results.get(0).join().topicResults());
            } else {
                results.forEach(result -> data.resultsByTransaction().add(result.join()));
            }
            return new AddPartitionsToTxnResponse(data);
        });
    }

    private CompletableFuture<AddPartitionsToTxnResponseData.AddPartitionsToTxnResult> handle(RequestContext context,
            short version, AddPartitionsToTxnTransaction transaction) {
        String transactionalId = transaction.transactionalId();
        List<TopicPartition> partitions = AddPartitionsToTxnRequest.getPartitions(transaction.topics());
        Map<TopicPartition, Errors> errors = new HashMap<>();
        if (version < 4 && !authorization.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID,
                transactionalId)) {
            partitions.forEach(tp -> errors.put(tp, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
            return done(transactionalId, errors);
        }
        boolean refused = false;
        for (TopicPartition tp : partitions) {
            Errors error = !authorization.authorize(context, AclOperation.WRITE, ResourceType.TOPIC, tp.topic())
                    ? Errors.TOPIC_AUTHORIZATION_FAILED
                    : metadata.partition(tp.topic(), tp.partition()).isEmpty() ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                    : Errors.NONE;
            if (error != Errors.NONE) {
                errors.put(tp, error);
                refused = true;
            }
        }
        if (refused) {
            partitions.forEach(tp -> errors.putIfAbsent(tp, Errors.OPERATION_NOT_ATTEMPTED));
            return done(transactionalId, errors);
        }
        if (transaction.verifyOnly()) {
            transactions.verifyPartitions(transactionalId, transaction.producerId(), transaction.producerEpoch(), partitions)
                    .forEach((tp, error) -> errors.put(tp, version < 5 && error == Errors.TRANSACTION_ABORTABLE
                            ? Errors.INVALID_TXN_STATE : error));
            return done(transactionalId, errors);
        }
        return transactions.addPartitions(transactionalId, transaction.producerId(), transaction.producerEpoch(), partitions)
                .thenApply(error -> {
                    Errors answered = version < 2 && error == Errors.PRODUCER_FENCED ? Errors.INVALID_PRODUCER_EPOCH : error;
                    partitions.forEach(tp -> errors.put(tp, answered));
                    return AddPartitionsToTxnResponse.resultForTransaction(transactionalId, errors);
                });
    }

    private static CompletableFuture<AddPartitionsToTxnResponseData.AddPartitionsToTxnResult> done(String transactionalId,
            Map<TopicPartition, Errors> errors) {
        return CompletableFuture.completedFuture(AddPartitionsToTxnResponse.resultForTransaction(transactionalId, errors));
    }
}
