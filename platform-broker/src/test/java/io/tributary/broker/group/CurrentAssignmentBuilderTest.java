package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import io.tributary.broker.group.ConsumerGroupMember.MemberState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** A member's way to the target assignment: revoke first, then take what no one else holds. */
class CurrentAssignmentBuilderTest {

    private static final TopicPartition A0 = new TopicPartition("a", 0);
    private static final TopicPartition A1 = new TopicPartition("a", 1);
    private static final TopicPartition A2 = new TopicPartition("a", 2);

    private static ConsumerGroupMember member(int epoch, MemberState state, Set<TopicPartition> assigned,
            Set<TopicPartition> pending) {
        ConsumerGroupMember member = new ConsumerGroupMember("m");
        member.memberEpoch = epoch;
        member.state = state;
        member.assigned = assigned;
        member.pendingRevocation = pending;
        return member;
    }

    @Test
    void aMemberThatMustGiveUpPartitionsKeepsItsEpochUntilItsHeartbeatShowsThemGone() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, Set.of(A0, A1), Set.of());

        var revoking = CurrentAssignmentBuilder.reconcile(member, 4, Set.of(A0, A2), tp -> false, null);

        assertThat(revoking.memberEpoch()).isEqualTo(3);
        assertThat(revoking.state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(revoking.assigned()).containsExactly(A0);
        assertThat(revoking.pendingRevocation()).containsExactly(A1);

        apply(member, revoking);
        // Still owning A1 (or not saying): nothing moves.
        assertThat(CurrentAssignmentBuilder.reconcile(member, 4, Set.of(A0, A2), tp -> false, Set.of(A0, A1)))
                .isEqualTo(revoking);
        assertThat(CurrentAssignmentBuilder.reconcile(member, 4, Set.of(A0, A2), tp -> false, null)).isEqualTo(revoking);

        var done = CurrentAssignmentBuilder.reconcile(member, 4, Set.of(A0, A2), tp -> false, Set.of(A0));
        assertThat(done.memberEpoch()).isEqualTo(4);
        assertThat(done.state()).isEqualTo(MemberState.STABLE);
        assertThat(done.assigned()).containsExactlyInAnyOrder(A0, A2);
        assertThat(done.pendingRevocation()).isEmpty();
    }

    @Test
    void aPartitionAnotherMemberStillHoldsIsGivenOnlyOnceReleased() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, Set.of(A0), Set.of());

        var waiting = CurrentAssignmentBuilder.reconcile(member, 4, Set.of(A0, A1), tp -> tp.equals(A1), null);

        assertThat(waiting.memberEpoch()).isEqualTo(4);
        assertThat(waiting.state()).isEqualTo(MemberState.UNRELEASED_PARTITIONS);
        assertThat(waiting.assigned()).containsExactly(A0);

        apply(member, waiting);
        var released = CurrentAssignmentBuilder.reconcile(member, 4, Set.of(A0, A1), tp -> false, null);
        assertThat(released.state()).isEqualTo(MemberState.STABLE);
        assertThat(released.assigned()).containsExactlyInAnyOrder(A0, A1);
    }

    @Test
    void aStableMemberAtTheTargetEpochStaysAsItIs() {
        ConsumerGroupMember member = member(5, MemberState.STABLE, Set.of(A0), Set.of());

        var same = CurrentAssignmentBuilder.reconcile(member, 5, Set.of(A0), tp -> true, Set.of(A0));

        assertThat(same.memberEpoch()).isEqualTo(5);
        assertThat(same.state()).isEqualTo(MemberState.STABLE);
        assertThat(same.assigned()).containsExactly(A0);
    }

    @Test
    void aNewMemberTakesAtOnceWhatNobodyHolds() {
        ConsumerGroupMember member = member(0, MemberState.STABLE, Set.of(), Set.of());

        var joined = CurrentAssignmentBuilder.reconcile(member, 1, Set.of(A0, A1, A2), tp -> false, Set.of());

        assertThat(joined.memberEpoch()).isEqualTo(1);
        assertThat(joined.state()).isEqualTo(MemberState.STABLE);
        assertThat(joined.assigned()).containsExactlyInAnyOrder(A0, A1, A2);
    }

    private static void apply(ConsumerGroupMember member, CurrentAssignmentBuilder.Reconciled next) {
        member.memberEpoch = next.memberEpoch();
        member.state = next.state();
        member.assigned = next.assigned();
        member.pendingRevocation = next.pendingRevocation();
    }
}
