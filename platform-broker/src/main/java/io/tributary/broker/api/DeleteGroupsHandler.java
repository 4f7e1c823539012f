package io.tributary.broker.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResultCollection;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteGroups: removes empty groups with their offsets; groups with members are NON_EMPTY_GROUP.
 * Each group takes DELETE (else GROUP_AUTHORIZATION_FAILED, and it stays), as in Kafka.
 */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public DeleteGroupsHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteGroupsRequest request) {
        DeletableGroupResultCollection results = new DeletableGroupResultCollection();
        List<String> groups = request.data().groupsNames().stream().distinct().toList();
        Predicate<String> deletable = authorization.filter(context, AclOperation.DELETE, ResourceType.GROUP, groups);
        for (String groupId : groups) {
            Errors error = deletable.test(groupId) ? coordinator.deleteGroup(groupId) : Errors.GROUP_AUTHORIZATION_FAILED;
            results.add(new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code()));
        }
        return CompletableFuture.completedFuture(new DeleteGroupsResponse(new DeleteGroupsResponseData().setResults(results)));
    }
}
