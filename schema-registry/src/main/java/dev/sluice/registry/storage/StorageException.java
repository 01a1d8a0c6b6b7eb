package dev.sluice.registry.storage;

/** The Kafka topic could not be read or written in time (Confluent's 50001 / 50002). */
public class StorageException extends RuntimeException {

    private final int errorCode;

    public StorageException(int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }
}
