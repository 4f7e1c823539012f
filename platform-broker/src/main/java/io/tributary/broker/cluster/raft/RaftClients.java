package io.tributary.broker.cluster.raft;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import io.tributary.broker.metadata.MetadataException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's Raft clients of the metadata group: one for commands, which Ratis sends to the leader
 * wherever it is, and one for heartbeats, which gives up quickly since the next one follows soon; both
 * aimed at the voters this node last learnt of. Administrative requests — the leader's view of the group,
 * a change of its configuration, a transfer of its leadership — go through them or through a short-lived
 * client of their own.
 *
 * <p>Thread-safe.
 */
final class RaftClients implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftClients.class);
    static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(250, TimeUnit.MILLISECONDS);

    private final RaftGroupId groupId;
    /** The gRPC transport's TLS settings. */
    private final Parameters parameters;
    private final Duration requestTimeout;
    private final Supplier<List<RaftPeer>> voters;
    private final Supplier<List<RaftPeer>> everyone;
    private final int commandRetries;
    private RaftClient commands;
    private RaftClient heartbeats;
    /** Clients aimed at a former leader or voter set, closed a little later or with the others. */
    private final List<RaftClient> retired = new ArrayList<>();
    private boolean closed;

    /**
     * @param voters   the voters this node knows now, whom commands go to
     * @param everyone every member this node knows, voters and listeners, whom an administrative query may ask
     */
    RaftClients(RaftGroupId groupId, Parameters parameters, Duration requestTimeout, Supplier<List<RaftPeer>> voters,
            Supplier<List<RaftPeer>> everyone) {
        this.groupId = groupId;
        this.parameters = parameters;
        this.requestTimeout = requestTimeout;
        this.voters = voters;
        this.everyone = everyone;
        this.commandRetries = (int) Math.max(1, requestTimeout.toMillis() / RETRY_SLEEP.toLong(TimeUnit.MILLISECONDS));
    }

    synchronized RaftClient commands() {
        if (commands == null) {
            commands = commandClient(null);
        }
        return commands;
    }

    synchronized RaftClient heartbeats() {
        if (heartbeats == null) {
            heartbeats = heartbeatClient(null);
        }
        return heartbeats;
    }

    private RaftClient commandClient(RaftPeerId leader) {
        return client(voters.get(), RetryPolicies.retryUpToMaximumCountWithFixedSleep(commandRetries, RETRY_SLEEP), leader, 3);
    }

    private RaftClient heartbeatClient(RaftPeerId leader) {
        return client(voters.get(), RetryPolicies.retryUpToMaximumCountWithFixedSleep(3, RETRY_SLEEP), leader, 3);
    }

    private RaftClient client(List<RaftPeer> peers, RetryPolicy retryPolicy, RaftPeerId leader, int requestTimeoutSeconds) {
        RaftProperties raft = new RaftProperties();
        RaftConfigKeys.Rpc.setType(raft, SupportedRpcType.GRPC);
        RaftClientConfigKeys.Rpc.setRequestTimeout(raft, TimeDuration.valueOf(requestTimeoutSeconds, TimeUnit.SECONDS));
        RaftClient.Builder builder = RaftClient.newBuilder().setProperties(raft).setParameters(parameters)
                .setRaftGroup(RaftGroup.valueOf(groupId, peers)).setRetryPolicy(retryPolicy);
        if (leader != null && peers.stream().anyMatch(peer -> peer.getId().equals(leader))) {
            builder.setLeaderId(leader);
        }
        return builder.build();
    }

    /**
     * A Ratis client keeps sending to the leader it last knew until a request to it times out. When
     * that leader is frozen (a long GC pause, SIGSTOP) rather than dead, its connections stay open
     * and every command and heartbeat would first wait a whole request timeout on it: the new
     * controller would fence the frozen broker a request timeout late, and would not hear the live
     * brokers' heartbeats in time, fencing them too. The Raft server learns of the new leader
     * first, so the clients are replaced by ones aimed at it; the old ones finish what they carry.
     * Clients are replaced too when the voters change, as they know only the voters they were made with.
     */
    synchronized void aimAt(RaftPeerId leader, boolean votersChanged) {
        if (closed || commands == null || (!votersChanged && leader.equals(commands.getLeaderId()))) {
            return;
        }
        List<RaftClient> old = heartbeats == null ? List.of(commands) : List.of(commands, heartbeats);
        retired.addAll(old);
        commands = commandClient(leader);
        heartbeats = heartbeatClient(leader);
        CompletableFuture.delayedExecutor(requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS).execute(() -> retire(old));
    }

    private void retire(List<RaftClient> clients) {
        synchronized (this) {
            if (!retired.removeAll(clients)) {
                return; // closed meanwhile
            }
        }
        clients.forEach(RaftClients::closeQuietly);
    }

    private static void closeQuietly(RaftClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            log.debug("Closing a Raft client failed: {}", e.toString());
        }
    }

    /**
     * The leader's view of the group — its members, term, log, each member's commit index and last contact —
     * asked of {@code knownLeader} first (when known), else of every member in turn.
     *
     * @throws MetadataException REQUEST_TIMED_OUT when no leader answered
     * @throws GroupMismatchException when no leader answered and a member said it serves another group
     */
    GroupInfoReply leaderInfo(int knownLeader) throws GroupMismatchException {
        List<RaftPeer> peers = everyone.get();
        List<RaftPeerId> order = new ArrayList<>();
        if (knownLeader >= 0) {
            order.add(RaftMetadataQuorum.peerId(knownLeader));
        }
        peers.stream().map(RaftPeer::getId).filter(id -> !order.contains(id)).forEach(order::add);
        GroupMismatchException mismatch = null;
        try (RaftClient admin = client(peers, RetryPolicies.noRetry(), null, 2)) {
            for (RaftPeerId candidate : order) {
                try {
                    GroupInfoReply info = admin.getGroupManagementApi(candidate).info(groupId);
                    if (info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER) {
                        return info;
                    }
                } catch (GroupMismatchException e) {
                    mismatch = e;
                } catch (IOException | RuntimeException e) {
                    log.debug("Raft member {} did not answer: {}", candidate, e.toString());
                }
            }
        } catch (IOException e) {
            log.debug("Closing an admin client failed: {}", e.toString());
        }
        if (mismatch != null) {
            throw mismatch;
        }
        throw new MetadataException(Errors.REQUEST_TIMED_OUT, "No leader of the metadata quorum answered");
    }

    /**
     * Changes the group's configuration through its leader.
     *
     * @throws MetadataException REQUEST_TIMED_OUT when the leader refused it (another change under way,
     *     or the configuration is no longer the one the arguments compare with) or did not answer in time
     */
    void setConfiguration(SetConfigurationRequest.Arguments arguments) {
        try {
            RaftClientReply reply = commands().admin().setConfiguration(arguments);
            if (!reply.isSuccess()) {
                throw new MetadataException(Errors.REQUEST_TIMED_OUT, "The metadata quorum did not change its "
                        + "configuration: " + reply.getException());
            }
        } catch (IOException e) {
            throw new MetadataException(Errors.REQUEST_TIMED_OUT, "The metadata quorum did not change its configuration: "
                    + e.getMessage());
        }
    }

    /** Moves the leadership to {@code newLeader}, waiting up to the request timeout. */
    void transferLeadership(int newLeader) {
        try {
            RaftClientReply reply = commands().admin().transferLeadership(RaftMetadataQuorum.peerId(newLeader),
                    requestTimeout.toMillis());
            if (!reply.isSuccess()) {
                throw new MetadataException(Errors.REQUEST_TIMED_OUT, "The leadership did not move to " + newLeader + ": "
                        + reply.getException());
            }
        } catch (IOException e) {
            throw new MetadataException(Errors.REQUEST_TIMED_OUT, "The leadership did not move to " + newLeader + ": "
                    + e.getMessage());
        }
    }

    @Override
    public void close() {
        List<RaftClient> closing = new ArrayList<>();
        synchronized (this) {
            closed = true;
            closing.addAll(retired);
            retired.clear();
            if (commands != null) {
                closing.add(commands);
            }
            if (heartbeats != null) {
                closing.add(heartbeats);
            }
        }
        closing.forEach(RaftClients::closeQuietly);
    }
}
