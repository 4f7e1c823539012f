package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * JoinGroup: answered when the join phase of the group's rebalance completes. Joining takes READ on
 * the group (else GROUP_AUTHORIZATION_FAILED), as in Kafka.
 */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public JoinGroupHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, JoinGroupRequest request) {
        if (!authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, request.data().groupId())) {
            return CompletableFuture.completedFuture(request.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED.exception()));
        }
        String host = context.clientAddress() == null ? "" : "/" + context.clientAddress().getHostAddress();
        return coordinator.joinGroup(request.data(), context.clientId(), host, context.apiVersion())
                .thenApply(data -> new JoinGroupResponse(data, context.apiVersion()));
    }
}
