package io.tributary.broker.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.QuorumAdmin;
import io.tributary.broker.metadata.QuorumDescription;
import org.apache.kafka.common.message.AddRaftVoterRequestData;
import org.apache.kafka.common.message.AddRaftVoterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AddRaftVoterRequest;
import org.apache.kafka.common.requests.AddRaftVoterResponse;

/**
 * AddRaftVoter (KIP-853), what {@code kafka-metadata-quorum add-controller} and AdminClient {@code addRaftVoter}
 * send: a running broker-only node, named by node id and the directory id of its metadata log, becomes a
 * voter of the metadata quorum at its {@code RAFT} endpoint. Needs ALTER on the cluster, as in Kafka; a
 * request for another cluster gets INCONSISTENT_CLUSTER_ID.
 */
public final class AddRaftVoterHandler implements ApiHandler<AddRaftVoterRequest> {

    private final LocalBroker broker;
    private final QuorumAdmin quorum;
    private final RequestAuthorization authorization;

    public AddRaftVoterHandler(LocalBroker broker, QuorumAdmin quorum, RequestAuthorization authorization) {
        this.broker = broker;
        this.quorum = quorum;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_RAFT_VOTER;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, AddRaftVoterRequest request) {
        AddRaftVoterRequestData data = request.data();
        AddRaftVoterResponseData response = new AddRaftVoterResponseData().setErrorCode(Errors.NONE.code());
        ApiError refusal = VoterChangeRefusal.check(authorization, context, broker, data.clusterId());
        if (refusal.isFailure()) {
            response.setErrorCode(refusal.error().code()).setErrorMessage(refusal.message());
        } else {
            List<QuorumDescription.Endpoint> endpoints = data.listeners().stream()
                    .map(l -> new QuorumDescription.Endpoint(l.name(), l.host(), l.port())).toList();
            try {
                quorum.addVoter(data.voterId(), data.voterDirectoryId(), endpoints);
            } catch (MetadataException e) {
                response.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
        }
        return CompletableFuture.completedFuture(new AddRaftVoterResponse(response));
    }
}
