package dev.sluice.registry.storage;

/**
 * One record of the registry's compacted topic. The key says what it is about, so compaction keeps the latest
 * value of each: a subject's version, a config, the mode, the id watermark. A null value (tombstone) removes it.
 *
 * @param key JSON, e.g. {@code {"keytype":"SCHEMA","subject":"s","version":1}}
 * @param value JSON, or null for a tombstone
 */
public record LogRecord(String key, String value) {
}
