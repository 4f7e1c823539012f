package io.tributary.client.idempotent;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Forgets processed events after the retention, every consumer's in this database, now and then on a thread of
 * its own. An event redelivered after its record was deleted would be processed again, so the retention must
 * outlast any redelivery: the topics' retention, if consumer groups may be reset to their beginning.
 */
public class ProcessedEventCleaner implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(ProcessedEventCleaner.class);

    private static final Duration INTERVAL = Duration.ofMinutes(10);
    private static final int CHUNK = 10_000;

    private final JdbcTemplate jdbc;
    private final Duration retention;
    private volatile ScheduledThreadPoolExecutor scheduler;

    public ProcessedEventCleaner(DataSource dataSource, Duration retention) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.retention = retention;
    }

    /**
     * Deletes the records older than the retention, by the database's clock, in chunks so that no statement
     * holds many row locks for long; returns how many.
     */
    public int cleanUp() {
        int deleted = 0;
        int chunk;
        do {
            chunk = jdbc.update("DELETE FROM tributary_processed_event WHERE (consumer, event_id) IN"
                    + " (SELECT consumer, event_id FROM tributary_processed_event"
                    + " WHERE processed_at < now() - make_interval(secs => ?) LIMIT ?)",
                    (double) retention.toMillis() / 1000, CHUNK);
            deleted += chunk;
        } while (chunk == CHUNK);
        return deleted;
    }

    private void cleanUpAndLog() {
        try {
            int deleted = cleanUp();
            if (deleted > 0 && logger.isDebugEnabled()) {
                logger.debug("Forgot " + deleted + " events processed more than " + retention + " ago");
            }
        } catch (RuntimeException e) {
            logger.warn("Deleting old records of processed events failed, trying again in " + INTERVAL + ": " + e);
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "tributary-processed-event-cleaner");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::cleanUpAndLog, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            // A delete interrupted mid-way rolls back; the next start deletes those rows.
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public boolean isRunning() {
        return scheduler != null;
    }
}
