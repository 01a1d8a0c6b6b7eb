package dev.sluice.registry;

/** An answer in Confluent's error format: HTTP status, {@code error_code}, {@code message}. */
public class RegistryError extends RuntimeException {

    private final int status;
    private final int errorCode;
    private final transient Object details;

    public RegistryError(int status, int errorCode, String message) {
        this(status, errorCode, message, null);
    }

    public RegistryError(int status, int errorCode, String message, Object details) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
        this.details = details;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    /** Extra, machine-readable detail (the privacy findings), or null. */
    public Object details() {
        return details;
    }

    static RegistryError subjectNotFound(String subject) {
        return new RegistryError(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryError versionNotFound(String subject, Object version) {
        return new RegistryError(404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
    }

    static RegistryError schemaNotFound(String what) {
        return new RegistryError(404, 40403, "Schema " + what + " not found.");
    }

    static RegistryError subjectSoftDeleted(String subject) {
        return new RegistryError(404, 40404, "Subject '" + subject + "' was soft deleted. Set permanent=true to delete permanently");
    }

    static RegistryError subjectNotSoftDeleted(String subject) {
        return new RegistryError(404, 40405, "Subject '" + subject + "' was not deleted first before being permanently deleted");
    }

    static RegistryError versionSoftDeleted(String subject, int version) {
        return new RegistryError(404, 40406, "Subject '" + subject + "' Version " + version
                + " was soft deleted. Set permanent=true to delete permanently");
    }

    static RegistryError versionNotSoftDeleted(String subject, int version) {
        return new RegistryError(404, 40407, "Subject '" + subject + "' Version " + version
                + " was not deleted first before being permanently deleted");
    }

    static RegistryError noSubjectConfig(String subject) {
        return new RegistryError(404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static RegistryError invalidSchema(String message) {
        return new RegistryError(422, 42201, "Invalid schema: " + message);
    }

    static RegistryError invalidVersion(String version) {
        return new RegistryError(422, 42202, "The specified version '" + version
                + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryError invalidCompatibility(String level) {
        return new RegistryError(422, 42203, "Invalid compatibility level '" + level + "'. Valid values are NONE, BACKWARD,"
                + " BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE");
    }

    static RegistryError invalidMode(String mode) {
        return new RegistryError(422, 42204, "Invalid mode '" + mode + "'. Valid values are READWRITE, READONLY");
    }

    static RegistryError readOnly(String subject) {
        return new RegistryError(422, 42205, "Subject " + (subject == null ? "" : "'" + subject + "' ")
                + "is in read-only mode");
    }
}
