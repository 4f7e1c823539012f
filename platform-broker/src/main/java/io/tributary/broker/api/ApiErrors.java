package io.tributary.broker.api;

import io.tributary.broker.log.InvalidBatchException;
import io.tributary.broker.log.LogOfflineException;
import io.tributary.broker.log.OffsetOutOfRangeException;
import io.tributary.broker.metadata.MetadataException;
import io.tributary.broker.partition.ProducerStateException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where the broker's failures become Kafka error codes. */
public final class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {
    }

    public static Errors of(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof InvalidBatchException invalid) {
            return switch (invalid.reason()) {
                case CORRUPT -> Errors.CORRUPT_MESSAGE;
                case INVALID -> Errors.INVALID_RECORD;
                case TOO_LARGE -> Errors.MESSAGE_TOO_LARGE;
            };
        }
        if (cause instanceof LogOfflineException) {
            return Errors.KAFKA_STORAGE_ERROR;
        }
        if (cause instanceof OffsetOutOfRangeException) {
            return Errors.OFFSET_OUT_OF_RANGE;
        }
        if (cause instanceof ProducerStateException producer) {
            return producer.error();
        }
        if (cause instanceof MetadataException metadata) {
            return metadata.error();
        }
        if (cause instanceof ApiException) {
            return Errors.forException(cause);
        }
        log.error("Unexpected failure answered as UNKNOWN_SERVER_ERROR", cause);
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    /** The message to send with an error: ours for our failures, none for unexpected ones. */
    public static String message(Throwable failure, Errors error) {
        return error == Errors.UNKNOWN_SERVER_ERROR ? null : failure.getMessage();
    }
}
