package io.tributary.broker.cluster.raft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.tributary.broker.cluster.BrokerRegistration;
import io.tributary.broker.cluster.MetadataImage;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.metadata.QuorumAdmin;
import io.tributary.broker.metadata.QuorumDescription;
import io.tributary.broker.metadata.QuorumDescription.Endpoint;
import io.tributary.broker.metadata.QuorumDescription.ReplicaState;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.Errors;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftPeer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DescribeQuorum, AddRaftVoter and RemoveRaftVoter on the Ratis quorum, with Kafka's answers. What the
 * leader knows — its term, its log, each member's commit index and when it last answered — comes from the
 * leader itself (Ratis' group info); directory ids come from the metadata. A change of the voter set is a
 * compare-and-set of the configuration the leader reported, so two concurrent changes cannot both apply.
 *
 * <p>A voter added is promoted from the listeners (a running broker-only node); a live voter removed is
 * demoted to a listener, so that it keeps the metadata as a broker, while a dead one leaves the configuration.
 * Ratis restarts neither: {@link RaftRoleKeeper} on the node concerned does.
 */
public final class RaftQuorumAdmin implements QuorumAdmin {

    private static final Logger log = LoggerFactory.getLogger(RaftQuorumAdmin.class);

    private final RaftMetadataQuorum quorum;

    public RaftQuorumAdmin(RaftMetadataQuorum quorum) {
        this.quorum = quorum;
    }

    @Override
    public QuorumDescription describe() {
        GroupInfoReply info = leaderInfo(Errors.NOT_LEADER_OR_FOLLOWER);
        QuorumMembers members = QuorumMembers.of(info);
        RoleInfoProto role = info.getRoleInfoProto();
        long now = System.currentTimeMillis();
        long committed = info.getLogInfoProto().getCommitted().getIndex();
        Map<Integer, Long> commitIndexes = new HashMap<>();
        for (CommitInfoProto commit : info.getCommitInfos()) {
            commitIndexes.put(RaftMetadataQuorum.nodeId(commit.getServer()), commit.getCommitIndex());
        }
        Map<Integer, Long> heardAt = new HashMap<>();
        for (ServerRpcProto follower : role.getLeaderInfo().getFollowerInfoList()) {
            heardAt.put(RaftMetadataQuorum.nodeId(follower.getId()), now - follower.getLastRpcElapsedTimeMs());
        }
        MetadataImage image = quorum.image();
        Map<Integer, Endpoint> endpoints = new HashMap<>();
        List<ReplicaState> voters = new ArrayList<>();
        List<ReplicaState> observers = new ArrayList<>();
        for (RaftPeer peer : members.voters()) {
            voters.add(state(peer, members.leaderId(), info, commitIndexes, heardAt, committed, now, image));
            endpoints.put(RaftMetadataQuorum.nodeId(peer.getId()), endpoint(peer));
        }
        for (RaftPeer peer : members.listeners()) {
            observers.add(state(peer, members.leaderId(), info, commitIndexes, heardAt, committed, now, image));
            endpoints.put(RaftMetadataQuorum.nodeId(peer.getId()), endpoint(peer));
        }
        return new QuorumDescription(members.leaderId(), Math.toIntExact(role.getLeaderInfo().getTerm()), committed + 1,
                voters, observers, endpoints);
    }

    /**
     * One member's state. Ratis tells the leader each member's commit index rather than its log end, so the
     * log end offset of a member other than the leader is one past its commit index; it has caught up when
     * that reaches the leader's commit index.
     */
    private static ReplicaState state(RaftPeer peer, int leaderId, GroupInfoReply info, Map<Integer, Long> commitIndexes,
            Map<Integer, Long> heardAt, long committed, long now, MetadataImage image) {
        int id = RaftMetadataQuorum.nodeId(peer.getId());
        Uuid directory = image.metadataLogDirectory(id);
        if (id == leaderId) {
            return new ReplicaState(id, directory, info.getLogInfoProto().getLastEntry().getIndex() + 1, -1, now);
        }
        Long commitIndex = commitIndexes.get(id);
        long lastFetch = heardAt.getOrDefault(id, -1L);
        long caughtUp = commitIndex != null && commitIndex >= committed ? lastFetch : -1;
        return new ReplicaState(id, directory, commitIndex == null ? -1 : commitIndex + 1, lastFetch, caughtUp);
    }

    private static Endpoint endpoint(RaftPeer peer) {
        String address = peer.getAddress();
        int colon = address.lastIndexOf(':');
        return new Endpoint(RAFT_LISTENER, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    }

    @Override
    public void addVoter(int voterId, Uuid directoryId, List<Endpoint> endpoints) {
        String key = QuorumAdmin.replicaKey(voterId, directoryId);
        if (Uuid.ZERO_UUID.equals(directoryId)) {
            throw new MetadataException(Errors.INVALID_REQUEST, "Add voter request didn't include a valid voter key: " + key);
        }
        Endpoint raft = endpoints.stream().filter(e -> e.name().equals(RAFT_LISTENER)).findFirst()
                .orElseThrow(() -> new MetadataException(Errors.INVALID_REQUEST,
                        "Add voter request didn't include the default listener: " + RAFT_LISTENER));
        QuorumMembers members = QuorumMembers.of(leaderInfo(Errors.REQUEST_TIMED_OUT));
        if (members.voter(voterId).isPresent()) {
            throw new MetadataException(Errors.DUPLICATE_VOTER, "The voter id for " + key
                    + " is already part of the set of voters " + keys(members.voters()) + ".");
        }
        Optional<RaftPeer> observer = members.listener(voterId);
        if (observer.isEmpty() || !quorum.image().metadataLogDirectory(voterId).equals(directoryId)) {
            throw new MetadataException(Errors.REQUEST_TIMED_OUT, "Aborted add voter operation for " + key
                    + " since it is lagging behind: it is not an observer of the metadata quorum on that directory "
                    + "(a broker-only node of this cluster, running)");
        }
        RaftPeer voter = RaftPeer.newBuilder().setId(RaftMetadataQuorum.peerId(voterId))
                .setAddress(raft.host() + ":" + raft.port()).setStartupRole(RaftPeerRole.FOLLOWER).build();
        List<RaftPeer> voters = new ArrayList<>(members.voters());
        voters.add(voter);
        List<RaftPeer> listeners = new ArrayList<>(members.listeners());
        listeners.remove(observer.get());
        change(members, voters, listeners);
        log.info("Node {} is now a voter of the metadata quorum, reached at {}", voterId, voter.getAddress());
    }

    @Override
    public void removeVoter(int voterId, Uuid directoryId) {
        QuorumMembers members = QuorumMembers.of(leaderInfo(Errors.REQUEST_TIMED_OUT));
        Optional<RaftPeer> voter = members.voter(voterId);
        if (voter.isEmpty() || !quorum.image().metadataLogDirectory(voterId).equals(directoryId)
                || members.voters().size() == 1) {
            throw new MetadataException(Errors.VOTER_NOT_FOUND, "Cannot remove voter "
                    + QuorumAdmin.replicaKey(voterId, directoryId) + " from the set of voters " + keys(members.voters()));
        }
        if (members.leaderId() == voterId) {
            // A leader that is no longer a voter would go on leading: the leadership moves first.
            int successor = members.voters().stream().map(peer -> RaftMetadataQuorum.nodeId(peer.getId()))
                    .filter(id -> id != voterId).findFirst().orElseThrow();
            quorum.transferLeadership(successor);
            members = QuorumMembers.of(leaderInfo(Errors.REQUEST_TIMED_OUT));
        }
        List<RaftPeer> voters = new ArrayList<>(members.voters());
        voters.removeIf(peer -> RaftMetadataQuorum.nodeId(peer.getId()) == voterId);
        List<RaftPeer> listeners = new ArrayList<>(members.listeners());
        BrokerRegistration broker = quorum.image().brokers().get(voterId);
        boolean live = broker != null && !broker.fenced();
        if (live) {
            listeners.add(RaftPeer.newBuilder(voter.get()).setStartupRole(RaftPeerRole.LISTENER).build());
        }
        change(members, voters, listeners);
        log.info("Node {} is no longer a voter of the metadata quorum{}", voterId,
                live ? "; it goes on as a broker only" : "");
    }

    private void change(QuorumMembers current, List<RaftPeer> voters, List<RaftPeer> listeners) {
        quorum.setConfiguration(current.changeTo(voters, listeners));
    }

    private GroupInfoReply leaderInfo(Errors unavailable) {
        try {
            return quorum.leaderInfo();
        } catch (MetadataException e) {
            throw new MetadataException(unavailable, e.getMessage());
        }
    }

    private String keys(List<RaftPeer> peers) {
        MetadataImage image = quorum.image();
        return peers.stream().map(peer -> RaftMetadataQuorum.nodeId(peer.getId()))
                .map(id -> QuorumAdmin.replicaKey(id, image.metadataLogDirectory(id))).toList().toString();
    }
}
