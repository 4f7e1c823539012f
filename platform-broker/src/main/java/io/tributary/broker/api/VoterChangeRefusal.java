package io.tributary.broker.api;

import io.tributary.broker.metadata.LocalBroker;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;

/**
 * What AddRaftVoter and RemoveRaftVoter refuse before asking the quorum, as Kafka does: a principal
 * without ALTER on the cluster, and a request meant for another cluster.
 */
final class VoterChangeRefusal {

    private VoterChangeRefusal() {
    }

    /** The refusal to answer, or {@link ApiError#NONE} when the change may be asked of the quorum. */
    static ApiError check(RequestAuthorization authorization, RequestContext context, LocalBroker broker,
            String clusterId) {
        if (!authorization.authorizeCluster(context, AclOperation.ALTER)) {
            return new ApiError(Errors.CLUSTER_AUTHORIZATION_FAILED,
                    RequestAuthorization.clusterRefusal(context, AclOperation.ALTER).getMessage());
        }
        if (clusterId != null && !clusterId.equals(broker.clusterId())) {
            return new ApiError(Errors.INCONSISTENT_CLUSTER_ID,
                    "The request is for cluster " + clusterId + ", this is " + broker.clusterId());
        }
        return ApiError.NONE;
    }
}
