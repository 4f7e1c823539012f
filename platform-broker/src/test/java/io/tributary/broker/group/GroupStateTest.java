package io.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The legal transitions of a classic group, as Kafka's ClassicGroupState lists them, and their enforcement. */
class GroupStateTest {

    @Test
    void theTransitionsAreKafkasAndNoOthers() {
        assertThat(from(GroupState.EMPTY)).containsExactlyInAnyOrder(GroupState.PREPARING_REBALANCE, GroupState.DEAD);
        assertThat(from(GroupState.PREPARING_REBALANCE)).containsExactlyInAnyOrder(GroupState.EMPTY,
                GroupState.COMPLETING_REBALANCE, GroupState.DEAD);
        assertThat(from(GroupState.COMPLETING_REBALANCE)).containsExactlyInAnyOrder(GroupState.PREPARING_REBALANCE,
                GroupState.STABLE, GroupState.DEAD);
        assertThat(from(GroupState.STABLE)).containsExactlyInAnyOrder(GroupState.PREPARING_REBALANCE, GroupState.DEAD);
        assertThat(from(GroupState.DEAD)).containsExactly(GroupState.DEAD);
    }

    @Test
    void anIllegalTransitionIsRefusedAndChangesNothing() {
        ClassicGroup group = new ClassicGroup("g", 5);
        assertThatThrownBy(() -> group.transitionTo(GroupState.STABLE, 10)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("from Empty to Stable");
        assertThat(group.state).isEqualTo(GroupState.EMPTY);
        assertThat(group.stateTimestamp).isEqualTo(5);
        group.transitionTo(GroupState.PREPARING_REBALANCE, 20);
        assertThat(group.state).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(group.stateTimestamp).isEqualTo(20);
    }

    private static Set<GroupState> from(GroupState previous) {
        Set<GroupState> next = EnumSet.noneOf(GroupState.class);
        for (GroupState state : GroupState.values()) {
            if (state.canFollow(previous)) {
                next.add(state);
            }
        }
        return next;
    }
}
