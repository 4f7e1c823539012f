package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.MetadataException;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.UnregisterBrokerResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.UnregisterBrokerRequest;
import org.apache.kafka.common.requests.UnregisterBrokerResponse;

/**
 * UnregisterBroker, what {@code kafka-cluster unregister} and AdminClient {@code unregisterBroker}
 * send: forgets a retired broker, which must be stopped and hold no replica (drain it first).
 * BROKER_ID_NOT_REGISTERED for an unknown id; needs ALTER on the cluster, as in Kafka.
 */
public final class UnregisterBrokerHandler implements ApiHandler<UnregisterBrokerRequest> {

    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public UnregisterBrokerHandler(ClusterMetadata metadata, RequestAuthorization authorization) {
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.UNREGISTER_BROKER;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, UnregisterBrokerRequest request) {
        if (!authorization.authorizeCluster(context, AclOperation.ALTER)) {
            return CompletableFuture.completedFuture(
                    request.getErrorResponse(0, RequestAuthorization.clusterRefusal(context, AclOperation.ALTER)));
        }
        UnregisterBrokerResponseData data = new UnregisterBrokerResponseData().setErrorCode(Errors.NONE.code());
        try {
            metadata.unregisterBroker(request.data().brokerId());
        } catch (MetadataException e) {
            data.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
        }
        return CompletableFuture.completedFuture(new UnregisterBrokerResponse(data));
    }
}
