package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.transaction.TransactionCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.EndTxnRequest;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.TransactionResult;
import org.apache.kafka.common.resource.ResourceType;

/**
 * EndTxn: commits or aborts the producer's transaction; answered once PrepareCommit or PrepareAbort
 * is held, the markers follow. Needs WRITE on the transactional id (else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED). Versions 0-4: version 5 bumps the epoch at every end
 * (KIP-890 part 2, transaction.version 2), which this coordinator does not.
 */
public final class EndTxnHandler implements ApiHandler<EndTxnRequest> {

    private final TransactionCoordinator transactions;
    private final RequestAuthorization authorization;

    public EndTxnHandler(TransactionCoordinator transactions, RequestAuthorization authorization) {
        this.transactions = transactions;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.END_TXN;
    }

    @Override
    public short maxVersion() {
        return 4;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, EndTxnRequest request) {
        String transactionalId = request.data().transactionalId();
        if (!authorization.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)) {
            return CompletableFuture.completedFuture(response(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
        }
        TransactionResult result = request.data().committed() ? TransactionResult.COMMIT : TransactionResult.ABORT;
        return transactions.endTransaction(transactionalId, request.data().producerId(), request.data().producerEpoch(), result)
                .thenApply(error -> response(context.apiVersion() < 2 && error == Errors.PRODUCER_FENCED
                        ? Errors.INVALID_PRODUCER_EPOCH : error));
    }

    private static EndTxnResponse response(Errors error) {
        return new EndTxnResponse(new EndTxnResponseData().setErrorCode(error.code()));
    }
}
