package io.tributary.broker.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.group.GroupCoordinator;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.PartitionState;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * FindCoordinator, single (v0-3) or batched (v4+): a group's coordinator is the leader of its
 * {@code __consumer_offsets} partition — this broker on a single node. There is
 * no transaction coordinator, so transactional ids get COORDINATOR_NOT_AVAILABLE. As in Kafka, a
 * group's coordinator is told only to a principal that may DESCRIBE the group (else
 * GROUP_AUTHORIZATION_FAILED), a transactional id's only to one that may DESCRIBE it (else
 * TRANSACTIONAL_ID_AUTHORIZATION_FAILED).
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest> {

    private final LocalBroker broker;
    private final GroupCoordinator groups;
    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public FindCoordinatorHandler(LocalBroker broker, GroupCoordinator groups, ClusterMetadata metadata,
            RequestAuthorization authorization) {
        this.metadata = metadata;
        this.authorization = authorization;
        this.broker = broker;
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, FindCoordinatorRequest request) {
        byte keyType = request.data().keyType();
        FindCoordinatorResponseData data = new FindCoordinatorResponseData();
        if (context.apiVersion() < 4) {
            Coordinator coordinator = coordinator(context, request.data().key(), keyType);
            data.setErrorCode(coordinator.errorCode()).setErrorMessage(coordinator.errorMessage())
                    .setNodeId(coordinator.nodeId()).setHost(coordinator.host()).setPort(coordinator.port());
        } else {
            List<Coordinator> coordinators = new ArrayList<>();
            for (String key : request.data().coordinatorKeys()) {
                coordinators.add(coordinator(context, key, keyType));
            }
            data.setCoordinators(coordinators);
        }
        return CompletableFuture.completedFuture(new FindCoordinatorResponse(data));
    }

    private Coordinator coordinator(RequestContext context, String key, byte keyType) {
        Coordinator coordinator = new Coordinator().setKey(key);
        Errors refusal = refusal(context, key, keyType);
        if (refusal != Errors.NONE) {
            return coordinator.setErrorCode(refusal.code()).setErrorMessage(refusal.message()).setNodeId(-1).setHost("")
                    .setPort(-1);
        }
        if (keyType != FindCoordinatorRequest.CoordinatorType.GROUP.id()) {
            return coordinator.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setErrorMessage("This broker coordinates consumer groups only; transactions are not supported")
                    .setNodeId(-1).setHost("").setPort(-1);
        }
        groups.ensureOffsetsTopic(); // as Kafka does: created when groups are first looked for
        // A group's coordinator is the leader of its __consumer_offsets partition, where its state is written.
        int leader = metadata.partition(GroupCoordinator.OFFSETS_TOPIC, groups.partitionFor(key))
                .map(PartitionState::leader).orElse(broker.nodeId());
        Optional<BrokerEndpoint> endpoint = metadata.liveBrokers(context.listenerName()).stream()
                .filter(b -> b.nodeId() == leader).findFirst();
        if (endpoint.isEmpty()) {
            return coordinator.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setErrorMessage("The coordinator of this group is not available").setNodeId(-1).setHost("").setPort(-1);
        }
        return coordinator.setErrorCode(Errors.NONE.code()).setNodeId(leader).setHost(endpoint.get().host())
                .setPort(endpoint.get().port());
    }

    private Errors refusal(RequestContext context, String key, byte keyType) {
        if (keyType == FindCoordinatorRequest.CoordinatorType.GROUP.id()) {
            return authorization.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, key)
                    ? Errors.NONE : Errors.GROUP_AUTHORIZATION_FAILED;
        }
        if (keyType == FindCoordinatorRequest.CoordinatorType.TRANSACTION.id()) {
            return authorization.authorize(context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, key)
                    ? Errors.NONE : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        return Errors.NONE;
    }
}
