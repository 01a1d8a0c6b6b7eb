package dev.sluice.core.registry;

/**
 * No registry answered, or every answer was a server error, after the client's retries. Callers that must not
 * lose data (the gatekeeper) treat this as "pause and try again", never as a verdict on the data.
 */
public class RegistryUnavailableException extends SchemaRegistryException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
