package io.tributary.broker.cluster.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.broker.TestPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto.AppendResult;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftGroupIdProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.proto.RaftProtos.TermIndexProto;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metadata quorum's follower side, at the level of the Raft library, for the bug the fault suite found with
 * seed 3: after a controller cut off from the quorum came back, its log stopped taking entries for good. Its
 * new leader had sent the same appendEntries several times (a resend storm after INCONSISTENCY answers); two
 * copies were appended at once by two threads, the second failed with "Already running a method by ...", and from
 * then on every append failed that way, so the node was fenced every 15 s and never caught up.
 *
 * <p>In Ratis 3.1.3 a follower appended in the thread that handled the request as soon as the previous append
 * had finished, so a second copy arriving while the first was still being appended ran beside it. From 3.2 each
 * append is chained after the previous one and runs on an executor. This test holds the first append inside the
 * state machine, sends the same entries again, and expects both to be answered once the first finishes.
 */
class ResentAppendEntriesTest {

    private static final RaftGroupId GROUP = RaftGroupId.randomId();
    private static final RaftPeerId FOLLOWER = RaftPeerId.valueOf("follower");
    /** A leader that is only ever the sender of the requests below: no server runs for it. */
    private static final RaftPeerId LEADER = RaftPeerId.valueOf("leader");

    @TempDir
    Path dir;

    @Test
    void aResentAppendEntriesArrivingWhileTheFirstCopyIsAppendedIsAnsweredAfterIt() throws Exception {
        HeldAppend stateMachine = new HeldAppend();
        ExecutorService callers = Executors.newCachedThreadPool();
        RaftServer follower = follower(stateMachine);
        try {
            follower.start();
            CompletableFuture<AppendEntriesReplyProto> firstReply = send(follower, appendEntries(1, "a", "b"), callers);
            assertThat(stateMachine.entered.await(30, TimeUnit.SECONDS)).as("the first append reached the log")
                    .isTrue();

            CompletableFuture<AppendEntriesReplyProto> resentReply = send(follower, appendEntries(2, "a", "b"), callers);
            // Time for the resent copy to run into the first one, if it does: with Ratis 3.1.3 it failed at once
            // ("SegmentedRaftLog: Already running a method by ...").
            try {
                resentReply.get(500, TimeUnit.MILLISECONDS);
            } catch (TimeoutException waitingBehindTheFirst) {
                // as it should
            }
            stateMachine.release.countDown();

            assertThat(firstReply.get(30, TimeUnit.SECONDS).getResult()).isEqualTo(AppendResult.SUCCESS);
            assertThat(resentReply.get(30, TimeUnit.SECONDS).getResult()).isEqualTo(AppendResult.SUCCESS);
            // And the log goes on taking entries.
            AppendEntriesReplyProto next = follower.appendEntriesAsync(appendEntries(3, 2, "c"))
                    .get(30, TimeUnit.SECONDS);
            assertThat(next.getResult()).isEqualTo(AppendResult.SUCCESS);
            assertThat(follower.getDivision(GROUP).getRaftLog().getLastEntryTermIndex().getIndex()).isEqualTo(2);
        } finally {
            stateMachine.release.countDown();
            follower.close();
            callers.shutdownNow();
        }
    }

    /** Hands the request to the follower from a thread of its own, as the gRPC service does with each one. */
    private static CompletableFuture<AppendEntriesReplyProto> send(RaftServer follower,
            AppendEntriesRequestProto request, ExecutorService callers) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return follower.appendEntriesAsync(request);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, callers).thenCompose(reply -> reply);
    }

    private RaftServer follower(HeldAppend stateMachine) throws Exception {
        RaftProperties properties = new RaftProperties();
        RaftConfigKeys.Rpc.setType(properties, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setPort(properties, TestPorts.free());
        RaftServerConfigKeys.setStorageDir(properties, List.of(dir.toFile()));
        // No election of its own while the test plays its leader.
        RaftServerConfigKeys.Rpc.setTimeoutMin(properties, TimeDuration.valueOf(60, TimeUnit.SECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(properties, TimeDuration.valueOf(90, TimeUnit.SECONDS));
        RaftGroup group = RaftGroup.valueOf(GROUP,
                RaftPeer.newBuilder().setId(FOLLOWER).setAddress("127.0.0.1:" + TestPorts.free()).build(),
                RaftPeer.newBuilder().setId(LEADER).setAddress("127.0.0.1:" + TestPorts.free()).build());
        return RaftServer.newBuilder().setServerId(FOLLOWER).setGroup(group).setProperties(properties)
                .setStateMachine(stateMachine).setOption(RaftStorage.StartupOption.FORMAT).build();
    }

    /** The leader's request, in term 1, for entries from index 0. */
    private static AppendEntriesRequestProto appendEntries(long callId, String... data) {
        return appendEntries(callId, 0, data);
    }

    private static AppendEntriesRequestProto appendEntries(long callId, long firstIndex, String... data) {
        AppendEntriesRequestProto.Builder request = AppendEntriesRequestProto.newBuilder()
                .setServerRequest(RaftRpcRequestProto.newBuilder().setRequestorId(LEADER.toByteString())
                        .setReplyId(FOLLOWER.toByteString())
                        .setRaftGroupId(RaftGroupIdProto.newBuilder().setId(GROUP.toByteString())).setCallId(callId))
                .setLeaderTerm(1).setLeaderCommit(-1);
        if (firstIndex > 0) {
            request.setPreviousLog(TermIndexProto.newBuilder().setTerm(1)
                    .setIndex(firstIndex - 1));
        }
        for (int i = 0; i < data.length; i++) {
            request.addEntries(LogEntryProto.newBuilder().setTerm(1).setIndex(firstIndex + i)
                    .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder()
                            .setLogData(ByteString.copyFrom(data[i], StandardCharsets.UTF_8))));
        }
        return request.build();
    }

    /** Holds the follower's first append inside the log, where it asks the state machine for a transaction. */
    private static final class HeldAppend extends BaseStateMachine {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final AtomicBoolean held = new AtomicBoolean();

        @Override
        public TransactionContext startTransaction(LogEntryProto entry, RaftPeerRole role) {
            if (held.compareAndSet(false, true)) {
                entered.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.startTransaction(entry, role);
        }
    }
}
