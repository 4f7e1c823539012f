package io.tributary.broker.cluster.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.tributary.broker.cluster.BrokerLiveness;
import io.tributary.broker.cluster.ClusterProperties;
import io.tributary.broker.cluster.CommandResult;
import io.tributary.broker.cluster.MetaProperties;
import io.tributary.broker.cluster.MetadataCodec;
import io.tributary.broker.cluster.MetadataCommand;
import io.tributary.broker.cluster.MetadataImage;
import io.tributary.broker.cluster.MetadataQuorum;
import io.tributary.broker.metadata.MetadataException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.GroupManagementRequest;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's seat in the metadata quorum: its Raft server, its {@link RaftClients} for commands and
 * heartbeats, and its replica of the metadata.
 *
 * <p>A node among the initial voters starts as a voter; any other node as a <em>listener</em> (Ratis'
 * non-voting member, KRaft's observer): the leader replicates the metadata log to it, but it neither
 * votes nor counts towards a commit. Such a node {@link #join() joins} by asking the leader to add it to
 * the quorum's configuration. The configuration — voters and listeners — lives in the Raft log itself,
 * so AddRaftVoter and RemoveRaftVoter change it on a running cluster; {@link RaftRoleKeeper} then
 * restarts this node's Raft server in its new role, since Ratis switches a running member between
 * listener and voter only at a start. The metadata itself is held by a {@link MetadataReplica} that
 * outlives such restarts.
 */
public final class RaftMetadataQuorum implements MetadataQuorum, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftMetadataQuorum.class);

    private final int nodeId;
    private final ClusterProperties properties;
    private final MetaProperties meta;
    private final RaftEndpoint endpoint;
    private final Path raftDir;
    private final BrokerLiveness liveness;
    private final RaftGroupId groupId;
    private final MetadataReplica replica = new MetadataReplica();
    private final RaftRoleKeeper roles;
    /** The gRPC transport's TLS settings, for the server and every client. */
    private final org.apache.ratis.conf.Parameters parameters;
    private final RaftClients clients;
    private volatile int leaderId = -1;
    private volatile RaftServer server;
    /** The controller's own commands, appended to this voter's log only: see {@link #submitAsController}. */
    private final ClientId controllerClientId = ClientId.randomId();
    private final AtomicLong controllerCallIds = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param meta     this node's cluster id and metadata log directory id, read from its Raft directory
     * @param endpoint where this node's Raft server listens and is reached
     * @param tls      mutual TLS for the quorum's gRPC transport, server and client side alike; {@code null}
     *                 for plaintext
     */
    public RaftMetadataQuorum(int nodeId, ClusterProperties properties, MetaProperties meta, RaftEndpoint endpoint,
            Path dataDir, BrokerLiveness liveness, org.apache.ratis.grpc.GrpcTlsConfig tls) {
        this.parameters = new org.apache.ratis.conf.Parameters();
        if (tls != null) {
            GrpcConfigKeys.TLS.setConf(parameters, tls);
        }
        this.nodeId = nodeId;
        this.properties = properties;
        this.meta = meta;
        this.endpoint = endpoint;
        this.raftDir = properties.effectiveRaftDir(dataDir);
        this.liveness = liveness;
        this.groupId = RaftGroupId.valueOf(meta.clusterUuid());
        this.roles = new RaftRoleKeeper(nodeId, this);
        this.clients = new RaftClients(groupId, parameters, properties.getRequestTimeout(), this::voters, this::everyone);
    }

    static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    static int nodeId(RaftPeerId peer) {
        return Integer.parseInt(peer.toString());
    }

    static int nodeId(RaftPeerProto peer) {
        return Integer.parseInt(peer.getId().toStringUtf8());
    }

    public void start() throws IOException {
        RaftProperties raft = new RaftProperties();
        RaftConfigKeys.Rpc.setType(raft, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(raft, endpoint.bindHost());
        GrpcConfigKeys.Server.setPort(raft, endpoint.port());
        RaftServerConfigKeys.setStorageDir(raft, List.of(raftDir.toFile()));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(raft, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(raft, properties.getSnapshotThreshold());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(raft, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(raft, true);
        RaftServerConfigKeys.Log.setSegmentSizeMax(raft, SizeInBytes.valueOf("1MB"));
        // Elections a little slower than Ratis' default: brokers share the machine with their logs and clients.
        RaftServerConfigKeys.Rpc.setTimeoutMin(raft, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(raft, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        boolean formatted = Files.isDirectory(raftDir.resolve(groupId.getUuid().toString()));
        // The storage's own configuration wins over this group once the node has started; the group only
        // seeds a new storage: the initial voters, and this node as a listener unless it is one of them.
        server = RaftServer.newBuilder().setServerId(peerId(nodeId)).setGroup(initialGroup())
                .setStateMachineRegistry(group -> new MetadataStateMachine(replica, liveness, roles))
                .setProperties(raft).setParameters(parameters)
                .setOption(formatted ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                .build();
        server.start();
        clients.commands();
        clients.heartbeats();
        log.info("Raft server of node {} ({}) listening on {}:{}, reached at {}, with its log in {}", nodeId,
                isInitialVoter() ? "an initial voter" : "not an initial voter", endpoint.bindHost(), endpoint.port(),
                endpoint.advertisedAddress(), raftDir);
    }

    private boolean isInitialVoter() {
        return properties.voter(nodeId).isPresent();
    }

    private RaftGroup initialGroup() {
        List<RaftPeer> peers = new ArrayList<>(configuredVoters());
        if (!isInitialVoter()) {
            peers.add(self(RaftPeerRole.LISTENER));
        }
        return RaftGroup.valueOf(groupId, peers);
    }

    private List<RaftPeer> configuredVoters() {
        return properties.parsedVoters().stream()
                .map(v -> RaftPeer.newBuilder().setId(peerId(v.id())).setAddress(v.address()).build()).toList();
    }

    /** This node as a member of the quorum's configuration in {@code role}. */
    RaftPeer self(RaftPeerRole role) {
        return RaftPeer.newBuilder().setId(peerId(nodeId)).setAddress(endpoint.advertisedAddress()).setStartupRole(role)
                .build();
    }

    /** This node's Raft server for the metadata group, or {@code null} while it is not running. */
    RaftServer.Division division() {
        RaftServer running = server;
        if (running == null) {
            return null;
        }
        try {
            return running.getDivision(groupId);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The voters commands go to: those of the latest configuration this node knows (which may be newer
     * than {@code tributary.cluster.voters}), or the configured ones before it knows any.
     */
    private List<RaftPeer> voters() {
        RaftServer.Division division = division();
        if (division != null) {
            List<RaftPeer> current = List.copyOf(division.getRaftConf().getCurrentPeers());
            if (!current.isEmpty()) {
                return current;
            }
        }
        return configuredVoters();
    }

    /** Every member this node knows, voters and listeners, configured voters included: whom an admin query may ask. */
    private List<RaftPeer> everyone() {
        Map<RaftPeerId, RaftPeer> peers = new LinkedHashMap<>();
        configuredVoters().forEach(peer -> peers.put(peer.getId(), peer));
        RaftServer.Division division = division();
        if (division != null) {
            RaftConfiguration conf = division.getRaftConf();
            conf.getAllPeers(RaftPeerRole.FOLLOWER).forEach(peer -> peers.put(peer.getId(), peer));
            conf.getAllPeers(RaftPeerRole.LISTENER).forEach(peer -> peers.put(peer.getId(), peer));
        }
        return List.copyOf(peers.values());
    }

    void leaderChanged(RaftPeerId leader) {
        int id = leader == null ? -1 : nodeId(leader);
        if (id == nodeId && leaderId != nodeId) {
            liveness.becameController();
            log.info("Broker {} is now the controller", nodeId);
        }
        leaderId = id;
        if (leader != null) {
            clients.aimAt(leader, false);
        }
    }

    /** A new configuration was applied: the clients follow its voters. */
    void votersMayHaveChanged() {
        int leader = leaderId;
        if (leader >= 0) {
            clients.aimAt(peerId(leader), true);
        }
    }

    @Override
    public MetadataImage image() {
        return replica.image();
    }

    /** This node's cluster id and metadata log directory id. */
    public MetaProperties meta() {
        return meta;
    }

    /**
     * Makes sure the leader replicates the metadata log to this node: a node the quorum's configuration
     * does not name — a broker-only node's first start, a voter removed while it was down — asks to be
     * added as a listener. A voter or a listener already is one: nothing to do.
     *
     * @throws MetadataException REQUEST_TIMED_OUT while no leader answers
     * @throws IllegalStateException when the voters serve another cluster than this node's
     */
    @Override
    public void join() {
        // The leader's group is its configuration's voters and listeners alike (Ratis does not send the
        // configuration itself over the wire): whether this node is a member at all is all that matters here.
        // Asked once: the caller retries while no leader is elected.
        GroupInfoReply leader = askForLeaderInfo();
        if (leader.getGroup().getPeers().stream().anyMatch(peer -> peer.getId().equals(peerId(nodeId)))) {
            return;
        }
        // The listeners there are and this node: another node joining at the same time makes this fail, and retry.
        QuorumMembers members = QuorumMembers.of(leader);
        List<RaftPeer> listeners = new ArrayList<>(members.listeners());
        listeners.add(self(RaftPeerRole.LISTENER));
        setConfiguration(members.changeTo(members.voters(), listeners));
        log.info("Node {} joined the metadata quorum as a listener (a broker that does not vote), reached at {}", nodeId,
                endpoint.advertisedAddress());
    }

    /**
     * The group's state as its leader sees it — its members, term, log, each member's commit index and last
     * contact — waiting up to the request timeout for a leader, as while one is being elected.
     *
     * @throws MetadataException REQUEST_TIMED_OUT when no leader answers in time
     * @throws IllegalStateException when the members answer that they serve another cluster
     */
    GroupInfoReply leaderInfo() {
        long deadline = System.nanoTime() + properties.getRequestTimeout().toNanos();
        while (true) {
            try {
                return askForLeaderInfo();
            } catch (MetadataException e) {
                if (System.nanoTime() - deadline > 0 || closed) {
                    throw e;
                }
                try {
                    Thread.sleep(RaftClients.RETRY_SLEEP.toLong(TimeUnit.MILLISECONDS));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The leader's group state, asked once of the members this node knows. */
    private GroupInfoReply askForLeaderInfo() {
        try {
            return clients.leaderInfo(leaderId);
        } catch (GroupMismatchException mismatch) {
            if (replica.appliedIndex() >= 0) {
                throw new MetadataException(Errors.REQUEST_TIMED_OUT, "No leader of the metadata quorum answered");
            }
            throw new IllegalStateException("The voters " + properties.getVoters() + " do not serve cluster "
                    + meta.clusterId() + " (" + mismatch.getMessage() + "). A node that starts after the voters changed "
                    + "joins with tributary.cluster.cluster-id set to the cluster's id (kafka-metadata-quorum describe "
                    + "--status shows it)");
        }
    }

    /** @see RaftClients#setConfiguration */
    void setConfiguration(SetConfigurationRequest.Arguments arguments) {
        clients.setConfiguration(arguments);
    }

    /** @see RaftClients#transferLeadership */
    void transferLeadership(int newLeader) {
        clients.transferLeadership(newLeader);
    }

    /**
     * Restarts this node's Raft server for the metadata group from its storage, where it takes the role
     * its configuration gives it. The replica keeps its metadata meanwhile.
     */
    void restartDivision() throws IOException {
        RaftServer running = server;
        if (isClosed() || running == null) {
            return;
        }
        List<RaftPeer> members = everyone();
        try {
            running.groupManagement(GroupManagementRequest.newRemove(controllerClientId, running.getId(),
                    controllerCallIds.incrementAndGet(), groupId, false, false));
        } catch (GroupMismatchException alreadyGone) {
            // Stopped and removed before: it is added back below.
        }
        RaftClientReply added = running.groupManagement(GroupManagementRequest.newAdd(controllerClientId, running.getId(),
                controllerCallIds.incrementAndGet(), RaftGroup.valueOf(groupId, members), false));
        if (!added.isSuccess()) {
            throw new IOException("Restarting the Raft server failed: " + added.getException());
        }
    }

    @Override
    public CommandResult submit(MetadataCommand command) {
        try {
            RaftClientReply reply = clients.commands().io().send(Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(command))));
            if (!reply.isSuccess()) {
                throw timedOut(command, reply.getException());
            }
            CommandResult result = MetadataCodec.decodeResult(reply.getMessage().getContent().toByteArray());
            if (!replica.awaitApplied(reply.getLogIndex(), properties.getRequestTimeout().toMillis())) {
                throw timedOut(command, null);
            }
            return result;
        } catch (IOException e) {
            throw timedOut(command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw timedOut(command, e);
        }
    }

    @Override
    public CommandResult submitAsController(MetadataCommand command) {
        RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(controllerClientId)
                .setServerId(peerId(nodeId)).setGroupId(groupId).setCallId(controllerCallIds.incrementAndGet())
                .setMessage(Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(command))))
                .setType(RaftClientRequest.writeRequestType()).build();
        long timeoutMs = properties.getRequestTimeout().toMillis();
        try {
            RaftClientReply reply = server.submitClientRequestAsync(request).get(timeoutMs, TimeUnit.MILLISECONDS);
            if (!reply.isSuccess()) {
                if (reply.getNotLeaderException() != null) {
                    throw new MetadataException(Errors.NOT_CONTROLLER, "Broker " + nodeId + " is not the controller");
                }
                throw timedOut(command, reply.getException());
            }
            CommandResult result = MetadataCodec.decodeResult(reply.getMessage().getContent().toByteArray());
            if (!replica.awaitApplied(reply.getLogIndex(), timeoutMs)) {
                throw timedOut(command, null);
            }
            return result;
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw timedOut(command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw timedOut(command, e);
        }
    }

    private static MetadataException timedOut(MetadataCommand command, Exception cause) {
        return new MetadataException(Errors.REQUEST_TIMED_OUT, "The metadata quorum did not commit "
                + command.getClass().getSimpleName() + (cause == null ? "" : ": " + cause.getMessage()));
    }

    @Override
    public boolean heartbeat(int nodeId) {
        try {
            RaftClientReply reply = clients.heartbeats().io().sendReadOnly(MetadataStateMachine.heartbeat(nodeId));
            // An unanswered heartbeat is not a fencing: only the controller decides that.
            return !reply.isSuccess() || MetadataStateMachine.heartbeatAnswer(reply.getMessage());
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public int leaderId() {
        return leaderId;
    }

    @Override
    public void onChange(Consumer<MetadataImage> listener) {
        replica.onChange(listener);
    }

    boolean isClosed() {
        return closed;
    }

    /** Where this node keeps its log and snapshots. */
    public Path raftDir() {
        return raftDir;
    }

    /** This node's role in the quorum right now (LEADER, FOLLOWER, CANDIDATE or LISTENER), if its Raft server runs. */
    public Optional<RaftPeerRole> role() {
        RaftServer.Division division = division();
        return division == null ? Optional.empty() : Optional.ofNullable(division.getInfo().getCurrentRole());
    }

    @Override
    public void close() throws IOException {
        closed = true;
        roles.close();
        clients.close();
        if (server != null) {
            server.close();
        }
    }
}
