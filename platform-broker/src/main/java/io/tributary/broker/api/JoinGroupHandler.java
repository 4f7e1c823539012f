package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;

/** JoinGroup: answered when the join phase of the group's rebalance completes. */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequest> {

    private final GroupCoordinator coordinator;

    public JoinGroupHandler(GroupCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, JoinGroupRequest request) {
        String host = context.clientAddress() == null ? "" : "/" + context.clientAddress().getHostAddress();
        return coordinator.joinGroup(request.data(), context.clientId(), host, context.apiVersion())
                .thenApply(data -> new JoinGroupResponse(data, context.apiVersion()));
    }
}
