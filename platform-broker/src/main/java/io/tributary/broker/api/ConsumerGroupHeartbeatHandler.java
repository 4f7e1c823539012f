package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ConsumerGroupHeartbeat (KIP-848): the one request of the consumer rebalance protocol
 * ({@code group.protocol=consumer}), by which members join, report what they own, receive their
 * assignment and leave. It takes READ on the group (else GROUP_AUTHORIZATION_FAILED), as in Kafka.
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler<ConsumerGroupHeartbeatRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ConsumerGroupHeartbeatRequest request) {
        var data = request.data();
        if (!authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, data.groupId())) {
            return CompletableFuture.completedFuture(new ConsumerGroupHeartbeatResponse(new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
        }
        String host = context.clientAddress() == null ? "" : "/" + context.clientAddress().getHostAddress();
        return coordinator.consumerGroupHeartbeat(data, context.clientId(), host, context.apiVersion())
                .thenApply(ConsumerGroupHeartbeatResponse::new);
    }
}
