package dev.sluice.gatekeeper.validation;

import java.util.Set;
import org.apache.avro.Schema;
import tools.jackson.core.JsonParser;

/**
 * Converts the JSON of one event ({@code data}) into the Avro binary encoding of its schema, validating as it
 * goes, in one pass over the parser's tokens and without building objects: each field is encoded as it arrives
 * and the fields of a record are put in schema order at its end, with precomputed default bytes for absent ones.
 * Compiled once per schema version; thread-safe (all state of a conversion lives in its {@link Context}).
 *
 * <p>JSON to Avro: null, booleans, numbers (int and long must be whole and in range; float and double finite),
 * strings; {@code bytes}/{@code fixed} from base64 strings; enums from their symbols; arrays; maps from objects;
 * records from objects; a union takes the branch that fits the JSON type (a union of several records or maps takes
 * Avro's tagged form {@code {"Name": {...}}}). Logical types: timestamp-millis/micros from epoch numbers or
 * ISO-8601 strings, date from days or {@code yyyy-MM-dd}, time-millis from milliseconds or {@code HH:mm:ss.SSS},
 * uuid strings are checked, decimal from numbers or numeric strings that fit its precision and scale exactly.
 */
public final class EventConverter {

    private final Schema schema;
    private final RecordReader root;

    /** What one conversion found besides the bytes. */
    public static final class Context {
        final JsonPath path = new JsonPath();
        Long eventTimeMillis;
        Long eventTimeMicros;
        int droppedUnknownFields;
        String eventId;
        boolean sawSchemaVersion;

        void reset() {
            path.reset();
            eventTimeMillis = null;
            eventTimeMicros = null;
            droppedUnknownFields = 0;
            eventId = null;
            sawSchemaVersion = false;
        }

        /** The top-level string field {@code id}, when the schema has one and the event gave it. */
        public String eventId() {
            return eventId;
        }

        /** Epoch milliseconds of the schema's event-time field, or null when absent or null. */
        public Long eventTimeMillis() {
            return eventTimeMillis;
        }

        /** The event time in epoch microseconds, exactly as the payload has it; null when absent or null. */
        public Long eventTimeMicros() {
            return eventTimeMicros;
        }

        /** Members of unknown name skipped because the event type drops them. */
        public int droppedUnknownFields() {
            return droppedUnknownFields;
        }
    }

    /**
     * @param eventTimeField top-level field whose value is the event time, or null
     * @param envelopeFields top-level members that are envelope metadata unless the schema declares them
     * @param dropUnknownFields skip and count undeclared members instead of rejecting
     */
    public static EventConverter compile(Schema schema, String eventTimeField, Set<String> envelopeFields,
            boolean dropUnknownFields) {
        return new EventConverter(schema, eventTimeField, envelopeFields, dropUnknownFields);
    }

    private EventConverter(Schema schema, String eventTimeField, Set<String> envelopeFields, boolean dropUnknownFields) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("an event schema must be a record: " + schema.getFullName());
        }
        this.schema = schema;
        ReaderCompiler compiler = new ReaderCompiler(dropUnknownFields);
        this.root = compiler.record(schema, eventTimeField, envelopeFields);
    }

    public Schema schema() {
        return schema;
    }

    /** Whether the schema declares a top-level field of this name (then it is not envelope metadata). */
    boolean declares(String field) {
        return schema.getField(field) != null;
    }

    /**
     * Reads the object whose START_OBJECT is the parser's current token and appends its Avro encoding to
     * {@code out}; throws {@link Rejection} on the first problem.
     */
    public void convert(JsonParser parser, AvroBuffer out, Context context) {
        context.reset();
        context.path.push("data");
        root.read(parser, parser.currentToken(), out, context);
    }

    /**
     * Like {@link #convert}, for a parser already inside {@code data}, past its first member (the {@code type}):
     * the one-pass path of {@link EventReader#convertInOnePass}.
     */
    void convertRest(JsonParser parser, AvroBuffer out, Context context) {
        context.reset();
        context.path.push("data");
        root.readMembers(parser, out, context);
    }
}
