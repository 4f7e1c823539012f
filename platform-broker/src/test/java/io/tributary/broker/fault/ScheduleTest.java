package io.tributary.broker.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import io.tributary.broker.fault.Schedule.Kind;
import io.tributary.broker.fault.Schedule.Step;
import org.junit.jupiter.api.Test;

/** Schedules repeat from their seed, and a kind added later leaves every seed's other faults as they were. */
class ScheduleTest {

    /** Seeds 1 to 4 with the default kinds, as they were before any disk fault existed. */
    private static final List<String> DEFAULT_KINDS_BEFORE_DISK_FAULTS = List.of(
            "seed 1: BRIDGE node 1 for 3434 ms, LINK_DOWN node 1 for 6978 ms, PAUSE node 1 for 3569 ms, ISOLATE_LEADER for 3317 ms, ISOLATE_CONTROLLER for 4562 ms, KILL node 0 for 4592 ms, SLOW_LINK node 2 for 3596 ms",
            "seed 2: ISOLATE_CONTROLLER for 5606 ms, ISOLATE_LEADER for 6847 ms, BRIDGE node 2 for 5094 ms, SLOW_LINK node 0 for 4434 ms, KILL node 2 for 5514 ms, LINK_DOWN node 0 for 6067 ms, PAUSE node 2 for 5530 ms",
            "seed 3: KILL node 1 for 3549 ms, ISOLATE_LEADER for 4459 ms, SLOW_LINK node 1 for 4585 ms, BRIDGE node 1 for 5277 ms, LINK_DOWN node 1 for 3981 ms, ISOLATE_CONTROLLER for 5576 ms, PAUSE node 1 for 4886 ms",
            "seed 4: ISOLATE_LEADER for 4911 ms, ISOLATE_CONTROLLER for 3462 ms, LINK_DOWN node 2 for 5692 ms, PAUSE node 2 for 6552 ms, KILL node 0 for 3962 ms, SLOW_LINK node 0 for 3469 ms, BRIDGE node 0 for 5662 ms");

    /** Seeds 1 to 4 with all eight kinds there were before any disk fault existed. */
    private static final List<String> ALL_BEFORE_DISK_FAULTS = List.of(
            "seed 1: ISOLATE_CONTROLLER for 5606 ms, PAUSE node 1 for 4748 ms, KILL node 1 for 5473 ms, LINK_DOWN node 0 for 6263 ms, BRIDGE node 2 for 4234 ms, ISOLATE_LEADER for 6262 ms, SLOW_LINK node 2 for 3189 ms, FLAPPING_LINK node 1 for 3332 ms",
            "seed 2: SLOW_LINK node 1 for 6719 ms, BRIDGE node 2 for 6068 ms, LINK_DOWN node 1 for 4086 ms, PAUSE node 2 for 5614 ms, KILL node 1 for 3416 ms, ISOLATE_CONTROLLER for 3399 ms, ISOLATE_LEADER for 4231 ms, FLAPPING_LINK node 2 for 4647 ms",
            "seed 3: ISOLATE_CONTROLLER for 3564 ms, SLOW_LINK node 0 for 6961 ms, BRIDGE node 2 for 5882 ms, PAUSE node 0 for 4614 ms, ISOLATE_LEADER for 3806 ms, LINK_DOWN node 1 for 3137 ms, KILL node 1 for 5099 ms, FLAPPING_LINK node 1 for 4092 ms",
            "seed 4: PAUSE node 0 for 4846 ms, ISOLATE_LEADER for 3427 ms, LINK_DOWN node 2 for 6508 ms, SLOW_LINK node 2 for 6560 ms, KILL node 1 for 5052 ms, BRIDGE node 1 for 5476 ms, ISOLATE_CONTROLLER for 6148 ms, FLAPPING_LINK node 1 for 6369 ms");

    @Test
    void theDefaultKindsGiveSeedsOneToFourTheSchedulesTheyAlwaysHad() {
        for (int seed = 1; seed <= 4; seed++) {
            assertThat(Schedule.of(seed, 1, Schedule.kinds(FaultInjectionTest.DEFAULT_KINDS), 3))
                    .hasToString(DEFAULT_KINDS_BEFORE_DISK_FAULTS.get(seed - 1));
        }
    }

    @Test
    void eachDiskFaultJoinsEveryRoundAndLeavesTheOtherFaultsOfEachSeedAsTheyWere() {
        List<Kind> disks = List.of(Kind.DISK_FULL, Kind.DISK_ERROR);
        for (int seed = 1; seed <= 4; seed++) {
            Schedule all = Schedule.of(seed, 1, Schedule.kinds("all"), 3);
            assertThat(all.steps()).filteredOn(step -> step.kind() == Kind.DISK_FULL).hasSize(1);
            assertThat(all.steps()).filteredOn(step -> step.kind() == Kind.DISK_ERROR).hasSize(1);
            assertThat(all.without(disks)).hasToString(ALL_BEFORE_DISK_FAULTS.get(seed - 1));
            // A full disk falls where it fell before the failing disk existed.
            Schedule beforeDiskErrors = Schedule.of(seed, 1, Schedule.kinds("all").stream()
                    .filter(kind -> kind != Kind.DISK_ERROR).toList(), 3);
            assertThat(all.without(List.of(Kind.DISK_ERROR))).isEqualTo(beforeDiskErrors);
        }
        Schedule longer = Schedule.of(1, 120_000, Schedule.kinds("all"), 3);
        Schedule withoutDisks = Schedule.of(1, 120_000, Schedule.kinds("all").stream().filter(k -> !k.addedLater()).toList(), 3);
        assertThat(longer.without(disks)).isEqualTo(withoutDisks);
        int firstKinds = Kind.values().length - disks.size();
        long rounds = (withoutDisks.steps().size() + firstKinds - 1) / firstKinds; // the last one may be partial
        for (Kind disk : disks) {
            assertThat(longer.steps()).filteredOn(step -> step.kind() == disk).hasSize((int) rounds);
        }
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndDiskFaultsAloneMakeOne() {
        assertThat(Schedule.of(7, 60_000, Schedule.kinds("all"), 3)).isEqualTo(Schedule.of(7, 60_000, Schedule.kinds("all"), 3));
        Schedule disks = Schedule.of(1, 20_000, List.of(Kind.DISK_FULL), 3);
        assertThat(disks.steps()).extracting(Step::kind).containsOnly(Kind.DISK_FULL);
        assertThat(disks.steps().stream().mapToLong(Step::holdMs).sum()).isGreaterThanOrEqualTo(20_000);
        assertThat(disks.nodesOf(Kind.DISK_FULL)).isNotEmpty().allMatch(node -> node >= 0 && node < 3);
    }
}
