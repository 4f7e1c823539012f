package io.tributary.broker.api;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteAclsRequest;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.server.authorizer.Authorizer;

/**
 * DeleteAcls: needs ALTER on the cluster; removes the ACLs matching each filter and answers, per
 * filter, those it removed. Without an authorizer, SECURITY_DISABLED.
 */
public final class DeleteAclsHandler implements ApiHandler<DeleteAclsRequest> {

    private final Optional<Authorizer> authorizer;
    private final RequestAuthorization authorization;

    public DeleteAclsHandler(RequestAuthorization authorization) {
        this.authorizer = authorization.authorizer();
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteAclsRequest request) {
        if (!authorization.authorizeCluster(context, AclOperation.ALTER)) {
            return CompletableFuture.completedFuture(
                    request.getErrorResponse(0, RequestAuthorization.clusterRefusal(context, AclOperation.ALTER)));
        }
        if (authorizer.isEmpty()) {
            return CompletableFuture.completedFuture(
                    request.getErrorResponse(0, new SecurityDisabledException("No Authorizer is configured.")));
        }
        List<DeleteAclsFilterResult> results = authorizer.get().deleteAcls(context, request.filters()).stream()
                .map(CompletionStage::toCompletableFuture).map(CompletableFuture::join)
                .map(DeleteAclsResponse::filterResult).toList();
        return CompletableFuture.completedFuture(
                new DeleteAclsResponse(new DeleteAclsResponseData().setFilterResults(results), context.apiVersion()));
    }
}
