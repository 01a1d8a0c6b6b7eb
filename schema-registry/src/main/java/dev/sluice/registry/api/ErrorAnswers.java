package dev.sluice.registry.api;

import dev.sluice.registry.RegistryError;
import dev.sluice.registry.api.ApiModel.ErrorBody;
import dev.sluice.registry.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every error in Confluent's shape, {@code {"error_code": ..., "message": ...}}, with its HTTP status. */
@RestControllerAdvice
class ErrorAnswers {

    private static final Logger log = LoggerFactory.getLogger(ErrorAnswers.class);
    private static final MediaType V1 = MediaType.parseMediaType(ApiModel.V1_JSON);

    @ExceptionHandler(RegistryError.class)
    ResponseEntity<ErrorBody> registryError(RegistryError error) {
        return answer(error.status(), error.errorCode(), error.getMessage(), error.details());
    }

    @ExceptionHandler(StorageException.class)
    ResponseEntity<ErrorBody> storage(StorageException error) {
        log.warn("storage error: {}", error.getMessage());
        return answer(500, error.errorCode(), "Error in the backend data store: " + error.getMessage(), null);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ErrorBody> unreadable(HttpMessageNotReadableException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestSizeLimit.TooLarge tooLarge) {
                return answer(413, 413, tooLarge.getMessage(), null);
            }
        }
        return answer(400, 400, "Cannot read the request body: " + error.getMostSpecificCause().getMessage(), null);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ErrorBody> badParameter(MethodArgumentTypeMismatchException error) {
        if ("id".equals(error.getName())) {
            return answer(404, 40403, "Schema " + error.getValue() + " not found", null);
        }
        return answer(400, 400, "Invalid value '" + error.getValue() + "' for " + error.getName(), null);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ErrorBody> noSuchPath(NoResourceFoundException error) {
        return answer(404, 404, "HTTP 404 Not Found: " + error.getResourcePath(), null);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException error) {
        return answer(405, 405, "HTTP 405 Method Not Allowed: " + error.getMethod(), null);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<ErrorBody> notAcceptable(HttpMediaTypeNotAcceptableException error) {
        return answer(406, 406, "HTTP 406 Not Acceptable: this API answers " + ApiModel.V1_JSON + ", "
                + ApiModel.SR_JSON + " or " + ApiModel.JSON, null);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ErrorBody> unexpected(Exception error) {
        log.error("unexpected error", error);
        return answer(500, 500, "Internal error: " + error.getClass().getSimpleName(), null);
    }

    static ResponseEntity<ErrorBody> answer(int status, int code, String message, Object details) {
        return ResponseEntity.status(status).contentType(V1).body(new ErrorBody(code, message, details));
    }
}
