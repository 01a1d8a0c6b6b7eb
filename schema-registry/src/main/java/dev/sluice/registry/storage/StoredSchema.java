package dev.sluice.registry.storage;

import org.apache.avro.Schema;

/**
 * A schema known by its global id.
 *
 * @param text the schema exactly as first registered, with every custom property and doc
 * @param canonical Avro's full JSON rendering of the parsed schema, properties included: two registrations are
 *        the same schema when these are equal (whitespace and the order of the standard attributes do not matter)
 */
public record StoredSchema(int id, String text, String canonical, Schema parsed) {
}
