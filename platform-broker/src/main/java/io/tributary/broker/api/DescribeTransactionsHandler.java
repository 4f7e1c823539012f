package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.transaction.TransactionCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeTransactionsRequest;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeTransactions ({@code kafka-transactions.sh describe}): state, producer, timeout, start and
 * partitions of each transactional id this broker coordinates. As Kafka: DESCRIBE on the id (else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED), and only the partitions of topics the caller may DESCRIBE.
 */
public final class DescribeTransactionsHandler implements ApiHandler<DescribeTransactionsRequest> {

    private final TransactionCoordinator transactions;
    private final RequestAuthorization authorization;

    public DescribeTransactionsHandler(TransactionCoordinator transactions, RequestAuthorization authorization) {
        this.transactions = transactions;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeTransactionsRequest request) {
        DescribeTransactionsResponseData data = new DescribeTransactionsResponseData();
        for (String transactionalId : request.data().transactionalIds()) {
            if (!authorization.authorize(context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, transactionalId)) {
                data.transactionStates().add(new DescribeTransactionsResponseData.TransactionState()
                        .setTransactionalId(transactionalId).setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
                continue;
            }
            DescribeTransactionsResponseData.TransactionState described = transactions.describe(transactionalId);
            described.topics().removeIf(topic -> !authorization.authorize(context, AclOperation.DESCRIBE,
                    ResourceType.TOPIC, topic.topic()));
            data.transactionStates().add(described);
        }
        return CompletableFuture.completedFuture(new DescribeTransactionsResponse(data));
    }
}
