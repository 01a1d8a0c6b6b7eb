package dev.sluice.spring.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Every error of a REST service as an RFC 9457 problem detail: the service's own refusals ({@link ApiError}),
 * invalid bodies (400 with each field's complaint), unreadable ones, and anything unexpected (500 without
 * internals: the log has them). Secrets never appear: messages are written by the services, not copied from input.
 */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
public class ProblemAnswers {

    private static final Logger log = LoggerFactory.getLogger(ProblemAnswers.class);

    @ExceptionHandler(ApiError.class)
    ProblemDetail refused(ApiError error) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(error.status(), error.getMessage());
        problem.setTitle(error.status().getReasonPhrase());
        return problem;
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail invalid(MethodArgumentNotValidException error) {
        Map<String, String> fields = new LinkedHashMap<>();
        error.getBindingResult().getFieldErrors().forEach(f -> fields.merge(snakeCase(f.getField()),
                String.valueOf(f.getDefaultMessage()), (a, b) -> a + "; " + b));
        error.getBindingResult().getGlobalErrors().forEach(g -> fields.put(g.getObjectName(), g.getDefaultMessage()));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the request is not valid: " + fields);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", fields);
        return problem;
    }

    /** The APIs speak snake_case: {@code owningTeam} is {@code owning_team} to their callers. */
    static String snakeCase(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException error) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "the request body cannot be read: " + error.getMostSpecificCause().getMessage());
        problem.setTitle("Unreadable request");
        return problem;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail mismatch(MethodArgumentTypeMismatchException error) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "'" + error.getValue() + "' is not a valid " + error.getName());
        problem.setTitle("Invalid parameter");
        return problem;
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail illegal(IllegalArgumentException error) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, error.getMessage());
        problem.setTitle("Invalid request");
        return problem;
    }
}
