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
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorResponse;

/**
 * FindCoordinator, single (v0-3) or batched (v4+): a group's coordinator is the leader of its
 * {@code __consumer_offsets} partition — this broker on a single node. There is
 * no transaction coordinator, so transactional ids get COORDINATOR_NOT_AVAILABLE.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest> {

    private final LocalBroker broker;
    private final GroupCoordinator groups;
    private final ClusterMetadata metadata;

    public FindCoordinatorHandler(LocalBroker broker, GroupCoordinator groups, ClusterMetadata metadata) {
        this.metadata = metadata;
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
        if (keyType == FindCoordinatorRequest.CoordinatorType.GROUP.id()) {
            groups.ensureOffsetsTopic(); // as Kafka does: created when groups are first looked for
        }
        if (context.apiVersion() < 4) {
            Coordinator coordinator = coordinator(request.data().key(), keyType, context.listenerName());
            data.setErrorCode(coordinator.errorCode()).setErrorMessage(coordinator.errorMessage())
                    .setNodeId(coordinator.nodeId()).setHost(coordinator.host()).setPort(coordinator.port());
        } else {
            List<Coordinator> coordinators = new ArrayList<>();
            for (String key : request.data().coordinatorKeys()) {
                coordinators.add(coordinator(key, keyType, context.listenerName()));
            }
            data.setCoordinators(coordinators);
        }
        return CompletableFuture.completedFuture(new FindCoordinatorResponse(data));
    }

    private Coordinator coordinator(String key, byte keyType, String listenerName) {
        Coordinator coordinator = new Coordinator().setKey(key);
        if (keyType != FindCoordinatorRequest.CoordinatorType.GROUP.id()) {
            return coordinator.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setErrorMessage("This broker coordinates consumer groups only; transactions are not supported")
                    .setNodeId(-1).setHost("").setPort(-1);
        }
        // A group's coordinator is the leader of its __consumer_offsets partition, where its state is written.
        int leader = metadata.partition(GroupCoordinator.OFFSETS_TOPIC, groups.partitionFor(key))
                .map(PartitionState::leader).orElse(broker.nodeId());
        Optional<BrokerEndpoint> endpoint = metadata.liveBrokers(listenerName).stream().filter(b -> b.nodeId() == leader).findFirst();
        if (endpoint.isEmpty()) {
            return coordinator.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setErrorMessage("The coordinator of this group is not available").setNodeId(-1).setHost("").setPort(-1);
        }
        return coordinator.setErrorCode(Errors.NONE.code()).setNodeId(leader).setHost(endpoint.get().host())
                .setPort(endpoint.get().port());
    }
}
