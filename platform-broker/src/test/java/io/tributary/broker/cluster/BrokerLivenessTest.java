package io.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import io.tributary.broker.cluster.MetadataCommand.RegisterBroker;
import org.junit.jupiter.api.Test;

/** The controller fences a broker only after a whole session without hearing from it. */
class BrokerLivenessTest {

    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * MS);
    private final BrokerLiveness liveness = new BrokerLiveness(9_000, now::get);

    @Test
    void aBrokerExpiresASessionAfterItsLastHeartbeatOrTheControllersStart() {
        ClusterState state = new ClusterState(MetadataImage.EMPTY);
        state.apply(new RegisterBroker(0, "h", 1));
        state.apply(new RegisterBroker(1, "h", 2));
        liveness.becameController();
        now.addAndGet(5_000 * MS);
        liveness.heard(0);

        now.addAndGet(4_500 * MS);
        assertThat(liveness.expired(state.image())).containsExactly(1);

        now.addAndGet(5_000 * MS);
        assertThat(liveness.expired(state.image())).containsExactlyInAnyOrder(0, 1);

        liveness.heard(0);
        liveness.heard(1);
        assertThat(liveness.expired(state.image())).isEmpty();
    }
}
