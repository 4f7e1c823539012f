package io.tributary.client.outbox;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import io.micrometer.observation.ObservationRegistry;
import io.tributary.client.events.EventPublisher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the outbox: each pass, in one database transaction, locks the lanes no other relay holds, sends
 * their oldest unsent rows, waits for the broker's answers, then marks the acknowledged rows sent and commits.
 * A row whose send failed stays unsent, and so do the later rows of its lane, to be sent again in order by a
 * later pass; a pass that dies before it commits leaves all its rows unsent. Either way some events may be
 * published more than once: delivery is at least once, and consumers should be idempotent (see
 * {@code IdempotentConsumer}).
 * <p>
 * A row that can never be published (too large, say, or for a topic the broker refuses) holds up its lane, and
 * so the keys that share it, until the row is deleted or its cause removed; the log names it.
 * <p>
 * Any number of relays, in one service instance or several, may share an outbox: a lane is relayed by one
 * of them at a time and all events of a key share a lane, so each key's events are published in order.
 * <p>
 * Passes run on one thread of this relay's own, started and stopped with the application context; a pass
 * that found a full batch is followed at once by the next, otherwise the relay waits for the poll interval,
 * or backs off after a failure. {@link #relayOnce()} may also be called from any thread.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(OutboxRelay.class);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration CLEANUP_INTERVAL = Duration.ofMinutes(10);
    private static final int CLEANUP_CHUNK = 10_000;
    private static final AtomicInteger threads = new AtomicInteger();

    private final OutboxTable table;
    private final TransactionTemplate passTransaction;
    private final EventPublisher publisher;
    private final TributaryOutboxProperties properties;
    private final OutboxTracing tracing;

    private final Object lifecycleMonitor = new Object();
    private volatile ScheduledExecutorService scheduler;

    // Touched by the relay thread only.
    private int consecutiveFailures;
    private long nextCleanupNanos = System.nanoTime();

    public OutboxRelay(DataSource dataSource, EventPublisher publisher, TributaryOutboxProperties properties) {
        this(dataSource, publisher, properties, ObservationRegistry.NOOP);
    }

    /**
     * A relay that sends each event in the trace of the transaction that wrote it, when Micrometer Tracing is behind
     * {@code observationRegistry}; without it, the stored {@code traceparent} still travels as a record header.
     */
    public OutboxRelay(DataSource dataSource, EventPublisher publisher, TributaryOutboxProperties properties,
            ObservationRegistry observationRegistry) {
        this.tracing = new OutboxTracing(observationRegistry);
        this.table = new OutboxTable(dataSource);
        this.publisher = publisher;
        this.properties = properties;
        // A transaction manager of its own: a pass must be a transaction on this DataSource whatever
        // transaction managers the application has.
        this.passTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.passTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        // Read committed is what makes lanes safe: the rows are read by a statement that starts after the lane
        // locks were taken, so it sees the sent marks of the relay that held them before. A snapshot taken
        // earlier (repeatable read) would not, and would send those rows again.
        this.passTransaction.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
    }

    /**
     * Runs one pass: publishes up to batch-size unsent rows of the lanes no other relay holds, and marks them
     * sent once the broker acknowledged them. Returns how many rows it marked sent.
     *
     * @throws OutboxRelayException if a send failed: that row and the later ones of its lane stay unsent, the
     *         acknowledged rows of other lanes were marked sent; or if the broker did not answer in time: nothing
     *         was marked sent
     */
    public int relayOnce() {
        PassOutcome outcome = pass();
        if (outcome.failure() != null) {
            throw outcome.failure();
        }
        return outcome.sent();
    }

    private PassOutcome pass() {
        PassOutcome outcome = passTransaction.execute(status -> {
            List<Integer> lanes = table.lockFreeLanes();
            if (lanes.isEmpty()) {
                return PassOutcome.NOTHING;
            }
            List<OutboxRow> rows = table.unsent(lanes, properties.getBatchSize());
            if (rows.isEmpty()) {
                return PassOutcome.NOTHING;
            }
            RelaySends sends = RelaySends.start(rows, this::send).awaitAnswers(properties.getSendTimeout());
            List<OutboxRow> acknowledged = sends.acknowledged();
            if (!acknowledged.isEmpty()) {
                beforeMarkSent(acknowledged);
                table.markSent(acknowledged);
            }
            return new PassOutcome(rows.size(), acknowledged.size(), sends.failure());
        });
        return outcome == null ? PassOutcome.NOTHING : outcome;
    }

    /**
     * Called when the broker has acknowledged rows of a pass, before they are marked sent: what throws here rolls
     * the pass back, as a relay killed at that moment would leave it. A seam for tests.
     */
    void beforeMarkSent(List<OutboxRow> rows) {
    }

    // The stored trace context goes along as headers too: a template whose observation is on replaces them with
    // its own span's (a child of the relay's), one without keeps them, so consumers continue the trace either way.
    private CompletableFuture<?> send(OutboxRow row) {
        return tracing.relay(row.topic(), row.trace(), () -> publisher.send(row.topic(), row.key(), row.eventType(),
                row.payload(), row.eventId(), traceHeaders(row)));
    }

    private static Map<String, String> traceHeaders(OutboxRow row) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (row.traceParent() != null) {
            headers.put(OutboxTracing.TRACEPARENT, row.traceParent());
            if (row.traceState() != null) {
                headers.put(OutboxTracing.TRACESTATE, row.traceState());
            }
        }
        return headers;
    }

    private void runPass(ScheduledExecutorService executor) {
        long delayMillis;
        try {
            PassOutcome outcome = pass();
            if (outcome.failure() == null) {
                if (consecutiveFailures > 0) {
                    logger.info("Outbox relay recovered after " + consecutiveFailures + " failed passes");
                }
                consecutiveFailures = 0;
            } else {
                consecutiveFailures++;
                logFailure(outcome.failure(), "");
            }
            // A pass that published something goes on as usual: the lanes without failures must not wait.
            delayMillis = outcome.sent() == 0 && outcome.failure() != null ? backoffMillis()
                    : outcome.read() >= properties.getBatchSize() ? 0 : properties.getPollInterval().toMillis();
            cleanUpNowAndThen();
        } catch (Throwable failure) {
            consecutiveFailures++;
            delayMillis = backoffMillis();
            logFailure(failure, ", next try in " + delayMillis + " ms");
        }
        schedule(executor, delayMillis);
    }

    // A row that cannot be published fails every pass: its stack trace once, then the reason ever more rarely.
    private void logFailure(Throwable failure, String next) {
        if (Integer.bitCount(consecutiveFailures) != 1) {
            return;
        }
        String message = "Outbox relay pass failed (" + consecutiveFailures + " in a row)" + next + ": " + failure;
        if (consecutiveFailures == 1) {
            logger.warn(message, failure);
        } else {
            logger.warn(message);
        }
    }

    private long backoffMillis() {
        long base = Math.max(properties.getPollInterval().toMillis(), 100);
        long backoff = base << Math.min(consecutiveFailures - 1, 20);
        return Math.min(backoff, MAX_BACKOFF.toMillis());
    }

    private void cleanUpNowAndThen() {
        if (System.nanoTime() - nextCleanupNanos < 0) {
            return;
        }
        nextCleanupNanos = System.nanoTime() + CLEANUP_INTERVAL.toNanos();
        try {
            int deleted = table.deleteSentBefore(properties.getRetention(), CLEANUP_CHUNK);
            if (deleted > 0 && logger.isDebugEnabled()) {
                logger.debug("Deleted " + deleted + " outbox rows sent more than " + properties.getRetention() + " ago");
            }
        } catch (RuntimeException e) {
            logger.warn("Deleting old outbox rows failed, trying again in " + CLEANUP_INTERVAL + ": " + e);
        }
    }

    private void schedule(ScheduledExecutorService executor, long delayMillis) {
        // Once stopped, or stopped and started again with another executor, this chain of passes ends.
        if (executor != scheduler) {
            return;
        }
        try {
            executor.schedule(() -> runPass(executor), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // stop() shut the executor down in between.
        }
    }

    @Override
    public void start() {
        synchronized (lifecycleMonitor) {
            if (scheduler != null) {
                return;
            }
            String name = "tributary-outbox-relay-" + threads.incrementAndGet();
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
                Thread thread = new Thread(task, name);
                thread.setDaemon(true);
                return thread;
            });
            // Stopping must not wait out a poll interval or a back-off.
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            scheduler = executor;
            schedule(executor, 0);
        }
    }

    /** Lets a running pass finish (or, past a grace period, interrupts it: it then rolls back). */
    @Override
    public void stop() {
        ScheduledExecutorService stopping;
        synchronized (lifecycleMonitor) {
            stopping = scheduler;
            scheduler = null;
        }
        if (stopping == null) {
            return;
        }
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(10, TimeUnit.SECONDS)) {
                stopping.shutdownNow();
                if (!stopping.awaitTermination(5, TimeUnit.SECONDS)) {
                    logger.warn("Outbox relay thread did not stop; its pass will roll back when its connection closes");
                }
            }
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }

    /** What a pass did: rows it read, rows it marked sent, and why the first of the others failed, if one did. */
    private record PassOutcome(int read, int sent, OutboxRelayException failure) {

        static final PassOutcome NOTHING = new PassOutcome(0, 0, null);
    }
}
