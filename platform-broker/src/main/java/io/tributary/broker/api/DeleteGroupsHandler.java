package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;
import io.tributary.broker.group.ShareGroupOffsets;
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
 * DeleteGroups: removes empty groups with their offsets, and a share group's share-partition states first
 * ({@link ShareGroupOffsets#deleteGroup}); groups with members are NON_EMPTY_GROUP. Each group takes DELETE
 * (else GROUP_AUTHORIZATION_FAILED, and it stays), as in Kafka.
 */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequest> {

    private final Function<String, CompletableFuture<Errors>> deleteGroup;
    private final RequestAuthorization authorization;

    /** @param deleteGroup deletes one group, completing with its error ({@link ShareGroupOffsets#deleteGroup}) */
    public DeleteGroupsHandler(Function<String, CompletableFuture<Errors>> deleteGroup, RequestAuthorization authorization) {
        this.deleteGroup = deleteGroup;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DeleteGroupsRequest request) {
        List<String> groups = request.data().groupsNames().stream().distinct().toList();
        Predicate<String> deletable = authorization.filter(context, AclOperation.DELETE, ResourceType.GROUP, groups);
        // Each deletion is answered once the in-sync replicas hold its tombstones; none waits on this thread.
        List<CompletableFuture<Errors>> deletions = new ArrayList<>();
        for (String groupId : groups) {
            deletions.add(deletable.test(groupId) ? deleteGroup.apply(groupId)
                    : CompletableFuture.completedFuture(Errors.GROUP_AUTHORIZATION_FAILED));
        }
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new)).thenApply(done -> {
            DeletableGroupResultCollection results = new DeletableGroupResultCollection();
            for (int i = 0; i < groups.size(); i++) {
                results.add(new DeletableGroupResult().setGroupId(groups.get(i)).setErrorCode(deletions.get(i).join().code()));
            }
            return new DeleteGroupsResponse(new DeleteGroupsResponseData().setResults(results));
        });
    }
}
