package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ConsumerGroupDescribe (KIP-848): epochs, members, their assignments and targets of consumer groups.
 * A classic group is GROUP_ID_NOT_FOUND here, so that the admin client falls back to DescribeGroups, as
 * Kafka answers. Each group takes DESCRIBE (else GROUP_AUTHORIZATION_FAILED).
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler<ConsumerGroupDescribeRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public ConsumerGroupDescribeHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ConsumerGroupDescribeRequest request) {
        List<DescribedGroup> described = new ArrayList<>();
        for (String groupId : request.data().groupIds()) {
            if (!authorization.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) {
                described.add(new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
                continue;
            }
            DescribedGroup group = coordinator.describeConsumerGroup(groupId);
            if (request.data().includeAuthorizedOperations() && group.errorCode() == Errors.NONE.code()) {
                group.setAuthorizedOperations(authorization.authorizedOperations(context, ResourceType.GROUP, groupId));
            }
            described.add(group);
        }
        return CompletableFuture.completedFuture(new ConsumerGroupDescribeResponse(
                new ConsumerGroupDescribeResponseData().setGroups(described)));
    }
}
