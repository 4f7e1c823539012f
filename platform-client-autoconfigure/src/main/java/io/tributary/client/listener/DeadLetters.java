package io.tributary.client.listener;

import java.nio.charset.StandardCharsets;
import io.tributary.client.events.EventException;
import io.tributary.client.events.EventHeaders;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.FixedBackOff;

/**
 * The platform's failure handling for listeners: a failed record is retried in place with a growing
 * back-off, then published to {@code <topic><suffix>} with the reason in headers, and the partition
 * moves on. Records that no retry can fix ({@link EventException}) go there at once.
 */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * @param template    publishes dead letters; {@code null} when dead-lettering is off (failed records are logged and skipped)
     * @param maxAttempts deliveries in all, the first included
     */
    public static CommonErrorHandler errorHandler(KafkaOperations<?, ?> template, String suffix, int maxAttempts,
            long initialIntervalMs, double multiplier, long maxIntervalMs) {
        BackOff backOff = backOff(maxAttempts, initialIntervalMs, multiplier, maxIntervalMs);
        DefaultErrorHandler handler;
        if (template == null) {
            handler = new DefaultErrorHandler(backOff);
        } else {
            DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(template,
                    // No partition: the key picks one, so the dead-letter topic may have any partition count.
                    (record, exception) -> new TopicPartition(record.topic() + suffix, -1));
            recoverer.setHeadersFunction((record, exception) -> reasonHeaders(exception, maxAttempts));
            handler = new DefaultErrorHandler(recoverer, backOff);
        }
        handler.addNotRetryableExceptions(EventException.class);
        handler.setCommitRecovered(true);
        return handler;
    }

    private static BackOff backOff(int maxAttempts, long initialIntervalMs, double multiplier, long maxIntervalMs) {
        int retries = Math.max(0, maxAttempts - 1);
        if (retries == 0) {
            return new FixedBackOff(0, 0);
        }
        ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(retries);
        backOff.setInitialInterval(initialIntervalMs);
        backOff.setMultiplier(multiplier);
        backOff.setMaxInterval(maxIntervalMs);
        return backOff;
    }

    private static Headers reasonHeaders(Exception exception, int maxAttempts) {
        Throwable reason = reason(exception);
        int attempts = reason instanceof EventException ? 1 : maxAttempts;
        String text = reason instanceof EventException ? reason.getMessage()
                : reason.getClass().getSimpleName() + ": " + reason.getMessage();
        RecordHeaders headers = new RecordHeaders();
        headers.add(EventHeaders.DEAD_LETTER_REASON, text.getBytes(StandardCharsets.UTF_8));
        headers.add(EventHeaders.DEAD_LETTER_ATTEMPTS, Integer.toString(attempts).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** The exception that says what went wrong, below the container's and the adapter's wrappers. */
    static Throwable reason(Throwable exception) {
        Throwable current = exception;
        while (current != null) {
            if (current instanceof EventException) {
                return current;
            }
            current = current.getCause();
        }
        current = exception;
        while ((current instanceof ListenerExecutionFailedException
                || current instanceof org.springframework.messaging.MessagingException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
