package dev.sluice.gatekeeper.validation;

/**
 * An input the gatekeeper refuses, with the JSON path of the first offending member ({@code $.data.items[2].sku}).
 * Thrown inside the converter to leave deep recursion at once; it carries no stack trace, so rejecting is cheap.
 */
public final class Rejection extends RuntimeException {

    private final Reason reason;
    private final String path;

    public Rejection(Reason reason, String path, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.path = path;
    }

    public Reason reason() {
        return reason;
    }

    /** JSON path of the offending member, {@code $} for the whole input. */
    public String path() {
        return path;
    }

    @Override
    public String toString() {
        return reason + " at " + path + ": " + getMessage();
    }
}
