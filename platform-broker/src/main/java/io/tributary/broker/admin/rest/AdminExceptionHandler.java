package io.tributary.broker.admin.rest;

import io.tributary.broker.group.CoordinatorException;
import io.tributary.broker.log.InvalidBatchException;
import io.tributary.broker.log.LogOfflineException;
import io.tributary.broker.log.OffsetOutOfRangeException;
import io.tributary.broker.metadata.MetadataException;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns the broker's refusals into RFC 9457 problem details for the admin API's controllers only
 * (Actuator keeps its own error handling). A Kafka error keeps its name in the {@code kafkaError}
 * property, so a client can tell INVALID_PARTITIONS from INVALID_CONFIG without parsing the text.
 * Spring MVC's own errors (unreadable JSON, a query parameter of the wrong type) are answered as
 * problem details by the superclass.
 */
@RestControllerAdvice(basePackageClasses = AdminExceptionHandler.class)
class AdminExceptionHandler extends ResponseEntityExceptionHandler {

    @ExceptionHandler(MetadataException.class)
    ProblemDetail metadataRefused(MetadataException e) {
        return kafkaProblem(e.error(), e.getMessage());
    }

    @ExceptionHandler(CoordinatorException.class)
    ProblemDetail coordinatorRefused(CoordinatorException e) {
        return kafkaProblem(e.error(), e.getMessage());
    }

    @ExceptionHandler(InvalidBatchException.class)
    ProblemDetail batchRefused(InvalidBatchException e) {
        HttpStatus status = e.reason() == InvalidBatchException.Reason.TOO_LARGE
                ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST;
        return ProblemDetail.forStatusAndDetail(status, e.getMessage());
    }

    @ExceptionHandler(OffsetOutOfRangeException.class)
    ProblemDetail offsetOutOfRange(OffsetOutOfRangeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setProperty("kafkaError", Errors.OFFSET_OUT_OF_RANGE.name());
        return problem;
    }

    @ExceptionHandler(LogOfflineException.class)
    ProblemDetail logOffline(LogOfflineException e) {
        return kafkaProblem(Errors.KAFKA_STORAGE_ERROR, e.getMessage());
    }

    static ProblemDetail kafkaProblem(Errors error, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status(error), detail != null ? detail : error.message());
        problem.setProperty("kafkaError", error.name());
        return problem;
    }

    /** The HTTP status that says what a Kafka error says. */
    static HttpStatus status(Errors error) {
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, UNKNOWN_TOPIC_ID, GROUP_ID_NOT_FOUND -> HttpStatus.NOT_FOUND;
            case TOPIC_ALREADY_EXISTS, NON_EMPTY_GROUP, UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS,
                    CONCURRENT_TRANSACTIONS -> HttpStatus.CONFLICT;
            case INVALID_PARTITIONS, INVALID_CONFIG, INVALID_TOPIC_EXCEPTION, INVALID_REPLICATION_FACTOR,
                    INVALID_REQUEST, POLICY_VIOLATION, INVALID_GROUP_ID, OFFSET_METADATA_TOO_LARGE, INVALID_RECORD,
                    CORRUPT_MESSAGE, OFFSET_OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS, NOT_COORDINATOR, KAFKA_STORAGE_ERROR,
                    NOT_ENOUGH_REPLICAS, LEADER_NOT_AVAILABLE, REQUEST_TIMED_OUT -> HttpStatus.SERVICE_UNAVAILABLE;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
