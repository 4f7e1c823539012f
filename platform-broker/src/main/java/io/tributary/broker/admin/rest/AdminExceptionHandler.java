package io.tributary.broker.admin.rest;

import io.tributary.broker.admin.service.AdminProblems;
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
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(AdminProblems.status(error), detail != null ? detail : error.message());
        problem.setProperty("kafkaError", error.name());
        return problem;
    }
}
