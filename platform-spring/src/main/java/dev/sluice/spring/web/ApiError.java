package dev.sluice.spring.web;

import org.springframework.http.HttpStatus;

/**
 * A refusal a REST service answers as an RFC 9457 problem detail ({@code application/problem+json}): the status,
 * a short title and what exactly was wrong. Thrown by services, turned into the answer by {@link ProblemAnswers}.
 */
public class ApiError extends RuntimeException {

    private final HttpStatus status;

    public ApiError(HttpStatus status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public HttpStatus status() {
        return status;
    }

    public static ApiError notFound(String detail) {
        return new ApiError(HttpStatus.NOT_FOUND, detail);
    }

    public static ApiError conflict(String detail) {
        return new ApiError(HttpStatus.CONFLICT, detail);
    }

    public static ApiError forbidden(String detail) {
        return new ApiError(HttpStatus.FORBIDDEN, detail);
    }

    public static ApiError badRequest(String detail) {
        return new ApiError(HttpStatus.BAD_REQUEST, detail);
    }

    public static ApiError unavailable(String detail) {
        return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, detail);
    }
}
