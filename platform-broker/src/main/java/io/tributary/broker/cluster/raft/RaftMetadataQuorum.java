package io.tributary.broker.cluster.raft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import io.tributary.broker.cluster.BrokerLiveness;
import io.tributary.broker.cluster.ClusterProperties;
import io.tributary.broker.cluster.ClusterProperties.Voter;
import io.tributary.broker.cluster.CommandResult;
import io.tributary.broker.cluster.MetadataCodec;
import io.tributary.broker.cluster.MetadataCommand;
import io.tributary.broker.cluster.MetadataImage;
import io.tributary.broker.cluster.MetadataQuorum;
import io.tributary.broker.metadata.MetadataException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This broker's Raft server (a voter of the metadata quorum, over gRPC) and its Raft clients: one
 * for commands, which Ratis sends to the leader wherever it is, and one for heartbeats, which give
 * up quickly since the next one follows soon.
 */
public final class RaftMetadataQuorum implements MetadataQuorum, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftMetadataQuorum.class);
    private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(250, TimeUnit.MILLISECONDS);

    private final int nodeId;
    private final ClusterProperties properties;
    private final Path raftDir;
    private final BrokerLiveness liveness;
    private final RaftGroup group;
    private final MetadataStateMachine stateMachine;
    /** The gRPC transport's TLS settings, for the server and every client. */
    private final org.apache.ratis.conf.Parameters parameters;
    private volatile int leaderId = -1;
    private RaftServer server;
    private volatile RaftClient commands;
    private volatile RaftClient heartbeats;
    private long commandRetries;
    /** The controller's own commands, appended to this voter's log only: see {@link #submitAsController}. */
    private final ClientId controllerClientId = ClientId.randomId();
    private final AtomicLong controllerCallIds = new AtomicLong();
    /** Clients aimed at a former leader, closed a little later or with this quorum. */
    private final List<RaftClient> retired = new ArrayList<>();
    private boolean closed;

    public RaftMetadataQuorum(int nodeId, ClusterProperties properties, Path dataDir, BrokerLiveness liveness) {
        this(nodeId, properties, dataDir, liveness, null);
    }

    /**
     * @param tls mutual TLS for the voters' gRPC transport, server and client side alike; {@code null}
     *        for plaintext
     */
    public RaftMetadataQuorum(int nodeId, ClusterProperties properties, Path dataDir, BrokerLiveness liveness,
            org.apache.ratis.grpc.GrpcTlsConfig tls) {
        this.parameters = new org.apache.ratis.conf.Parameters();
        if (tls != null) {
            GrpcConfigKeys.TLS.setConf(parameters, tls);
        }
        this.nodeId = nodeId;
        this.properties = properties;
        this.raftDir = properties.effectiveRaftDir(dataDir);
        this.liveness = liveness;
        List<RaftPeer> peers = properties.parsedVoters().stream()
                .map(v -> RaftPeer.newBuilder().setId(peerId(v.id())).setAddress(v.address()).build()).toList();
        this.group = RaftGroup.valueOf(RaftGroupId.valueOf(properties.clusterUuid()), peers);
        this.stateMachine = new MetadataStateMachine(liveness, this::leaderChanged);
    }

    private static RaftPeerId peerId(int nodeId) {
        return RaftPeerId.valueOf(Integer.toString(nodeId));
    }

    public void start() throws IOException {
        Voter self = properties.voter(nodeId);
        int port = properties.getRaftPort() > 0 ? properties.getRaftPort() : self.port();
        RaftProperties raft = new RaftProperties();
        RaftConfigKeys.Rpc.setType(raft, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(raft, self.host());
        GrpcConfigKeys.Server.setPort(raft, port);
        RaftServerConfigKeys.setStorageDir(raft, List.of(raftDir.toFile()));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(raft, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(raft, properties.getSnapshotThreshold());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(raft, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(raft, true);
        RaftServerConfigKeys.Log.setSegmentSizeMax(raft, SizeInBytes.valueOf("1MB"));
        // Elections a little slower than Ratis' default: brokers share the machine with their logs and clients.
        RaftServerConfigKeys.Rpc.setTimeoutMin(raft, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(raft, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        boolean formatted = Files.isDirectory(raftDir.resolve(group.getGroupId().getUuid().toString()));
        server = RaftServer.newBuilder().setServerId(peerId(nodeId)).setGroup(group).setStateMachine(stateMachine)
                .setProperties(raft).setParameters(parameters).setOption(formatted ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
                .build();
        server.start();
        long timeoutMs = properties.getRequestTimeout().toMillis();
        commandRetries = Math.max(1, timeoutMs / RETRY_SLEEP.toLong(TimeUnit.MILLISECONDS));
        synchronized (this) {
            if (commands == null) {
                commands = commandClient(null);
                heartbeats = heartbeatClient(null);
            }
        }
        log.info("Raft voter {} of {} listening on {}:{} with its log in {}", nodeId, properties.getVoters(), self.host(),
                port, raftDir);
    }

    private RaftClient commandClient(RaftPeerId leader) {
        return client(RetryPolicies.retryUpToMaximumCountWithFixedSleep((int) commandRetries, RETRY_SLEEP), leader);
    }

    private RaftClient heartbeatClient(RaftPeerId leader) {
        return client(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3, RETRY_SLEEP), leader);
    }

    private RaftClient client(RetryPolicy retryPolicy, RaftPeerId leader) {
        RaftProperties raft = new RaftProperties();
        RaftConfigKeys.Rpc.setType(raft, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(raft, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        RaftClient.Builder builder = RaftClient.newBuilder().setProperties(raft).setParameters(parameters).setRaftGroup(group)
                .setRetryPolicy(retryPolicy);
        if (leader != null) {
            builder.setLeaderId(leader);
        }
        return builder.build();
    }

    private void leaderChanged(RaftPeerId leader) {
        int id = leader == null ? -1 : Integer.parseInt(leader.toString());
        if (id == nodeId && leaderId != nodeId) {
            liveness.becameController();
            log.info("Broker {} is now the controller", nodeId);
        }
        leaderId = id;
        if (leader != null) {
            aimClientsAt(leader);
        }
    }

    /**
     * A Ratis client keeps sending to the leader it last knew until a request to it times out. When
     * that leader is frozen (a long GC pause, SIGSTOP) rather than dead, its connections stay open
     * and every command and heartbeat would first wait a whole request timeout on it: the new
     * controller would fence the frozen broker a request timeout late, and would not hear the live
     * brokers' heartbeats in time, fencing them too. The Raft server learns of the new leader
     * first, so the clients are replaced by ones aimed at it; the old ones finish what they carry.
     */
    private synchronized void aimClientsAt(RaftPeerId leader) {
        if (closed || commands == null || leader.equals(commands.getLeaderId())) {
            return;
        }
        List<RaftClient> old = List.of(commands, heartbeats);
        retired.addAll(old);
        commands = commandClient(leader);
        heartbeats = heartbeatClient(leader);
        CompletableFuture.delayedExecutor(properties.getRequestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS)
                .execute(() -> retire(old));
    }

    private void retire(List<RaftClient> clients) {
        synchronized (this) {
            if (!retired.removeAll(clients)) {
                return; // closed with the quorum
            }
        }
        clients.forEach(RaftMetadataQuorum::closeQuietly);
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            log.debug("Closing a Raft client failed: {}", e.toString());
        }
    }

    @Override
    public MetadataImage image() {
        return stateMachine.image();
    }

    @Override
    public CommandResult submit(MetadataCommand command) {
        try {
            RaftClientReply reply = commands.io().send(Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(command))));
            if (!reply.isSuccess()) {
                throw timedOut(command, reply.getException());
            }
            CommandResult result = MetadataCodec.decodeResult(reply.getMessage().getContent().toByteArray());
            if (!stateMachine.awaitApplied(reply.getLogIndex(), properties.getRequestTimeout().toMillis())) {
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
                .setServerId(peerId(nodeId)).setGroupId(group.getGroupId()).setCallId(controllerCallIds.incrementAndGet())
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
            if (!stateMachine.awaitApplied(reply.getLogIndex(), timeoutMs)) {
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
            RaftClientReply reply = heartbeats.io().sendReadOnly(MetadataStateMachine.heartbeat(nodeId));
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
        stateMachine.onChange(listener);
    }

    /** Where this voter keeps its log and snapshots. */
    public Path raftDir() {
        return raftDir;
    }

    @Override
    public void close() throws IOException {
        RaftClient closingCommands;
        RaftClient closingHeartbeats;
        List<RaftClient> closingRetired;
        synchronized (this) {
            closed = true;
            closingCommands = commands;
            closingHeartbeats = heartbeats;
            closingRetired = List.copyOf(retired);
            retired.clear();
        }
        closingRetired.forEach(RaftMetadataQuorum::closeQuietly);
        if (closingCommands != null) {
            closingCommands.close();
            closingHeartbeats.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
