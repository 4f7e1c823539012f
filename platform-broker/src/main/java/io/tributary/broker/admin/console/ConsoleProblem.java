package io.tributary.broker.admin.console;

import io.tributary.broker.admin.service.AdminProblems;
import io.tributary.broker.group.CoordinatorException;
import io.tributary.broker.log.InvalidBatchException;
import io.tributary.broker.log.LogOfflineException;
import io.tributary.broker.log.OffsetOutOfRangeException;
import io.tributary.broker.metadata.MetadataException;
import org.apache.kafka.common.protocol.Errors;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.ErrorResponseException;

/**
 * A refusal shown in a console page: the status the page is answered with and the message the
 * operator reads — the same status and detail the admin API would answer with.
 */
record ConsoleProblem(HttpStatusCode status, String message) {

    /** The problem a service's refusal stands for, or empty for an unexpected failure (which propagates). */
    static java.util.Optional<ConsoleProblem> of(RuntimeException e) {
        if (e instanceof ErrorResponseException problem) {
            String detail = problem.getBody().getDetail();
            return java.util.Optional.of(new ConsoleProblem(problem.getStatusCode(),
                    detail != null ? detail : problem.getMessage()));
        }
        if (e instanceof MetadataException m) {
            return java.util.Optional.of(kafka(m.error(), m.getMessage()));
        }
        if (e instanceof CoordinatorException c) {
            return java.util.Optional.of(kafka(c.error(), c.getMessage()));
        }
        if (e instanceof OffsetOutOfRangeException) {
            return java.util.Optional.of(new ConsoleProblem(HttpStatus.BAD_REQUEST, e.getMessage()));
        }
        if (e instanceof InvalidBatchException b) {
            return java.util.Optional.of(new ConsoleProblem(b.reason() == InvalidBatchException.Reason.TOO_LARGE
                    ? HttpStatus.CONTENT_TOO_LARGE : HttpStatus.BAD_REQUEST, e.getMessage()));
        }
        if (e instanceof LogOfflineException) {
            return java.util.Optional.of(kafka(Errors.KAFKA_STORAGE_ERROR, e.getMessage()));
        }
        return java.util.Optional.empty();
    }

    static ConsoleProblem require(RuntimeException e) {
        return of(e).orElseThrow(() -> e);
    }

    private static ConsoleProblem kafka(Errors error, String message) {
        return new ConsoleProblem(AdminProblems.status(error), message != null ? message : error.message());
    }
}
