package dev.sluice.gatekeeper.validation;

/** Why an input was rejected: the {@code reason} of a record on {@code events.rejected}. */
public enum Reason {
    /** Not parseable JSON: syntax, invalid UTF-8, NaN, trailing data, duplicate keys. */
    MALFORMED_JSON,
    /** Valid JSON, but not an object at the top. */
    NOT_AN_OBJECT,
    /** No {@code data} object. */
    MISSING_ENVELOPE,
    /** No string {@code data.type}. */
    MISSING_TYPE,
    /** No schema registered for {@code events.valid.<type>-value}, or a type that cannot name a topic. */
    UNKNOWN_EVENT_TYPE,
    /** {@code data.schema_version} names no version of the subject. */
    UNKNOWN_SCHEMA_VERSION,
    /** A field without a default is absent. */
    MISSING_FIELD,
    /** A value of the wrong JSON type for its field. */
    WRONG_TYPE,
    /** A member the schema does not declare (schema drift). */
    UNKNOWN_FIELD,
    /** The right JSON type, a value the field cannot hold (range, enum symbol, uuid, timestamp, decimal scale). */
    INVALID_VALUE,
    /** Larger than the size limit (the whole input, or one string or number). */
    TOO_LARGE,
    /** Nested deeper than the depth limit. */
    TOO_DEEP
}
