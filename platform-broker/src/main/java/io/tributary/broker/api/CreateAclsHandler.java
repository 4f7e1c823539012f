package io.tributary.broker.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.server.authorizer.AclCreateResult;

/**
 * CreateAcls: needs ALTER on the cluster; the authorizer validates and stores the ACLs, one result
 * per creation in request order. Without an authorizer, SECURITY_DISABLED.
 */
public final class CreateAclsHandler implements ApiHandler<CreateAclsRequest> {

    private final RequestAuthorization authorization;

    public CreateAclsHandler(RequestAuthorization authorization) {
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_ACLS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, CreateAclsRequest request) {
        Optional<ApiException> refusal = authorization.aclManagementRefusal(context, AclOperation.ALTER);
        if (refusal.isPresent()) {
            return CompletableFuture.completedFuture(request.getErrorResponse(0, refusal.get()));
        }
        List<AclBinding> bindings = request.aclCreations().stream().map(CreateAclsRequest::aclBinding).toList();
        List<AclCreationResult> results = authorization.authorizer().orElseThrow().createAcls(context, bindings).stream()
                .map(CompletionStage::toCompletableFuture).map(CompletableFuture::join)
                .map(CreateAclsHandler::result).toList();
        return CompletableFuture.completedFuture(new CreateAclsResponse(new CreateAclsResponseData().setResults(results)));
    }

    private static AclCreationResult result(AclCreateResult created) {
        AclCreationResult result = new AclCreationResult();
        created.exception().ifPresent(e -> {
            ApiError error = ApiError.fromThrowable(e);
            result.setErrorCode(error.error().code()).setErrorMessage(error.message());
        });
        return result;
    }
}
