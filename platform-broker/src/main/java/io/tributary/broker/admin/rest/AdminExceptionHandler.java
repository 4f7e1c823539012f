package io.tributary.broker.admin.rest;

import io.tributary.broker.admin.service.AdminProblems;
import io.tributary.broker.coordinator.CoordinatorException;
import io.tributary.broker.log.InvalidBatchException;
import io.tributary.broker.log.LogOfflineException;
import io.tributary.broker.log.OffsetOutOfRangeException;
import io.tributary.broker.metadata.MetadataException;
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

    @ExceptionHandler({MetadataException.class, CoordinatorException.class, InvalidBatchException.class,
            OffsetOutOfRangeException.class, LogOfflineException.class})
    ProblemDetail refused(RuntimeException e) {
        return AdminProblems.of(e).orElseThrow(() -> e);
    }
}
