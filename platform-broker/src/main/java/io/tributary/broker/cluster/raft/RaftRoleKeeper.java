package io.tributary.broker.cluster.raft;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftConfiguration;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's Raft server in the role the quorum's configuration gives it. Ratis decides whether
 * a member runs as a voter or as a listener when its server starts, and a running one keeps its role
 * when a new configuration promotes or demotes it; so when the latest configuration names this node a
 * voter while it listens (AddRaftVoter), or a listener while it votes (RemoveRaftVoter of a live voter),
 * its Raft server is restarted from its storage and takes the new role. A node whose server was stopped
 * by the leader (a removed voter that stood for election) restarts it and asks to be added back as a
 * listener, so that it keeps receiving the metadata as a broker. (A node the configuration does not name
 * while its server runs is one joining, or one that {@link io.tributary.broker.cluster.ClusterMembership}
 * makes join again when it finds itself fenced.)
 *
 * <p>Checks run on a thread of their own, never on Ratis' threads, which a restart waits for.
 */
final class RaftRoleKeeper implements MetadataStateMachine.Events, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RaftRoleKeeper.class);
    private static final long RETRY_MS = 2_000;

    private final RaftPeerId self;
    private final RaftMetadataQuorum quorum;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean checkPending = new AtomicBoolean();

    RaftRoleKeeper(int nodeId, RaftMetadataQuorum quorum) {
        this.self = RaftMetadataQuorum.peerId(nodeId);
        this.quorum = quorum;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tributary-raft-role-" + nodeId);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void leaderChanged(RaftPeerId leader) {
        quorum.leaderChanged(leader);
    }

    @Override
    public void configurationChanged(RaftConfigurationProto configuration) {
        quorum.votersMayHaveChanged();
        scheduleCheck(0);
    }

    @Override
    public void serverShutDown() {
        scheduleCheck(0);
    }

    private void scheduleCheck(long delayMs) {
        if (executor.isShutdown() || !checkPending.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.schedule(this::check, delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            checkPending.set(false);
        }
    }

    private void check() {
        checkPending.set(false);
        if (quorum.isClosed()) {
            return;
        }
        try {
            RaftServer.Division division = quorum.division();
            if (division == null || !division.getInfo().isAlive()) {
                log.warn("The Raft server of {} stopped while the broker runs: starting it again and rejoining", self);
                quorum.restartDivision();
                quorum.join();
                return;
            }
            RaftConfiguration conf = division.getRaftConf();
            if (!conf.getPreviousPeers().isEmpty()) {
                return; // a joint configuration: the next one, alone, decides
            }
            boolean voter = conf.getPeer(self, RaftPeerRole.FOLLOWER) != null;
            boolean listener = conf.getPeer(self, RaftPeerRole.LISTENER) != null;
            RaftPeerRole role = division.getInfo().getCurrentRole();
            if (voter && role == RaftPeerRole.LISTENER) {
                log.info("{} is now a voter of the metadata quorum: restarting its Raft server as one", self);
                quorum.restartDivision();
            } else if (listener && role != RaftPeerRole.LISTENER) {
                log.info("{} is no longer a voter of the metadata quorum: restarting its Raft server as a listener", self);
                quorum.restartDivision();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Could not bring {} to its role in the metadata quorum; trying again: {}", self, e.toString());
            scheduleCheck(RETRY_MS);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
