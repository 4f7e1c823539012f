package io.tributary.broker.api;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeAclsRequest;
import org.apache.kafka.common.requests.DescribeAclsResponse;

/**
 * DescribeAcls: needs DESCRIBE on the cluster; answers the ACLs matching the filter, grouped by
 * resource. Without an authorizer, SECURITY_DISABLED.
 */
public final class DescribeAclsHandler implements ApiHandler<DescribeAclsRequest> {

    private final RequestAuthorization authorization;

    public DescribeAclsHandler(RequestAuthorization authorization) {
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_ACLS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeAclsRequest request) {
        DescribeAclsResponseData data = new DescribeAclsResponseData();
        AclBindingFilter filter = request.filter();
        Optional<ApiException> refusal = authorization.aclManagementRefusal(context, AclOperation.DESCRIBE);
        if (refusal.isPresent()) {
            data.setErrorCode(Errors.forException(refusal.get()).code()).setErrorMessage(refusal.get().getMessage());
        } else if (filter.isUnknown()) {
            data.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Unknown ACL filter " + filter);
        } else {
            data.setResources(DescribeAclsResponse.aclsResources(authorization.authorizer().orElseThrow().acls(filter)));
        }
        return CompletableFuture.completedFuture(new DescribeAclsResponse(data, context.apiVersion()));
    }
}
