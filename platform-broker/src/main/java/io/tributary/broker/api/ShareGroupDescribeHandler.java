package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData;
import org.apache.kafka.common.message.ShareGroupDescribeResponseData.DescribedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ShareGroupDescribeRequest;
import org.apache.kafka.common.requests.ShareGroupDescribeResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ShareGroupDescribe (KIP-932): epochs, members, their subscriptions and assignments of share groups; a group of
 * another type is GROUP_ID_NOT_FOUND. As in Kafka, each group takes DESCRIBE (else GROUP_AUTHORIZATION_FAILED),
 * and a group whose members are assigned a topic the principal may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED,
 * its members left out.
 */
public final class ShareGroupDescribeHandler implements ApiHandler<ShareGroupDescribeRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public ShareGroupDescribeHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SHARE_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ShareGroupDescribeRequest request) {
        List<DescribedGroup> described = new ArrayList<>();
        for (String groupId : request.data().groupIds()) {
            if (!authorization.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) {
                described.add(new DescribedGroup().setGroupId(groupId).setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
                continue;
            }
            DescribedGroup group = coordinator.describeShareGroup(groupId);
            if (group.errorCode() == Errors.NONE.code()) {
                hideUndescribableTopics(context, group);
            }
            if (request.data().includeAuthorizedOperations() && group.errorCode() == Errors.NONE.code()) {
                group.setAuthorizedOperations(authorization.authorizedOperations(context, ResourceType.GROUP, groupId));
            }
            described.add(group);
        }
        return CompletableFuture.completedFuture(new ShareGroupDescribeResponse(
                new ShareGroupDescribeResponseData().setGroups(described)));
    }

    private void hideUndescribableTopics(RequestContext context, DescribedGroup group) {
        if (!authorization.isEnabled()) {
            return;
        }
        Set<String> assigned = new TreeSet<>();
        group.members().forEach(member -> member.assignment().topicPartitions().forEach(tp -> assigned.add(tp.topicName())));
        Predicate<String> describable = authorization.filter(context, AclOperation.DESCRIBE, ResourceType.TOPIC, assigned,
                false, false);
        if (!assigned.stream().allMatch(describable)) {
            group.setMembers(new ArrayList<>()).setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                    .setErrorMessage("The group has described topic(s) that the client is not authorized to describe.");
        }
    }
}
