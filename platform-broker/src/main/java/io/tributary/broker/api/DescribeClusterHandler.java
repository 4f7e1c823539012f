package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.LocalBroker;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBrokerCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;

/** DescribeCluster: the cluster id, the controller and the live brokers. */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequest> {

    /** DescribeCluster's endpoint types: brokers (1) or controllers (2). */
    private static final byte BROKER_ENDPOINTS = 1;

    private final LocalBroker broker;
    private final ClusterMetadata metadata;

    public DescribeClusterHandler(LocalBroker broker, ClusterMetadata metadata) {
        this.broker = broker;
        this.metadata = metadata;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeClusterRequest request) {
        DescribeClusterResponseData data = new DescribeClusterResponseData().setEndpointType(BROKER_ENDPOINTS)
                .setClusterAuthorizedOperations(Integer.MIN_VALUE);
        if (context.apiVersion() >= 1 && request.data().endpointType() != BROKER_ENDPOINTS) {
            data.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code()).setErrorMessage(
                    "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER");
        } else {
            DescribeClusterBrokerCollection brokers = new DescribeClusterBrokerCollection();
            for (BrokerEndpoint live : metadata.liveBrokers(context.listenerName())) {
                brokers.add(new DescribeClusterBroker().setBrokerId(live.nodeId()).setHost(live.host()).setPort(live.port()));
            }
            data.setErrorCode(Errors.NONE.code()).setClusterId(broker.clusterId()).setControllerId(metadata.controllerId())
                    .setBrokers(brokers);
        }
        return CompletableFuture.completedFuture(new DescribeClusterResponse(data));
    }
}
