package io.tributary.broker.network;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks one after the other, in submission order, on a shared executor: a connection's
 * requests reach their handlers in the order the client sent them, as Kafka guarantees (a
 * pipelining producer relies on it for the order of its batches), while different connections
 * are handled in parallel. A handler's response may still complete later (a long-polling fetch);
 * only the handler calls themselves are serialized.
 *
 * <p>Thread-safe.
 */
final class SerialExecutor implements Executor {

    private final Executor shared;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor shared) {
        this.shared = shared;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
            tasks.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            shared.execute(this::runAll);
        } catch (RuntimeException e) {
            synchronized (tasks) {
                tasks.clear();
                running = false;
            }
            throw e;
        }
    }

    private void runAll() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    running = false;
                    return;
                }
            }
            next.run();
        }
    }
}
