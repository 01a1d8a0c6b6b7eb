package dev.sluice.gatekeeper.validation;

/**
 * What the gatekeeper needs before it can pick a schema: {@code data.type}, {@code data.schema_version} (null for
 * the latest) and {@code data.id} (the Kafka key; null if absent or not a string).
 */
public record Envelope(String type, Integer schemaVersion, String id) {
}
