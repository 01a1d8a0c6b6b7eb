package dev.sluice.core.registry;

/**
 * The registry answered with an error (Confluent error body: {@code error_code}, {@code message}), or could not
 * be reached; see {@link RegistryUnavailableException}.
 */
public class SchemaRegistryException extends RuntimeException {

    public static final int SUBJECT_NOT_FOUND = 40401;
    public static final int VERSION_NOT_FOUND = 40402;
    public static final int SCHEMA_NOT_FOUND = 40403;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(int status, int errorCode, String message) {
        super(message + " (HTTP " + status + ", error code " + errorCode + ")");
        this.status = status;
        this.errorCode = errorCode;
    }

    protected SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = -1;
        this.errorCode = -1;
    }

    /** The HTTP status, or -1 when no answer came. */
    public int status() {
        return status;
    }

    /** Confluent's error code (40401 subject not found, 409 incompatible, 42201 invalid schema ...), or -1. */
    public int errorCode() {
        return errorCode;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
