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
import io.tributary.broker.share.coordinator.ShareCoordinator;
import io.tributary.broker.share.coordinator.SharePartitionKey;
import io.tributary.broker.transaction.TransactionCoordinator;
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
 * {@code __consumer_offsets} partition — this broker on a single node —, a transactional id's the
 * leader of its {@code __transaction_state} partition (COORDINATOR_NOT_AVAILABLE where the broker has
 * no transaction coordinator), a share-partition's ({@code groupId:topicId:partition}, v6+, asked by
 * share-partition leaders) the leader of its {@code __share_group_state} partition. Each topic is
 * created when first looked for. As in Kafka, a group's coordinator is told only to a principal that may
 * DESCRIBE the group (else GROUP_AUTHORIZATION_FAILED), a transactional id's only to one that may
 * DESCRIBE it (else TRANSACTIONAL_ID_AUTHORIZATION_FAILED), a share-partition's only to one allowed
 * CLUSTER_ACTION (else CLUSTER_AUTHORIZATION_FAILED), and a SHARE key that is not
 * {@code groupId:topicId:partition} is answered INVALID_REQUEST.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequest> {

    private final LocalBroker broker;
    private final GroupCoordinator groups;
    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;
    private final TransactionCoordinator transactions;
    private final ShareCoordinator shares;

    public FindCoordinatorHandler(LocalBroker broker, GroupCoordinator groups, ClusterMetadata metadata,
            RequestAuthorization authorization) {
        this(broker, groups, null, null, metadata, authorization);
    }

    /**
     * @param transactions the transaction coordinator, or null where transactional ids get COORDINATOR_NOT_AVAILABLE
     * @param shares       the share coordinator, or null where share-partitions get COORDINATOR_NOT_AVAILABLE
     */
    public FindCoordinatorHandler(LocalBroker broker, GroupCoordinator groups, TransactionCoordinator transactions,
            ShareCoordinator shares, ClusterMetadata metadata, RequestAuthorization authorization) {
        this.transactions = transactions;
        this.shares = shares;
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
        boolean transactional = keyType == FindCoordinatorRequest.CoordinatorType.TRANSACTION.id();
        boolean share = keyType == FindCoordinatorRequest.CoordinatorType.SHARE.id();
        if (!transactional && !share && keyType != FindCoordinatorRequest.CoordinatorType.GROUP.id()
                || transactional && transactions == null || share && shares == null) {
            return coordinator.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setErrorMessage("This broker has no coordinator of this kind")
                    .setNodeId(-1).setHost("").setPort(-1);
        }
        // As Kafka does, the coordinator's topic is created when its coordinator is first looked for; the
        // coordinator of a key is the leader of its partition, where its state is written.
        int leader;
        if (share) {
            shares.ensureTopic();
            leader = metadata.partition(ShareCoordinator.STATE_TOPIC, shares.partitionFor(key))
                    .map(PartitionState::leader).orElse(broker.nodeId());
        } else if (transactional) {
            transactions.ensureTopic();
            leader = metadata.partition(TransactionCoordinator.TRANSACTION_STATE_TOPIC, transactions.partitionFor(key))
                    .map(PartitionState::leader).orElse(broker.nodeId());
        } else {
            groups.ensureOffsetsTopic();
            leader = metadata.partition(GroupCoordinator.OFFSETS_TOPIC, groups.partitionFor(key))
                    .map(PartitionState::leader).orElse(broker.nodeId());
        }
        Optional<BrokerEndpoint> endpoint = metadata.liveBrokers(context.listenerName()).stream()
                .filter(b -> b.nodeId() == leader).findFirst();
        if (endpoint.isEmpty()) {
            return coordinator.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                    .setErrorMessage("The coordinator of this key is not available").setNodeId(-1).setHost("").setPort(-1);
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
        if (keyType == FindCoordinatorRequest.CoordinatorType.SHARE.id()) {
            if (!authorization.authorizeCluster(context, AclOperation.CLUSTER_ACTION)) {
                return Errors.CLUSTER_AUTHORIZATION_FAILED;
            }
            return context.apiVersion() >= 6 && SharePartitionKey.parse(key) != null ? Errors.NONE : Errors.INVALID_REQUEST;
        }
        return Errors.NONE;
    }
}
