package io.tributary.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTest {

    @Test
    void tasksOfOneSerialExecutorRunOneAtATimeInOrderOnAManyThreadedPool() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(2000);
            for (int i = 0; i < 2000; i++) {
                int task = i;
                serial.execute(() -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    order.add(task);
                    running.decrementAndGet();
                    done.countDown();
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(maxRunning.get()).isEqualTo(1);
            assertThat(order).isSorted().hasSize(2000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void differentSerialExecutorsRunInParallel() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch bothStarted = new CountDownLatch(2);
            CountDownLatch finished = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                new SerialExecutor(pool).execute(() -> {
                    bothStarted.countDown();
                    try {
                        if (bothStarted.await(10, TimeUnit.SECONDS)) {
                            finished.countDown();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(finished.await(20, TimeUnit.SECONDS)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
