package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

/**
 * Committed offsets never go backwards unless a reset is explicitly asked for: whatever mix of
 * commits by the current member, commits and heartbeats by stale members of older generations
 * ("zombies"), rebalances and coordinator restarts, the committed offset is exactly the last one
 * accepted, and only an explicit reset of the empty group moves it back.
 */
class CommittedOffsetsPropertyTest {

    private static final String GROUP = "orders-consumers";
    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
    private static final GroupCoordinatorConfig CONFIG = new GroupCoordinatorConfig(2, 1024 * 1024, 1_000, 600_000, 0,
            Duration.ofDays(1).toMillis(), Duration.ofHours(1).toMillis(), 4096);

    /** A member of some generation: the current one, or a zombie once the group moved on. */
    private record Member(String memberId, int generation) {
    }

    @Property(tries = 25)
    void committedOffsetsMoveOnlyForwardExceptOnExplicitReset(
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 599) Integer> steps) throws IOException {
        Path dir = Files.createTempDirectory("offsets-property");
        try (CoordinatorHarness harness = new CoordinatorHarness(dir, CONFIG)) {
            List<Member> zombies = new ArrayList<>();
            Member current = joinAndSync(harness.coordinator());
            long model = -1; // nothing committed yet
            for (int step : steps) {
                GroupCoordinator coordinator = harness.coordinator();
                int parameter = step / 6;
                switch (step % 6) {
                    case 0, 1 -> { // the current member commits progress
                        long next = Math.max(model, 0) + parameter;
                        assertThat(commit(coordinator, current, next)).isEqualTo(Errors.NONE);
                        model = next;
                    }
                    case 2 -> { // a zombie commits an older position, and heartbeats
                        if (!zombies.isEmpty()) {
                            Member zombie = zombies.get(parameter % zombies.size());
                            assertThat(commit(coordinator, zombie, Math.max(0, model - 1 - parameter)))
                                    .isIn(Errors.ILLEGAL_GENERATION, Errors.UNKNOWN_MEMBER_ID);
                            assertThat(coordinator.heartbeat(GROUP, zombie.memberId(), null, zombie.generation()))
                                    .isIn(Errors.ILLEGAL_GENERATION, Errors.UNKNOWN_MEMBER_ID);
                        }
                    }
                    case 3 -> { // a rebalance: the member leaves, a new one takes over
                        coordinator.leaveGroup(GROUP, List.of(new GroupCoordinator.LeavingMember(current.memberId(), null)));
                        zombies.add(current);
                        current = joinAndSync(coordinator);
                    }
                    case 4 -> harness.restart(); // the current member's generation survives the restart
                    default -> { // an operator resets the empty group's offset, then consumers come back
                        coordinator.leaveGroup(GROUP, List.of(new GroupCoordinator.LeavingMember(current.memberId(), null)));
                        zombies.add(current);
                        long reset = parameter;
                        assertThat(commit(coordinator, new Member("", -1), reset)).isEqualTo(Errors.NONE);
                        model = reset;
                        current = joinAndSync(coordinator);
                    }
                }
                long committed = harness.coordinator().committedOffsets(GROUP, List.of(PARTITION)).get(PARTITION).offset();
                assertThat(committed).isEqualTo(model);
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static Errors commit(GroupCoordinator coordinator, Member member, long offset) {
        return coordinator.commitOffsets(GROUP, member.generation(), member.memberId(), null,
                List.of(new GroupCoordinator.OffsetToCommit(PARTITION, offset, -1, ""))).get(PARTITION);
    }

    /** A new member joins the (empty) group and syncs: the group is stable at a new generation. */
    private static Member joinAndSync(GroupCoordinator coordinator) {
        JoinGroupResponseData required = coordinator.joinGroup(request(""), "client", "/127.0.0.1", (short) 9).join();
        assertThat(Errors.forCode(required.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        CompletableFuture<JoinGroupResponseData> joining = coordinator.joinGroup(request(required.memberId()), "client",
                "/127.0.0.1", (short) 9);
        assertThat(joining).isDone();
        JoinGroupResponseData joined = joining.join();
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode(coordinator.syncGroup(new SyncGroupRequestData().setGroupId(GROUP)
                .setMemberId(joined.memberId()).setGenerationId(joined.generationId())
                .setAssignments(List.of())).join().errorCode())).isEqualTo(Errors.NONE);
        return new Member(joined.memberId(), joined.generationId());
    }

    private static JoinGroupRequestData request(String memberId) {
        ByteBuffer subscription = ConsumerProtocol.serializeSubscription(new Subscription(List.of(PARTITION.topic())));
        return new JoinGroupRequestData().setGroupId(GROUP).setMemberId(memberId).setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(30_000).setProtocolType("consumer")
                .setProtocols(new JoinGroupRequestProtocolCollection(List.of(new JoinGroupRequestProtocol()
                        .setName("range").setMetadata(Utils.toArray(subscription))).iterator()));
    }
}
