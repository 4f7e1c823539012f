package io.tributary.broker.api;

import java.util.concurrent.CompletableFuture;
import io.tributary.broker.metadata.BrokerEndpoint;
import io.tributary.broker.metadata.BrokerStatus;
import io.tributary.broker.metadata.ClusterMetadata;
import io.tributary.broker.metadata.LocalBroker;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBrokerCollection;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeClusterRequest;
import org.apache.kafka.common.requests.DescribeClusterResponse;

/**
 * DescribeCluster: the cluster id, the controller and the live brokers (from version 2, on request, the
 * fenced ones too, until they are unregistered). As in Kafka, anyone may ask;
 * the cluster's authorized operations, when asked for, are 0 for a principal that may not DESCRIBE it.
 */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequest> {

    /** DescribeCluster's endpoint types: brokers (1) or controllers (2). */
    private static final byte BROKER_ENDPOINTS = 1;

    private final LocalBroker broker;
    private final ClusterMetadata metadata;
    private final RequestAuthorization authorization;

    public DescribeClusterHandler(LocalBroker broker, ClusterMetadata metadata, RequestAuthorization authorization) {
        this.broker = broker;
        this.metadata = metadata;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(RequestContext context, DescribeClusterRequest request) {
        DescribeClusterResponseData data = new DescribeClusterResponseData().setEndpointType(BROKER_ENDPOINTS)
                .setClusterAuthorizedOperations(RequestAuthorization.OPERATIONS_NOT_REQUESTED);
        if (context.apiVersion() >= 1 && request.data().endpointType() != BROKER_ENDPOINTS) {
            data.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code()).setErrorMessage(
                    "The request was sent to an endpoint of type BROKER, but we wanted an endpoint of type CONTROLLER");
        } else {
            DescribeClusterBrokerCollection brokers = new DescribeClusterBrokerCollection();
            if (context.apiVersion() >= 2 && request.data().includeFencedBrokers()) {
                // KIP-1073: fenced brokers too, marked as such, until they are unregistered.
                for (BrokerStatus broker : metadata.brokers(context.listenerName())) {
                    BrokerEndpoint endpoint = broker.endpoint();
                    brokers.add(new DescribeClusterBroker().setBrokerId(endpoint.nodeId()).setHost(endpoint.host())
                            .setPort(endpoint.port()).setRack(endpoint.rack()).setIsFenced(broker.fenced()));
                }
            } else {
                for (BrokerEndpoint live : metadata.liveBrokers(context.listenerName())) {
                    brokers.add(new DescribeClusterBroker().setBrokerId(live.nodeId()).setHost(live.host()).setPort(live.port())
                            .setRack(live.rack()));
                }
            }
            data.setErrorCode(Errors.NONE.code()).setClusterId(broker.clusterId()).setControllerId(metadata.controllerId())
                    .setBrokers(brokers);
            if (request.data().includeClusterAuthorizedOperations()) {
                data.setClusterAuthorizedOperations(authorization.authorizeCluster(context, AclOperation.DESCRIBE)
                        ? authorization.clusterAuthorizedOperations(context) : 0);
            }
        }
        return CompletableFuture.completedFuture(new DescribeClusterResponse(data));
    }
}
