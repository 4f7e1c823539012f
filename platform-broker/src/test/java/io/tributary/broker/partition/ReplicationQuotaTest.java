package io.tributary.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The replication throttle's rate: bytes sent beyond it are paid back in time, and a new rate applies at once. */
class ReplicationQuotaTest {

    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong rate = new AtomicLong(1_000);
    private final ReplicationQuota quota = new ReplicationQuota(rate::get, nanos::get);

    @Test
    void anOverdrawnQuotaWaitsForTheRateToPayItBack() {
        assertThat(quota.isExceeded()).isFalse();
        quota.record(3_000); // three seconds' worth at once
        assertThat(quota.isExceeded()).isTrue();
        advanceMillis(2_500);
        assertThat(quota.isExceeded()).isTrue();
        advanceMillis(600);
        assertThat(quota.isExceeded()).isFalse();
    }

    @Test
    void idleTimeSavesAtMostOneSecondOfTheRate() {
        advanceMillis(60_000);
        quota.record(1_000);
        assertThat(quota.isExceeded()).isFalse();
        quota.record(1);
        assertThat(quota.isExceeded()).isTrue();
    }

    @Test
    void anUnlimitedRateNeverThrottlesAndARaisedRateAppliesAtOnce() {
        quota.record(10_000);
        assertThat(quota.isExceeded()).isTrue();
        rate.set(ReplicationQuota.UNLIMITED);
        assertThat(quota.isExceeded()).isFalse();
        rate.set(100_000);
        advanceMillis(100); // 10,000 bytes at the new rate
        assertThat(quota.isExceeded()).isFalse();
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
