package io.tributary.broker.group;

import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import io.tributary.broker.ManualClock;

/**
 * A scheduler and clock under the test's control: nothing runs until {@link #advance(Duration)}
 * moves time forward, and then every task that falls due runs, in order, on the calling thread.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {

    /** The clock the scheduler moves. */
    private final ManualClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long sequence;

    ManualScheduler(ManualClock clock) {
        this.clock = clock;
    }

    ManualClock clock() {
        return clock;
    }

    /** Moves time forward, running every task that falls due on the way at its due time. */
    void advance(Duration duration) {
        long target = clock.millis() + duration.toMillis();
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.dueMillis > target) {
                    break;
                }
                queue.poll();
                if (next.cancelled) {
                    continue;
                }
                clock.set(Math.max(clock.millis(), next.dueMillis));
            }
            next.run();
        }
        clock.set(target);
    }

    /** Tasks waiting to run (not cancelled). */
    synchronized long pendingTasks() {
        return queue.stream().filter(task -> !task.cancelled).count();
    }

    private Task add(Runnable command, long delayMillis, long periodMillis) {
        return add(Executors.callable(command), delayMillis, periodMillis);
    }

    private synchronized Task add(Callable<?> command, long delayMillis, long periodMillis) {
        Task task = new Task(command, clock.millis() + Math.max(0, delayMillis), periodMillis, sequence++);
        queue.add(task);
        return task;
    }

    private final class Task implements ScheduledFuture<Object>, Comparable<Delayed> {
        final Callable<?> command;
        final long periodMillis;
        final long sequence;
        long dueMillis;
        volatile boolean cancelled;
        volatile boolean done;
        volatile Object result;

        Task(Callable<?> command, long dueMillis, long periodMillis, long sequence) {
            this.command = command;
            this.dueMillis = dueMillis;
            this.periodMillis = periodMillis;
            this.sequence = sequence;
        }

        void run() {
            try {
                result = command.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (periodMillis > 0 && !cancelled) {
                synchronized (ManualScheduler.this) {
                    dueMillis = clock.millis() + periodMillis;
                    queue.add(this);
                }
            } else {
                done = true;
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueMillis - clock.millis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Task that = (Task) other;
            int byTime = Long.compare(dueMillis, that.dueMillis);
            return byTime != 0 ? byTime : Long.compare(sequence, that.sequence);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean wasPending = !cancelled && !done;
            cancelled = true;
            return wasPending;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return result;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return result;
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return add(command, unit.toMillis(delay), 0);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return (ScheduledFuture<V>) add(callable, unit.toMillis(delay), 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return add(command, unit.toMillis(initialDelay), unit.toMillis(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return add(command, unit.toMillis(initialDelay), unit.toMillis(delay));
    }

    @Override
    public void execute(Runnable command) {
        add(command, 0, 0);
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
