package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Heartbeat: keeps a member's session alive and tells it when a rebalance began. It takes READ on
 * the group (else GROUP_AUTHORIZATION_FAILED), as in Kafka.
 */
public final class HeartbeatHandler implements ApiHandler<HeartbeatRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public HeartbeatHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, HeartbeatRequest request) {
        if (!authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, request.data().groupId())) {
            return CompletableFuture.completedFuture(request.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED.exception()));
        }
        var data = request.data();
        var error = coordinator.heartbeat(data.groupId(), data.memberId(), data.groupInstanceId(), data.generationId());
        return CompletableFuture.completedFuture(new HeartbeatResponse(new HeartbeatResponseData().setErrorCode(error.code())));
    }
}
