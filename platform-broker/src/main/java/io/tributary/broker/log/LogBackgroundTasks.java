package io.tributary.broker.log;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a partition's log does off the append path: flushes of rolled segments and the deletion of
 * segment files after {@code file.delete.delay.ms} (readers holding slices of them go on reading until
 * then), as Kafka's {@code LocalLog} schedules its async deletes. Without a scheduler, or once it is
 * shut down, the work runs inline.
 */
final class LogBackgroundTasks {

    private static final Logger log = LoggerFactory.getLogger(LogBackgroundTasks.class);

    private final TopicPartition topicPartition;
    private final ScheduledExecutorService scheduler;

    LogBackgroundTasks(TopicPartition topicPartition, ScheduledExecutorService scheduler) {
        this.topicPartition = topicPartition;
        this.scheduler = scheduler;
    }

    void execute(Runnable task) {
        if (scheduler == null) {
            task.run();
            return;
        }
        try {
            scheduler.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** Deletes the files of a segment already marked for deletion, {@code delayMs} from now. */
    void deleteFilesLater(LogSegment segment, long delayMs) {
        Runnable delete = () -> {
            try {
                segment.deleteFiles();
            } catch (IOException e) {
                log.warn("{}: could not delete {}: {}", topicPartition, segment.logFile(), e.toString());
            }
        };
        if (scheduler == null) {
            delete.run();
            return;
        }
        try {
            scheduler.schedule(delete, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            delete.run(); // shutting down: nobody reads any more
        }
    }
}
