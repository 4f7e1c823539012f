package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SyncGroupRequest;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * SyncGroup: the leader hands in the assignment; every member gets its part. It takes READ on the
 * group (else GROUP_AUTHORIZATION_FAILED), as in Kafka.
 */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public SyncGroupHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, SyncGroupRequest request) {
        if (!authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, request.data().groupId())) {
            return CompletableFuture.completedFuture(request.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED.exception()));
        }
        return coordinator.syncGroup(request.data()).thenApply(SyncGroupResponse::new);
    }
}
