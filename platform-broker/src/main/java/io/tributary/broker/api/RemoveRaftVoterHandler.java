package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.LocalBroker;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.QuorumAdmin;
import org.apache.kafka.common.message.RemoveRaftVoterRequestData;
import org.apache.kafka.common.message.RemoveRaftVoterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RemoveRaftVoterRequest;
import org.apache.kafka.common.requests.RemoveRaftVoterResponse;

/**
 * RemoveRaftVoter (KIP-853), what {@code kafka-metadata-quorum remove-controller} and AdminClient
 * {@code removeRaftVoter} send: the voter with this node id and metadata log directory id leaves the
 * metadata quorum (a voter whose disk died, before its replacement is added); if it still runs, it goes on
 * as a broker only. Needs ALTER on the cluster, as in Kafka; a request for another cluster gets
 * INCONSISTENT_CLUSTER_ID.
 */
public final class RemoveRaftVoterHandler implements ApiHandler<RemoveRaftVoterRequest> {

    private final LocalBroker broker;
    private final QuorumAdmin quorum;
    private final RequestAuthorization authorization;

    public RemoveRaftVoterHandler(LocalBroker broker, QuorumAdmin quorum, RequestAuthorization authorization) {
        this.broker = broker;
        this.quorum = quorum;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.REMOVE_RAFT_VOTER;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, RemoveRaftVoterRequest request) {
        RemoveRaftVoterRequestData data = request.data();
        RemoveRaftVoterResponseData response = new RemoveRaftVoterResponseData().setErrorCode(Errors.NONE.code());
        ApiError refusal = VoterChangeRefusal.check(authorization, context, broker, data.clusterId());
        if (refusal.isFailure()) {
            response.setErrorCode(refusal.error().code()).setErrorMessage(refusal.message());
        } else {
            try {
                quorum.removeVoter(data.voterId(), data.voterDirectoryId());
            } catch (MetadataException e) {
                response.setErrorCode(e.error().code()).setErrorMessage(e.getMessage());
            }
        }
        return CompletableFuture.completedFuture(new RemoveRaftVoterResponse(response));
    }
}
