package io.tributary.broker.admin.console;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * A console page that cannot be shown at all — an unknown topic or group, a parameter of the wrong
 * type — answers with the console's error page and the admin API's status, never a stack trace.
 * Unexpected failures still reach Spring Boot's error handling (and the log).
 */
@ControllerAdvice(basePackageClasses = ConsoleExceptionHandler.class)
class ConsoleExceptionHandler {

    @ExceptionHandler(RuntimeException.class)
    String refused(RuntimeException e, Model model, HttpServletResponse response) {
        ConsoleProblem problem = e instanceof MethodArgumentTypeMismatchException mismatch
                ? new ConsoleProblem(org.springframework.http.HttpStatus.BAD_REQUEST, "'" + mismatch.getValue()
                        + "' is not a valid " + mismatch.getName())
                : ConsoleProblem.require(e);
        response.setStatus(problem.status().value());
        model.addAttribute("status", problem.status().value());
        model.addAttribute("error", problem.message());
        return "console/error";
    }
}
