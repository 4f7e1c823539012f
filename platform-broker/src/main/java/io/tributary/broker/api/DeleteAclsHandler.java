package io.tributary.broker.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;

/**
 * DeleteAcls: needs ALTER on the cluster; removes the ACLs matching each filter and answers, per
 * filter, those it removed. Without an authorizer, SECURITY_DISABLED.
 */
public final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequest> {

    private final RequestAuthorization authorization;

    public DeleteAclsHandler(RequestAuthorization authorization) {
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteAclsRequest request) {
        Optional<ApiException> refusal = authorization.aclManagementRefusal(context, AclOperation.ALTER);
        if (refusal.isPresent()) {
            return CompletableFuture.completedFuture(request.getErrorResponse(0, refusal.get()));
        }
        List<DeleteAclsFilterResult> results = authorization.authorizer().orElseThrow().deleteAcls(context, request.filters()).stream()
                .map(CompletionStage::toCompletableFuture).map(CompletableFuture::join)
                .map(DeleteAclsResponse::filterResult).toList();
        return CompletableFuture.completedFuture(
                new DeleteAclsResponse(new DeleteAclsResponseData().setFilterResults(results), context.apiVersion()));
    }
}
