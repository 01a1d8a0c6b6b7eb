package dev.sluice.gatekeeper.validation;

import dev.sluice.gatekeeper.validation.EventConverter.Context;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** Reads one JSON value of one schema node and appends its Avro encoding; one per node, compiled once. */
abstract class ValueReader {

    abstract void read(JsonParser p, JsonToken token, AvroBuffer out, Context c);

    /** Whether a value starting with this token is of this reader's JSON type (for unions). */
    abstract boolean accepts(JsonToken token);

    abstract String expected();

    static Rejection wrongType(JsonToken token, String expected, Context c) {
        return new Rejection(Reason.WRONG_TYPE, c.path.render(), "expected " + expected + ", found " + describe(token));
    }

    static Rejection invalid(Context c, String message) {
        return new Rejection(Reason.INVALID_VALUE, c.path.render(), message);
    }

    static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "a whole number";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> String.valueOf(token);
        };
    }

    static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
