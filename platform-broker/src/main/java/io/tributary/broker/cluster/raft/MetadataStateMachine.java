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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import io.tributary.broker.cluster.BrokerLiveness;
import io.tributary.broker.cluster.BrokerRegistration;
import io.tributary.broker.cluster.ClusterState;
import io.tributary.broker.cluster.CommandResult;
import io.tributary.broker.cluster.MetadataCodec;
import io.tributary.broker.cluster.MetadataCommand;
import io.tributary.broker.cluster.MetadataImage;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
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
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of the cluster metadata. Committed entries are {@link MetadataCommand}s
 * applied to {@link ClusterState}; a snapshot is the whole {@link MetadataImage} in one file, written
 * aside and moved into place, so that Ratis can purge the log before it. Read-only queries are the
 * brokers' heartbeats, which reach only the leader — the controller — and are not logged.
 *
 * <p>Ratis applies entries on one thread; the image is published through a volatile field.
 */
final class MetadataStateMachine extends BaseStateMachine {

    private static final Logger log = LoggerFactory.getLogger(MetadataStateMachine.class);

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final BrokerLiveness liveness;
    private final List<Consumer<MetadataImage>> listeners = new CopyOnWriteArrayList<>();
    private final Consumer<RaftPeerId> leaderListener;
    private ClusterState state = new ClusterState(MetadataImage.EMPTY);
    private volatile MetadataImage image = MetadataImage.EMPTY;

    MetadataStateMachine(BrokerLiveness liveness, Consumer<RaftPeerId> leaderListener) {
        this.liveness = liveness;
        this.leaderListener = leaderListener;
    }

    MetadataImage image() {
        return image;
    }

    void onChange(Consumer<MetadataImage> listener) {
        listeners.add(listener);
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
        load(storage.getLatestSnapshot());
    }

    @Override
    public void reinitialize() throws IOException {
        // A snapshot was installed from the leader: it replaces the whole state.
        load(storage.loadLatestSnapshot());
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    private synchronized void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        Path file = snapshot.getFile().getPath();
        MD5FileUtil.verifySavedMD5(file.toFile(), snapshot.getFile().getFileDigest());
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            state = new ClusterState(MetadataCodec.readImage(in));
        }
        image = state.image();
        setLastAppliedTermIndex(snapshot.getTermIndex());
        log.info("Loaded the metadata snapshot {} ({} topics, {} brokers)", file.getFileName(), image.topics().size(),
                image.brokers().size());
        notifyAll();
        publish();
    }

    @Override
    public long takeSnapshot() throws IOException {
        MetadataImage snapshotImage;
        TermIndex last;
        synchronized (this) {
            snapshotImage = image;
            last = getLastAppliedTermIndex();
        }
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        File target = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        Path temporary = target.toPath().resolveSibling(target.getName() + ".tmp");
        try (OutputStream file = Files.newOutputStream(temporary);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(file))) {
            MetadataCodec.writeImage(out, snapshotImage);
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
        CommandResult result;
        synchronized (this) {
            result = state.apply(command);
            image = state.image();
            updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
            notifyAll();
        }
        if (command instanceof MetadataCommand.RegisterBroker register) {
            liveness.heard(register.nodeId());
        }
        publish();
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(MetadataCodec.encode(result))));
    }

    private void publish() {
        MetadataImage current = image;
        for (Consumer<MetadataImage> listener : listeners) {
            try {
                listener.accept(current);
            } catch (RuntimeException e) {
                log.error("A metadata listener failed", e);
            }
        }
    }

    /** A heartbeat: remembered by the controller, answered with whether the broker is registered and unfenced. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        int nodeId = request.getContent().asReadOnlyByteBuffer().getInt();
        liveness.heard(nodeId);
        BrokerRegistration registration = image.brokers().get(nodeId);
        boolean live = registration != null && !registration.fenced();
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(new byte[] {(byte) (live ? 1 : 0)})));
    }

    /** Blocks until this replica has applied the log up to {@code index}. */
    synchronized boolean awaitApplied(long index, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (appliedIndex() < index) {
            long remaining = (deadline - System.nanoTime()) / 1_000_000L;
            if (remaining <= 0) {
                return false;
            }
            wait(remaining);
        }
        return true;
    }

    private long appliedIndex() {
        TermIndex last = getLastAppliedTermIndex();
        return last == null ? -1 : last.getIndex();
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        leaderListener.accept(newLeaderId);
    }
}
