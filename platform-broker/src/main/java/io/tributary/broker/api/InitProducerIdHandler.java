package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.ProducerIdAllocator;
import io.tributary.broker.transaction.TransactionCoordinator;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * InitProducerId for idempotent producers: as Kafka does without a transactional id, every
 * request gets a fresh producer id at epoch 0 (also when a producer asks to bump its epoch after
 * an error). A transactional producer's goes to the {@link TransactionCoordinator} (refused with
 * UNSUPPORTED_VERSION where there is none).
 *
 * <p>As in Kafka 4, a transactional id takes WRITE on it (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
 * an idempotent producer takes IDEMPOTENT_WRITE on the cluster or WRITE on some topic (else
 * CLUSTER_AUTHORIZATION_FAILED).
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequest> {

    private final ProducerIdAllocator producerIds;
    private final RequestAuthorization authorization;
    private final TransactionCoordinator transactions;

    public InitProducerIdHandler(ProducerIdAllocator producerIds, RequestAuthorization authorization) {
        this(producerIds, authorization, null);
    }

    /** @param transactions the transaction coordinator, or null to refuse transactional producers */
    public InitProducerIdHandler(ProducerIdAllocator producerIds, RequestAuthorization authorization,
            TransactionCoordinator transactions) {
        this.producerIds = producerIds;
        this.authorization = authorization;
        this.transactions = transactions;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public short maxVersion() {
        return 5; // as Apache Kafka 4.1: v6 belongs to two-phase-commit transactions (KIP-939)
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, InitProducerIdRequest request) {
        InitProducerIdResponseData data = new InitProducerIdResponseData().setProducerId(-1).setProducerEpoch((short) -1);
        Errors refusal = refusal(context, request.data().transactionalId());
        if (refusal != Errors.NONE) {
            data.setErrorCode(refusal.code());
        } else if (request.data().transactionalId() != null && transactions != null) {
            return initTransactional(context, request);
        } else if (request.data().transactionalId() != null) {
            data.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        } else {
            data.setErrorCode(Errors.NONE.code()).setProducerId(producerIds.nextProducerId()).setProducerEpoch((short) 0);
        }
        return CompletableFuture.completedFuture(new InitProducerIdResponse(data));
    }

    private CompletableFuture<AbstractResponse> initTransactional(RequestContext context, InitProducerIdRequest request) {
        long producerId = request.data().producerId();
        short epoch = request.data().producerEpoch();
        // As Kafka: both or neither of producer id and epoch (v3+, a producer bumping its epoch after an error).
        if ((producerId == RecordBatch.NO_PRODUCER_ID) != (epoch == RecordBatch.NO_PRODUCER_EPOCH)) {
            return CompletableFuture.completedFuture(new InitProducerIdResponse(new InitProducerIdResponseData()
                    .setErrorCode(Errors.INVALID_REQUEST.code()).setProducerId(-1).setProducerEpoch((short) -1)));
        }
        TransactionCoordinator.ProducerIdAndEpoch expected = producerId == RecordBatch.NO_PRODUCER_ID ? null
                : new TransactionCoordinator.ProducerIdAndEpoch(producerId, epoch);
        return transactions.initProducerId(request.data().transactionalId(), request.data().transactionTimeoutMs(), expected)
                .thenApply(result -> {
                    Errors error = context.apiVersion() < 4 && result.error() == Errors.PRODUCER_FENCED
                            ? Errors.INVALID_PRODUCER_EPOCH : result.error();
                    return new InitProducerIdResponse(new InitProducerIdResponseData().setErrorCode(error.code())
                            .setProducerId(result.producerId()).setProducerEpoch(result.producerEpoch()));
                });
    }

    private Errors refusal(RequestContext context, String transactionalId) {
        if (transactionalId != null) {
            return authorization.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)
                    ? Errors.NONE : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        // IDEMPOTENT_WRITE is the old grant: a producer that may write some topic need not hold it,
        // so its absence is not audited.
        boolean allowed = authorization.authorizeCluster(context, AclOperation.IDEMPOTENT_WRITE, true, false)
                || authorization.authorizeByResourceType(context, AclOperation.WRITE, ResourceType.TOPIC);
        return allowed ? Errors.NONE : Errors.CLUSTER_AUTHORIZATION_FAILED;
    }
}
