package io.tributary.broker.cluster.raft;

import io.tributary.broker.cluster.ClusterProperties;
import io.tributary.broker.cluster.ClusterProperties.Voter;

/**
 * Where this node's Raft server listens and the address the other nodes reach it at. An initial voter
 * listens on its entry in {@code tributary.cluster.voters}; any other node (a broker only, or a voter
 * added later) on the broker's host and {@code raft-port}, reached at {@code advertised-raft-address}
 * or the broker's advertised host.
 *
 * @param bindHost          the host the gRPC server binds
 * @param port              the port it binds
 * @param advertisedAddress {@code host:port} as written in the quorum's configuration
 */
public record RaftEndpoint(String bindHost, int port, String advertisedAddress) {

    /**
     * @param brokerHost           {@code tributary.broker.host}, the host the broker binds
     * @param brokerAdvertisedHost the host clients are told to reach the broker at
     */
    public static RaftEndpoint of(ClusterProperties properties, int nodeId, String brokerHost, String brokerAdvertisedHost) {
        Voter voter = properties.voter(nodeId).orElse(null);
        if (voter != null) {
            int port = properties.getRaftPort() > 0 ? properties.getRaftPort() : voter.port();
            return new RaftEndpoint(voter.host(), port, voter.address());
        }
        if (properties.getRaftPort() <= 0) {
            throw new IllegalStateException("Node " + nodeId + " is not among the voters " + properties.getVoters()
                    + ", so it joins as a broker only and needs a Raft endpoint of its own: set tributary.cluster.raft-port");
        }
        String advertised = properties.getAdvertisedRaftAddress();
        if (advertised == null || advertised.isBlank()) {
            advertised = brokerAdvertisedHost + ":" + properties.getRaftPort();
        } else if (advertised.lastIndexOf(':') <= 0) {
            throw new IllegalArgumentException("tributary.cluster.advertised-raft-address is host:port, not '" + advertised + "'");
        }
        return new RaftEndpoint(brokerHost, properties.getRaftPort(), advertised.trim());
    }
}
