package io.tributary.broker.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ShareGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ShareGroupHeartbeatRequest;
import org.apache.kafka.common.requests.ShareGroupHeartbeatResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ShareGroupHeartbeat (KIP-932): the membership request of share groups ({@code KafkaShareConsumer}), by which
 * members join with an id of their own, receive the partitions they share in, and leave. As in Kafka, it takes
 * READ on the group (else GROUP_AUTHORIZATION_FAILED), and a member may subscribe only to topics it may
 * DESCRIBE (else TOPIC_AUTHORIZATION_FAILED), so that subscribing cannot tell it which topics exist.
 */
public final class ShareGroupHeartbeatHandler implements ApiHandler<ShareGroupHeartbeatRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public ShareGroupHeartbeatHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ShareGroupHeartbeatRequest request) {
        var data = request.data();
        if (!authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, data.groupId())) {
            return error(Errors.GROUP_AUTHORIZATION_FAILED, null);
        }
        List<String> subscribed = data.subscribedTopicNames();
        if (subscribed != null && !subscribed.isEmpty()) {
            Predicate<String> describable = authorization.filter(context, AclOperation.DESCRIBE, ResourceType.TOPIC, subscribed);
            List<String> refused = subscribed.stream().filter(describable.negate()).distinct().sorted().toList();
            if (!refused.isEmpty()) {
                return error(Errors.TOPIC_AUTHORIZATION_FAILED, "Unauthorized topics: " + refused);
            }
        }
        String host = context.clientAddress() == null ? "" : "/" + context.clientAddress().getHostAddress();
        return coordinator.shareGroupHeartbeat(data, context.clientId(), host).thenApply(ShareGroupHeartbeatResponse::new);
    }

    private static CompletableFuture<AbstractResponse> error(Errors error, String message) {
        return CompletableFuture.completedFuture(new ShareGroupHeartbeatResponse(new ShareGroupHeartbeatResponseData()
                .setErrorCode(error.code()).setErrorMessage(message)));
    }
}
