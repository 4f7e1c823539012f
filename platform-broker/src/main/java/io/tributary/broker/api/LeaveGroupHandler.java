package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * LeaveGroup: one member (v0-2) or a batch of members by id or instance id (v3+). It takes READ on
 * the group (else GROUP_AUTHORIZATION_FAILED for the whole request), as in Kafka.
 */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public LeaveGroupHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, LeaveGroupRequest request) {
        if (!authorization.authorize(context, AclOperation.READ, ResourceType.GROUP, request.data().groupId())) {
            return CompletableFuture.completedFuture(request.getErrorResponse(Errors.GROUP_AUTHORIZATION_FAILED.exception()));
        }
        List<MemberIdentity> identities = request.members();
        List<GroupCoordinator.LeavingMember> leaving = new ArrayList<>();
        identities.forEach(m -> leaving.add(new GroupCoordinator.LeavingMember(m.memberId(), m.groupInstanceId())));
        List<Errors> errors = coordinator.leaveGroup(request.data().groupId(), leaving);
        LeaveGroupResponseData data = new LeaveGroupResponseData();
        if (context.apiVersion() < 3) {
            data.setErrorCode(errors.isEmpty() ? Errors.NONE.code() : errors.get(0).code());
        } else {
            List<MemberResponse> members = new ArrayList<>();
            for (int i = 0; i < identities.size(); i++) {
                members.add(new MemberResponse().setMemberId(identities.get(i).memberId())
                        .setGroupInstanceId(identities.get(i).groupInstanceId()).setErrorCode(errors.get(i).code()));
            }
            data.setErrorCode(Errors.NONE.code()).setMembers(members);
        }
        return CompletableFuture.completedFuture(new LeaveGroupResponse(data));
    }
}
