package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DescribeGroups: state, protocol, and members with their subscriptions and assignments. As in Kafka,
 * each group takes DESCRIBE (else GROUP_AUTHORIZATION_FAILED), and its authorized operations are
 * answered from v3 when asked for.
 */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public DescribeGroupsHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeGroupsRequest request) {
        List<DescribedGroup> described = new ArrayList<>();
        boolean operations = context.apiVersion() >= 3 && request.data().includeAuthorizedOperations();
        for (String groupId : request.data().groups()) {
            if (!authorization.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) {
                described.add(DescribeGroupsResponse.groupError(groupId, Errors.GROUP_AUTHORIZATION_FAILED));
                continue;
            }
            Optional<GroupCoordinator.GroupSummary> summary = coordinator.describe(groupId);
            DescribedGroup group = new DescribedGroup().setGroupId(groupId).setAuthorizedOperations(Integer.MIN_VALUE)
                    .setMembers(new ArrayList<>());
            Errors notHere = coordinator.coordinatorError(groupId);
            if (notHere != Errors.NONE) {
                group.setErrorCode(notHere.code()).setGroupState("").setProtocolType("").setProtocolData("");
            } else if (summary.isEmpty() || summary.get().type() != GroupType.CLASSIC) {
                // As Kafka: DescribeGroups describes classic groups; a consumer group is described by ConsumerGroupDescribe.
                if (context.apiVersion() >= 6) {
                    group.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setGroupState("Dead").setErrorMessage(
                            summary.isEmpty() ? "Group " + groupId + " not found." : "Group " + groupId + " is not a classic group.");
                } else {
                    group.setErrorCode(Errors.NONE.code()).setGroupState("Dead").setProtocolType("").setProtocolData("");
                }
            } else {
                GroupCoordinator.GroupSummary found = summary.get();
                group.setErrorCode(Errors.NONE.code()).setGroupState(found.state())
                        .setProtocolType(found.protocolType()).setProtocolData(found.protocolName());
                for (GroupCoordinator.MemberSummary member : found.members()) {
                    group.members().add(new DescribedGroupMember().setMemberId(member.memberId())
                            .setGroupInstanceId(member.groupInstanceId()).setClientId(member.clientId())
                            .setClientHost(member.clientHost()).setMemberMetadata(member.metadata())
                            .setMemberAssignment(member.assignment()));
                }
            }
            if (operations && group.errorCode() == Errors.NONE.code()) {
                group.setAuthorizedOperations(authorization.authorizedOperations(context, ResourceType.GROUP, groupId));
            }
            described.add(group);
        }
        return CompletableFuture.completedFuture(new DescribeGroupsResponse(new DescribeGroupsResponseData().setGroups(described)));
    }
}
