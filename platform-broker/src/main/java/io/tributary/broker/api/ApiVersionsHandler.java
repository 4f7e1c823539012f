package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;

/**
 * ApiVersions: the version ranges of every API this broker serves. (A request of a version the
 * broker does not know is answered by the network layer, as KIP-511 asks.)
 */
final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequest> {

    private final ApiRouter router;

    ApiVersionsHandler(ApiRouter router) {
        this.router = router;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ApiVersionsRequest request) {
        ApiVersionsResponseData data = new ApiVersionsResponseData()
                .setErrorCode(request.isValid() ? Errors.NONE.code() : Errors.INVALID_REQUEST.code())
                .setApiKeys(router.advertisedVersions())
                .setFinalizedFeaturesEpoch(-1);
        return CompletableFuture.completedFuture(new ApiVersionsResponse(data));
    }
}
