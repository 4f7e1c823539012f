package io.tributary.broker.cluster.raft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;

/**
 * The quorum's configuration as its leader reported it: voters and listeners, told apart by the role each
 * was added with, ordered by node id; and changes of it made as a compare-and-set against it, so that two
 * concurrent changes cannot both apply (the one that finds the configuration changed fails and is retried).
 *
 * <p>Never Ratis' ADD mode: Ratis 3.1.3 computes an ADD's listeners as the current ones plus the added, but
 * stages the request's own list, so every listener already there would leave the configuration.
 */
record QuorumMembers(int leaderId, List<RaftPeer> voters, List<RaftPeer> listeners) {

    static QuorumMembers of(GroupInfoReply info) {
        List<RaftPeer> voters = new ArrayList<>();
        List<RaftPeer> listeners = new ArrayList<>();
        for (RaftPeer peer : info.getGroup().getPeers()) {
            (peer.getStartupRole() == RaftPeerRole.LISTENER ? listeners : voters).add(peer);
        }
        Comparator<RaftPeer> byId = Comparator.comparingInt(peer -> RaftMetadataQuorum.nodeId(peer.getId()));
        voters.sort(byId);
        listeners.sort(byId);
        return new QuorumMembers(RaftMetadataQuorum.nodeId(info.getServerId()), List.copyOf(voters), List.copyOf(listeners));
    }

    Optional<RaftPeer> voter(int nodeId) {
        return voters.stream().filter(peer -> RaftMetadataQuorum.nodeId(peer.getId()) == nodeId).findFirst();
    }

    Optional<RaftPeer> listener(int nodeId) {
        return listeners.stream().filter(peer -> RaftMetadataQuorum.nodeId(peer.getId()) == nodeId).findFirst();
    }

    /** The arguments that replace this configuration by {@code newVoters} and {@code newListeners}, if it is still this one. */
    SetConfigurationRequest.Arguments changeTo(List<RaftPeer> newVoters, List<RaftPeer> newListeners) {
        return SetConfigurationRequest.Arguments.newBuilder().setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                .setServersInCurrentConf(voters).setListenersInCurrentConf(listeners)
                .setServersInNewConf(newVoters).setListenersInNewConf(newListeners).build();
    }
}
