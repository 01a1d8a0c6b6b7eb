package dev.sluice.registry.storage;

/** A version of a subject: which schema (by global id) it holds, and whether it is soft-deleted. */
public record SchemaVersion(String subject, int version, int id, boolean deleted) {
}
