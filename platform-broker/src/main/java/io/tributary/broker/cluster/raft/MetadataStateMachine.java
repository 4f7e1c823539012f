package io.tributary.broker.cluster.raft;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CompletableFuture;
import io.tributary.broker.cluster.BrokerLiveness;
import io.tributary.broker.cluster.BrokerRegistration;
import io.tributary.broker.cluster.CommandResult;
import io.tributary.broker.cluster.MetadataCodec;
import io.tributary.broker.cluster.MetadataCommand;
import io.tributary.broker.cluster.MetadataImage;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of the cluster metadata, one per start of this node's Raft server: committed
 * entries are {@link MetadataCommand}s applied to the {@link MetadataReplica}, which outlives it; a
 * snapshot is the whole {@link MetadataImage} in one file, written aside and moved into place, so that
 * Ratis can purge the log before it. Read-only queries are the brokers' heartbeats, which reach only the
 * leader — the controller — and are not logged. Ratis' events (a new leader, a new configuration, the
 * server shut down) are passed on to {@link Events}.
 *
 * <p>Ratis applies entries on one thread.
 */
final class MetadataStateMachine extends BaseStateMachine {

    private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);

    /** What this node's quorum does when Ratis tells it something. */
    interface Events {

        void leaderChanged(RaftPeerId leader);

        /** A configuration entry was applied: this node's role in it may have changed. */
        void configurationChanged(RaftConfigurationProto configuration);

        /** This node's Raft server stopped itself (a removed voter that stood for election is told to). */
        void serverShutDown();
    }

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final MetadataReplica replica;
    private final BrokerLiveness liveness;
    private final Events events;

    MetadataStateMachine(MetadataReplica replica, BrokerLiveness liveness, Events events) {
        this.replica = replica;
        this.liveness = liveness;
        this.events = events;
    }

    static Message heartbeat(int nodeId) {
        return Message.valueOf(ByteString.copyFrom(ByteBuffer.allocate(4).putInt(0, nodeId)));
    }

    static boolean heartbeatAnswer(Message reply) {
        return reply.getContent().byteAt(0) == 1;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(() -> load(storage.getLatestSnapshot()), IOException.class);
    }

    /** Before Ratis installs a snapshot from the leader (a new or far-behind member), which it checks it is. */
    @Override
    public void pause() {
        if (getLifeCycle().compareAndTransition(LifeCycle.State.RUNNING, LifeCycle.State.PAUSING)) {
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    @Override
    public void reinitialize() throws IOException {
        // A snapshot was installed from the leader: it replaces the whole state.
        load(storage.loadLatestSnapshot());
        if (getLifeCycle().compareAndTransition(LifeCycle.State.PAUSED, LifeCycle.State.STARTING)) {
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        // Ratis replays the log from the snapshot on; what the replica applied already is skipped.
        setLastAppliedTermIndex(snapshot.getTermIndex());
        if (replica.appliedIndex() >= snapshot.getIndex()) {
            return;
        }
        Path file = snapshot.getFile().getPath();
        MD5FileUtil.verifySavedMD5(file.toFile(), snapshot.getFile().getFileDigest());
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            replica.load(snapshot.getTermIndex(), MetadataCodec.readImage(in));
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        MetadataReplica.Snapshot snapshot = replica.snapshot();
        TermIndex applied = getLastAppliedTermIndex();
        // Not while replaying entries the replica has applied already: Ratis takes no snapshot beyond its applied index.
        if (snapshot == null || applied == null || snapshot.at().getIndex() > applied.getIndex()) {
            return -1;
        }
        TermIndex last = snapshot.at();
        File target = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        Path temporary = target.toPath().resolveSibling(target.getName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(temporary);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
            MetadataCodec.writeImage(out, snapshot.image());
            out.flush();
        }
        // On disk before it replaces the previous snapshot, so a crash leaves one or the other whole.
        try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(temporary, target.toPath(), StandardCopyOption.ATOMIC_MOVE);
        var md5 = MD5FileUtil.computeAndSaveMd5ForFile(target);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target.toPath(), md5), last));
        log.info("Snapshotted the metadata at {}", last);
        return last.getIndex();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        MetadataCommand command = MetadataCodec.decodeCommand(entry.getStateMachineLogEntry().getLogData().toByteArray());
        CommandResult result = replica.apply(TermIndex.valueOf(entry), command);
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        if (result == null) {
            // Applied before this Raft server restarted; no client waits for its answer any more.
            result = new CommandResult(org.apache.kafka.common.protocol.Errors.NONE, null, 0);
        } else if (command instanceof MetadataCommand.RegisterBroker register) {
            liveness.heard(register.nodeId());
        }
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(result))));
    }

    /** A heartbeat: remembered by the controller, answered with whether the broker is registered and unfenced. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        int nodeId = request.getContent().asReadOnlyByteBuffer().getInt();
        liveness.heard(nodeId);
        BrokerRegistration registration = replica.image().brokers().get(nodeId);
        boolean live = registration != null && !registration.fenced();
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(new byte[] {(byte) (live ? 1 : 0)})));
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        events.leaderChanged(newLeaderId);
    }

    @Override
    public void notifyConfigurationChanged(long term, long index, RaftConfigurationProto configuration) {
        events.configurationChanged(configuration);
    }

    @Override
    public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
        events.serverShutDown();
    }
}
