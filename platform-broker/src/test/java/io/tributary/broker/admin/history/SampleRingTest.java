package io.tributary.broker.admin.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class SampleRingTest {

    @Test
    void anEmptyRing() {
        SampleRing<Integer> ring = new SampleRing<>(3);

        assertThat(ring.snapshot()).isEmpty();
        assertThat(ring.last()).isNull();
        assertThat(ring.size()).isZero();
    }

    @Test
    void keepsSamplesOldestFirstUntilFull() {
        SampleRing<Integer> ring = new SampleRing<>(3);
        ring.add(1);
        ring.add(2);

        assertThat(ring.snapshot()).containsExactly(1, 2);
        assertThat(ring.last()).isEqualTo(2);
        assertThat(ring.size()).isEqualTo(2);

        ring.add(3);

        assertThat(ring.snapshot()).containsExactly(1, 2, 3);
        assertThat(ring.size()).isEqualTo(3);
    }

    @Test
    void aFullRingDropsTheOldest() {
        SampleRing<Integer> ring = new SampleRing<>(3);
        for (int i = 1; i <= 8; i++) {
            ring.add(i);
        }

        assertThat(ring.snapshot()).containsExactly(6, 7, 8);
        assertThat(ring.last()).isEqualTo(8);
        assertThat(ring.size()).isEqualTo(3);
    }

    @Test
    void wrapsAtEveryPosition() {
        for (int added = 0; added <= 10; added++) {
            SampleRing<Integer> ring = new SampleRing<>(4);
            for (int i = 0; i < added; i++) {
                ring.add(i);
            }
            java.util.List<Integer> expected = new java.util.ArrayList<>();
            for (int i = Math.max(0, added - 4); i < added; i++) {
                expected.add(i);
            }
            assertThat(ring.snapshot()).as("after %d", added).isEqualTo(expected);
        }
    }

    @Test
    void aSnapshotIsACopy() {
        SampleRing<Integer> ring = new SampleRing<>(2);
        ring.add(1);
        java.util.List<Integer> snapshot = ring.snapshot();

        ring.add(2);
        ring.add(3);

        assertThat(snapshot).containsExactly(1);
    }

    @Test
    void aRingOfOne() {
        SampleRing<String> ring = new SampleRing<>(1);
        ring.add("a");
        ring.add("b");

        assertThat(ring.snapshot()).containsExactly("b");
        assertThat(ring.last()).isEqualTo("b");
    }

    @Test
    void aRingHoldsAtLeastOneSample() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SampleRing<>(0));
        assertThatIllegalArgumentException().isThrownBy(() -> new SampleRing<>(-1));
    }
}
