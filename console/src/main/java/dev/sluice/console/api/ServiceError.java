package dev.sluice.console.api;

/**
 * A service's refusal or failure, with what it said: the problem detail's {@code detail} (or its title, or the
 * status), the HTTP status, and which service. {@code status} 503 when the service could not be reached.
 */
public class ServiceError extends RuntimeException {

    private final String service;
    private final int status;

    public ServiceError(String service, int status, String detail, Throwable cause) {
        super(detail, cause);
        this.service = service;
        this.status = status;
    }

    public String service() {
        return service;
    }

    public int status() {
        return status;
    }
}
