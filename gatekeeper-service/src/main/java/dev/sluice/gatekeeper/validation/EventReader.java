package dev.sluice.gatekeeper.validation;

import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads raw events {@code {"data": {"id": ..., "type": ..., ...fields}}}: first the envelope (a quick scan that
 * skips the fields), then, with the schema the envelope selects, the conversion of {@code data} to Avro. Any
 * input, however hostile, ends as Avro bytes or as a {@link Rejection}; nothing else escapes.
 */
public final class EventReader {

    /** Event types name topics: Kafka's legal characters, and not so long that the topic name is refused. */
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");

    private final JsonFactory json;
    private final int maxBytes;

    /**
     * @param maxBytes larger inputs are rejected as TOO_LARGE before parsing
     * @param maxDepth deeper nesting is rejected as TOO_DEEP
     */
    public EventReader(int maxBytes, int maxDepth) {
        this.maxBytes = maxBytes;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxDocumentLength(maxBytes)
                        .maxStringLength(maxBytes)
                        .maxNumberLength(1000)
                        .build())
                .build();
    }

    /** The envelope of an input; rejects what is not a JSON object with a {@code data} object and a type. */
    public Envelope envelope(byte[] input) {
        if (input.length > maxBytes) {
            throw new Rejection(Reason.TOO_LARGE, "$", input.length + " bytes, more than the limit of " + maxBytes);
        }
        try (JsonParser p = json.createParser(ObjectReadContext.empty(), input)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new Rejection(Reason.MALFORMED_JSON, "$", "empty input");
            }
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                requireEnd(p);
                throw new Rejection(Reason.NOT_AN_OBJECT, "$", "expected a JSON object, found " + ValueReader.describe(first));
            }
            String type = null;
            Integer version = null;
            String id = null;
            boolean data = false;
            for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
                String name = p.currentName();
                JsonToken value = next(p);
                if (!name.equals("data")) {
                    p.skipChildren();
                    continue;
                }
                if (data) {
                    throw new Rejection(Reason.MALFORMED_JSON, "$.data", "duplicate key 'data'");
                }
                data = true;
                if (value != JsonToken.START_OBJECT) {
                    throw new Rejection(Reason.MISSING_ENVELOPE, "$.data", "'data' must be an object, found "
                            + ValueReader.describe(value));
                }
                for (JsonToken f = next(p); f != JsonToken.END_OBJECT; f = next(p)) {
                    String field = p.currentName();
                    JsonToken v = next(p);
                    switch (field) {
                        case "type" -> type = v == JsonToken.VALUE_STRING ? p.getString() : "";
                        case "schema_version" -> version = version(p, v);
                        case "id" -> id = v == JsonToken.VALUE_STRING ? p.getString() : null;
                        default -> { }
                    }
                    p.skipChildren(); // a container value, of any member, is passed over whole

                }
            }
            requireEnd(p);
            if (!data) {
                throw new Rejection(Reason.MISSING_ENVELOPE, "$", "no 'data' object: an event is {\"data\": {\"type\": ..., ...}}");
            }
            if (type == null || type.isEmpty()) {
                throw new Rejection(Reason.MISSING_TYPE, "$.data.type", "'data.type' must be a non-empty string naming the event type");
            }
            if (!EVENT_TYPE.matcher(type).matches()) {
                throw new Rejection(Reason.UNKNOWN_EVENT_TYPE, "$.data.type", "'" + ValueReader.abbreviate(type)
                        + "' cannot be an event type: letters, digits, '.', '_' and '-' only");
            }
            return new Envelope(type, version, id);
        } catch (JacksonException e) {
            throw parseProblem(e);
        }
    }

    /** Picks the converter for an event type, and writes whatever precedes the Avro bytes (the wire header). */
    @FunctionalInterface
    public interface ConverterChoice {
        EventConverter converterFor(String type, AvroBuffer out);
    }

    /**
     * The common case in one parse: an input shaped {@code {"data": {"type": "<t>", ...}}} (type first, no
     * {@code schema_version}) is converted as it is read. Returns its envelope, or null when the input is not of
     * that shape or has any problem: the caller then takes the two-pass path ({@link #envelope}, {@link #convert}),
     * which gives the precise rejection. Registry failures propagate.
     */
    public Envelope convertInOnePass(byte[] input, ConverterChoice choice, AvroBuffer out, EventConverter.Context context) {
        if (input.length > maxBytes) {
            return null;
        }
        try (JsonParser p = json.createParser(ObjectReadContext.empty(), input)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String type = null;
            for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
                String name = p.currentName();
                JsonToken value = next(p);
                if (!name.equals("data")) {
                    p.skipChildren();
                    continue;
                }
                if (type != null || value != JsonToken.START_OBJECT || next(p) != JsonToken.PROPERTY_NAME
                        || !"type".equals(p.currentName()) || next(p) != JsonToken.VALUE_STRING) {
                    return null;
                }
                type = p.getString();
                if (!EVENT_TYPE.matcher(type).matches()) {
                    return null;
                }
                EventConverter converter = choice.converterFor(type, out);
                if (converter.declares("type") || converter.declares("schema_version")) {
                    return null;
                }
                converter.convertRest(p, out, context);
                if (context.sawSchemaVersion) {
                    return null; // the event names a version after all: it must be read with that one
                }
            }
            if (type == null || p.nextToken() != null) {
                return null;
            }
            return new Envelope(type, null, context.eventId());
        } catch (Rejection | JacksonException e) {
            return null;
        }
    }

    /** Converts {@code data} with the converter of the schema the envelope selected, into {@code out}. */
    public void convert(byte[] input, EventConverter converter, AvroBuffer out, EventConverter.Context context) {
        try (JsonParser p = json.createParser(ObjectReadContext.empty(), input)) {
            next(p);
            for (JsonToken t = next(p); t != JsonToken.END_OBJECT; t = next(p)) {
                String name = p.currentName();
                next(p);
                if (name.equals("data")) {
                    converter.convert(p, out, context);
                    return;
                }
                p.skipChildren();
            }
            throw new Rejection(Reason.MISSING_ENVELOPE, "$", "no 'data' object");
        } catch (JacksonException e) {
            throw parseProblem(e);
        }
    }

    private static Integer version(JsonParser p, JsonToken token) {
        String text = token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_STRING ? p.getText() : null;
        try {
            int version = text == null ? -1 : Integer.parseInt(text.strip());
            if (version >= 1) {
                return version;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Rejection(Reason.UNKNOWN_SCHEMA_VERSION, "$.data.schema_version",
                "'schema_version' must be a version number (1, 2, ...), found " + ValueReader.abbreviate(String.valueOf(
                        text == null ? ValueReader.describe(token) : text)));
    }

    /** The next token; the end of the input inside a value is malformed JSON. */
    static JsonToken next(JsonParser p) {
        JsonToken token = p.nextToken();
        if (token == null) {
            throw new Rejection(Reason.MALFORMED_JSON, "$", "unexpected end of input");
        }
        return token;
    }

    private static void requireEnd(JsonParser p) {
        if (p.nextToken() != null) {
            throw new Rejection(Reason.MALFORMED_JSON, "$", "data after the end of the JSON value");
        }
    }

    private static Rejection parseProblem(JacksonException e) {
        String message = e.getOriginalMessage();
        String where = e.getLocation() == null ? "" : " (byte " + e.getLocation().getByteOffset() + ")";
        if (e instanceof StreamConstraintsException) {
            if (message.contains("nesting depth")) {
                return new Rejection(Reason.TOO_DEEP, "$", message + where);
            }
            return new Rejection(message.contains("Number") ? Reason.INVALID_VALUE : Reason.TOO_LARGE, "$", message + where);
        }
        return new Rejection(Reason.MALFORMED_JSON, "$", message + where);
    }
}
