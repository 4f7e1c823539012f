package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import io.tributary.broker.group.GroupCoordinator;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListGroups: every group, optionally filtered by state (v4+) and type (v5+: classic or consumer).
 * As in Kafka, DESCRIBE on the cluster lists them all; without it, only the groups the principal may
 * DESCRIBE are listed.
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequest> {

    private final GroupCoordinator coordinator;
    private final RequestAuthorization authorization;

    public ListGroupsHandler(GroupCoordinator coordinator, RequestAuthorization authorization) {
        this.coordinator = coordinator;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, ListGroupsRequest request) {
        List<String> states = request.data().statesFilter().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        List<String> types = request.data().typesFilter().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        List<ListedGroup> listed = new ArrayList<>();
        for (GroupCoordinator.GroupSummary group : coordinator.listGroups()) {
            if ((states.isEmpty() || states.contains(group.state().toLowerCase(Locale.ROOT)))
                    && (types.isEmpty() || types.contains(group.type().toString().toLowerCase(Locale.ROOT)))) {
                listed.add(new ListedGroup().setGroupId(group.groupId()).setProtocolType(group.protocolType())
                        .setGroupState(group.state()).setGroupType(group.type().toString()));
            }
        }
        // Listing is no attempt on the groups left out: refusals are not audited.
        if (!authorization.authorizeCluster(context, AclOperation.DESCRIBE, true, false)) {
            Predicate<String> describable = authorization.filter(context, AclOperation.DESCRIBE, ResourceType.GROUP,
                    listed, ListedGroup::groupId, true, false);
            listed.removeIf(group -> !describable.test(group.groupId()));
        }
        return CompletableFuture.completedFuture(new ListGroupsResponse(
                new ListGroupsResponseData().setErrorCode(Errors.NONE.code()).setGroups(listed)));
    }
}
