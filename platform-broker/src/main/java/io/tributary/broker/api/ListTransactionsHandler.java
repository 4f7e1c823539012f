package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.transaction.TransactionCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListTransactionsRequest;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListTransactions ({@code kafka-transactions.sh list}): the transactional ids this broker coordinates,
 * filtered by state, producer id, duration (v1) and id pattern (v2); only ids the caller may DESCRIBE.
 */
public final class ListTransactionsHandler implements ApiHandler<ListTransactionsRequest> {

    private final TransactionCoordinator transactions;
    private final RequestAuthorization authorization;

    public ListTransactionsHandler(TransactionCoordinator transactions, RequestAuthorization authorization) {
        this.transactions = transactions;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ListTransactionsRequest request) {
        ListTransactionsResponseData data = transactions.list(request.data().stateFilters(),
                request.data().producerIdFilters(), request.data().durationFilter(), request.data().transactionalIdPattern());
        data.transactionStates().removeIf(state -> !authorization.authorize(context, AclOperation.DESCRIBE,
                ResourceType.TRANSACTIONAL_ID, state.transactionalId()));
        return CompletableFuture.completedFuture(new ListTransactionsResponse(data));
    }
}
