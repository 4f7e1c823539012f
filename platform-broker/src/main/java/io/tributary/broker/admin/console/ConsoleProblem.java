package io.tributary.broker.admin.console;

import java.util.Optional;
import io.tributary.broker.admin.service.AdminProblems;
import org.springframework.http.HttpStatusCode;

/**
 * A refusal shown in a console page: the status the page is answered with and the message the
 * operator reads — the problem detail the admin API would answer with ({@link AdminProblems#of}).
 */
record ConsoleProblem(HttpStatusCode status, String message) {

    /** The problem a service's refusal stands for, or empty for an unexpected failure (which propagates). */
    static Optional<ConsoleProblem> of(RuntimeException e) {
        return AdminProblems.of(e).map(problem -> new ConsoleProblem(HttpStatusCode.valueOf(problem.getStatus()),
                problem.getDetail() != null ? problem.getDetail() : e.getMessage()));
    }

    static ConsoleProblem require(RuntimeException e) {
        return of(e).orElseThrow(() -> e);
    }
}
