package dev.sluice.gatekeeper.validation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

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
        int droppedUnknownFields;
        String eventId;
        boolean sawSchemaVersion;

        void reset() {
            path.reset();
            eventTimeMillis = null;
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
        Compiler compiler = new Compiler(dropUnknownFields);
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

    // ---- compiling a schema into readers

    private static final class Compiler {
        final boolean dropUnknownFields;
        final Map<String, RecordReader> records = new HashMap<>();

        Compiler(boolean dropUnknownFields) {
            this.dropUnknownFields = dropUnknownFields;
        }

        RecordReader record(Schema schema, String eventTimeField, Set<String> envelopeFields) {
            RecordReader existing = records.get(schema.getFullName());
            if (existing != null && eventTimeField == null) {
                return existing; // named types are compiled once, which also ends recursive types
            }
            RecordReader reader = new RecordReader(schema.getFields().size(), dropUnknownFields, envelopeFields);
            records.putIfAbsent(schema.getFullName(), reader);
            boolean root = !envelopeFields.isEmpty() || eventTimeField != null;
            for (Schema.Field field : schema.getFields()) {
                boolean eventTime = field.name().equals(eventTimeField);
                ValueReader fieldReader = root && field.name().equals("id") && field.schema().getType() == Schema.Type.STRING
                        ? new StringReader(false, true) : reader(field.schema(), eventTime);
                reader.add(field.pos(), field.name(), fieldReader, defaultBytes(field));
            }
            return reader;
        }

        ValueReader reader(Schema schema, boolean eventTime) {
            LogicalType logical = schema.getLogicalType();
            return switch (schema.getType()) {
                case NULL -> new NullReader();
                case BOOLEAN -> new BooleanReader();
                case INT -> logical instanceof LogicalTypes.Date ? TemporalIntReader.date()
                        : logical instanceof LogicalTypes.TimeMillis ? TemporalIntReader.timeMillis() : new IntReader();
                case LONG -> new LongReader(logical instanceof LogicalTypes.TimestampMicros ? 1000 : 1,
                        logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.TimestampMicros,
                        eventTime);
                case FLOAT -> new FloatingReader(true);
                case DOUBLE -> new FloatingReader(false);
                case STRING -> new StringReader("uuid".equals(logical == null ? null : logical.getName()), false);
                case BYTES -> logical instanceof LogicalTypes.Decimal decimal ? new DecimalReader(decimal, -1) : new BytesReader(-1);
                case FIXED -> logical instanceof LogicalTypes.Decimal decimal ? new DecimalReader(decimal, schema.getFixedSize())
                        : new BytesReader(schema.getFixedSize());
                case ENUM -> new EnumReader(schema);
                case ARRAY -> new ArrayReader(reader(schema.getElementType(), false));
                case MAP -> new MapReader(reader(schema.getValueType(), false));
                case RECORD -> record(schema, null, Set.of());
                case UNION -> union(schema, eventTime);
            };
        }

        UnionReader union(Schema union, boolean eventTime) {
            List<Schema> types = union.getTypes();
            ValueReader[] readers = new ValueReader[types.size()];
            String[] names = new String[types.size()];
            for (int i = 0; i < types.size(); i++) {
                readers[i] = reader(types.get(i), eventTime);
                names[i] = types.get(i).getType() == Schema.Type.RECORD || types.get(i).getType() == Schema.Type.ENUM
                        || types.get(i).getType() == Schema.Type.FIXED ? types.get(i).getName() : types.get(i).getType().getName();
            }
            return new UnionReader(readers, names);
        }

        static byte[] defaultBytes(Schema.Field field) {
            if (!field.hasDefaultValue()) {
                return null;
            }
            Object datum = GenericData.get().getDefaultValue(field);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            try {
                new GenericDatumWriter<>(field.schema()).write(datum, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    // ---- readers: one per schema node

    abstract static class ValueReader {

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
    }

    static final class NullReader extends ValueReader {
        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_NULL) {
                throw wrongType(token, expected(), c);
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NULL;
        }

        @Override
        String expected() {
            return "null";
        }
    }

    static final class BooleanReader extends ValueReader {
        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token == JsonToken.VALUE_TRUE) {
                out.writeByte(1);
            } else if (token == JsonToken.VALUE_FALSE) {
                out.writeByte(0);
            } else {
                throw wrongType(token, expected(), c);
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
        }

        @Override
        String expected() {
            return "a boolean";
        }
    }

    static final class IntReader extends ValueReader {
        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_NUMBER_INT) {
                throw wrongType(token, expected(), c);
            }
            if (p.getNumberType() != JsonParser.NumberType.INT) {
                throw invalid(c, "out of range for an int: " + p.getText());
            }
            out.writeInt(p.getIntValue());
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NUMBER_INT;
        }

        @Override
        String expected() {
            return "a whole number (int)";
        }
    }

    /**
     * The int logical types that also take text: date (days since 1970-01-01, or {@code yyyy-MM-dd}) and time-millis
     * (milliseconds of the day, or {@code HH:mm:ss.SSS}).
     */
    static final class TemporalIntReader extends ValueReader {
        private final ToIntFunction<String> parse;
        private final int min;
        private final int max;
        private final String what;

        private TemporalIntReader(ToIntFunction<String> parse, int min, int max, String what) {
            this.parse = parse;
            this.min = min;
            this.max = max;
            this.what = what;
        }

        static TemporalIntReader date() {
            return new TemporalIntReader(text -> Math.toIntExact(LocalDate.parse(text).toEpochDay()),
                    Integer.MIN_VALUE, Integer.MAX_VALUE, "a date (days since 1970-01-01, or yyyy-MM-dd)");
        }

        static TemporalIntReader timeMillis() {
            return new TemporalIntReader(text -> (int) (LocalTime.parse(text).toNanoOfDay() / 1_000_000),
                    0, 86_399_999, "a time of day (milliseconds, or HH:mm:ss.SSS)");
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token == JsonToken.VALUE_STRING) {
                try {
                    out.writeInt(parse.applyAsInt(p.getString()));
                } catch (DateTimeException | ArithmeticException e) {
                    throw invalid(c, "not " + what + ": " + abbreviate(p.getString()));
                }
                return;
            }
            if (token != JsonToken.VALUE_NUMBER_INT) {
                throw wrongType(token, expected(), c);
            }
            if (p.getNumberType() != JsonParser.NumberType.INT || p.getIntValue() < min || p.getIntValue() > max) {
                throw invalid(c, "out of range for " + what + ": " + abbreviate(p.getText()));
            }
            out.writeInt(p.getIntValue());
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_STRING;
        }

        @Override
        String expected() {
            return what;
        }
    }

    static final class LongReader extends ValueReader {
        private final int unitsPerMilli;
        private final boolean timestamp;
        private final boolean eventTime;

        LongReader(int unitsPerMilli, boolean timestamp, boolean eventTime) {
            this.unitsPerMilli = unitsPerMilli;
            this.timestamp = timestamp;
            this.eventTime = eventTime;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            long value;
            if (token == JsonToken.VALUE_NUMBER_INT) {
                JsonParser.NumberType type = p.getNumberType();
                if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
                    throw invalid(c, "out of range for a long: " + abbreviate(p.getText()));
                }
                value = p.getLongValue();
            } else if (token == JsonToken.VALUE_STRING && timestamp) {
                value = parseTimestamp(p.getString(), c);
            } else {
                throw wrongType(token, expected(), c);
            }
            if (eventTime) {
                c.eventTimeMillis = value / unitsPerMilli;
            }
            out.writeLong(value);
        }

        private long parseTimestamp(String text, Context c) {
            try {
                Instant instant;
                try {
                    instant = Instant.parse(text);
                } catch (DateTimeException e) {
                    instant = OffsetDateTime.parse(text).toInstant();
                }
                return unitsPerMilli == 1 ? instant.toEpochMilli()
                        : Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
            } catch (DateTimeException | ArithmeticException e) {
                throw invalid(c, "not an ISO-8601 timestamp with a zone (2026-11-26T10:15:30Z): " + abbreviate(text));
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NUMBER_INT || (timestamp && token == JsonToken.VALUE_STRING);
        }

        @Override
        String expected() {
            return timestamp ? "a timestamp (epoch number or ISO-8601 string)" : "a whole number (long)";
        }
    }

    /** float and double: any JSON number that stays finite in the field's precision. */
    static final class FloatingReader extends ValueReader {
        private final boolean single;

        FloatingReader(boolean single) {
            this.single = single;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
                throw wrongType(token, expected(), c);
            }
            double value = single ? p.getFloatValue() : p.getDoubleValue();
            if (Double.isInfinite(value) || Double.isNaN(value)) {
                throw invalid(c, "out of range for a " + (single ? "float" : "double") + ": " + abbreviate(p.getText()));
            }
            if (single) {
                out.writeFloat((float) value);
            } else {
                out.writeDouble(value);
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT;
        }

        @Override
        String expected() {
            return single ? "a number (float)" : "a number (double)";
        }
    }

    static final class StringReader extends ValueReader {
        private final boolean uuid;
        private final boolean eventId;

        StringReader(boolean uuid, boolean eventId) {
            this.uuid = uuid;
            this.eventId = eventId;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_STRING) {
                throw wrongType(token, expected(), c);
            }
            char[] chars = p.getStringCharacters();
            int offset = p.getStringOffset();
            int length = p.getStringLength();
            if (uuid && !isUuid(chars, offset, length)) {
                throw invalid(c, "not a UUID: " + abbreviate(new String(chars, offset, length)));
            }
            if (eventId) {
                c.eventId = new String(chars, offset, length);
            }
            out.writeString(chars, offset, length);
        }

        private static boolean isUuid(char[] chars, int offset, int length) {
            if (length != 36) {
                return false;
            }
            for (int i = 0; i < 36; i++) {
                char ch = chars[offset + i];
                boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
                if (dash ? ch != '-' : Character.digit(ch, 16) < 0) {
                    return false;
                }
            }
            return true;
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_STRING;
        }

        @Override
        String expected() {
            return uuid ? "a UUID string" : "a string";
        }
    }

    static final class BytesReader extends ValueReader {
        private final int fixedSize;

        BytesReader(int fixedSize) {
            this.fixedSize = fixedSize;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_STRING) {
                throw wrongType(token, expected(), c);
            }
            byte[] value;
            try {
                value = Base64.getDecoder().decode(p.getString());
            } catch (IllegalArgumentException e) {
                throw invalid(c, "not base64: " + e.getMessage());
            }
            if (fixedSize >= 0) {
                if (value.length != fixedSize) {
                    throw invalid(c, "expected " + fixedSize + " bytes, found " + value.length);
                }
                out.writeRaw(value, 0, value.length);
            } else {
                out.writeBytes(value);
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_STRING;
        }

        @Override
        String expected() {
            return "a base64 string";
        }
    }

    static final class DecimalReader extends ValueReader {
        private final int precision;
        private final int scale;
        private final int fixedSize;

        DecimalReader(LogicalTypes.Decimal decimal, int fixedSize) {
            this.precision = decimal.getPrecision();
            this.scale = decimal.getScale();
            this.fixedSize = fixedSize;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            BigDecimal value;
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                value = p.getDecimalValue();
            } else if (token == JsonToken.VALUE_STRING) {
                try {
                    value = new BigDecimal(p.getString());
                } catch (NumberFormatException e) {
                    throw invalid(c, "not a decimal number: " + abbreviate(p.getString()));
                }
            } else {
                throw wrongType(token, expected(), c);
            }
            BigDecimal scaled;
            try {
                scaled = value.setScale(scale, RoundingMode.UNNECESSARY);
            } catch (ArithmeticException e) {
                throw invalid(c, value.toPlainString() + " has more than " + scale + " decimal places");
            }
            if (scaled.precision() > precision) {
                throw invalid(c, value.toPlainString() + " has more than " + precision + " digits");
            }
            byte[] unscaled = scaled.unscaledValue().toByteArray();
            if (fixedSize < 0) {
                out.writeBytes(unscaled);
            } else {
                if (unscaled.length > fixedSize) {
                    throw invalid(c, value.toPlainString() + " does not fit in " + fixedSize + " bytes");
                }
                byte pad = (byte) (scaled.signum() < 0 ? 0xFF : 0x00);
                for (int i = unscaled.length; i < fixedSize; i++) {
                    out.writeByte(pad);
                }
                out.writeRaw(unscaled, 0, unscaled.length);
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_STRING;
        }

        @Override
        String expected() {
            return "a decimal number";
        }
    }

    static final class EnumReader extends ValueReader {
        private final Map<String, Integer> symbols = new HashMap<>();
        private final List<String> names;

        EnumReader(Schema schema) {
            names = schema.getEnumSymbols();
            for (int i = 0; i < names.size(); i++) {
                symbols.put(names.get(i), i);
            }
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.VALUE_STRING) {
                throw wrongType(token, expected(), c);
            }
            Integer index = symbols.get(p.getString());
            if (index == null) {
                throw invalid(c, "'" + abbreviate(p.getString()) + "' is not one of " + names);
            }
            out.writeInt(index);
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.VALUE_STRING;
        }

        @Override
        String expected() {
            return "one of " + names;
        }
    }

    static final class ArrayReader extends ValueReader {
        private final ValueReader items;

        ArrayReader(ValueReader items) {
            this.items = items;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.START_ARRAY) {
                throw wrongType(token, expected(), c);
            }
            int start = out.size();
            int count = 0;
            c.path.pushIndex(0);
            for (JsonToken item = EventReader.next(p); item != JsonToken.END_ARRAY; item = EventReader.next(p)) {
                c.path.setIndex(count);
                items.read(p, item, out, c);
                count++;
            }
            c.path.pop();
            if (count > 0) {
                out.insertLong(start, count); // one block: its count goes before its items
            }
            out.writeLong(0);
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.START_ARRAY;
        }

        @Override
        String expected() {
            return "an array";
        }
    }

    static final class MapReader extends ValueReader {
        private final ValueReader values;

        MapReader(ValueReader values) {
            this.values = values;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.START_OBJECT) {
                throw wrongType(token, expected(), c);
            }
            int start = out.size();
            int count = 0;
            Set<String> keys = new HashSet<>();
            for (JsonToken name = EventReader.next(p); name != JsonToken.END_OBJECT; name = EventReader.next(p)) {
                String key = p.currentName();
                if (!keys.add(key)) {
                    throw new Rejection(Reason.MALFORMED_JSON, c.path.render(key), "duplicate key '" + abbreviate(key) + "'");
                }
                char[] chars = key.toCharArray();
                out.writeString(chars, 0, chars.length);
                c.path.push(key);
                values.read(p, EventReader.next(p), out, c);
                c.path.pop();
                count++;
            }
            if (count > 0) {
                out.insertLong(start, count);
            }
            out.writeLong(0);
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.START_OBJECT;
        }

        @Override
        String expected() {
            return "an object (map)";
        }
    }

    static final class RecordReader extends ValueReader {
        private final Map<String, Integer> index = new HashMap<>();
        private final String[] names;
        private final ValueReader[] readers;
        private final byte[][] defaults;
        private final boolean dropUnknownFields;
        private final Set<String> envelopeFields;

        RecordReader(int fields, boolean dropUnknownFields, Set<String> envelopeFields) {
            this.names = new String[fields];
            this.readers = new ValueReader[fields];
            this.defaults = new byte[fields][];
            this.dropUnknownFields = dropUnknownFields;
            this.envelopeFields = envelopeFields;
        }

        void add(int position, String name, ValueReader reader, byte[] defaultBytes) {
            index.put(name, position);
            names[position] = name;
            readers[position] = reader;
            defaults[position] = defaultBytes;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token != JsonToken.START_OBJECT) {
                throw wrongType(token, expected(), c);
            }
            readMembers(p, out, c);
        }

        /** The members, up to END_OBJECT. */
        void readMembers(JsonParser p, AvroBuffer out, Context c) {
            int fields = names.length;
            int start = out.size();
            int[] begins = new int[fields];
            int[] ends = new int[fields];
            boolean[] seen = new boolean[fields];
            boolean inOrder = true;
            int last = -1;
            for (JsonToken t = EventReader.next(p); t != JsonToken.END_OBJECT; t = EventReader.next(p)) {
                String name = p.currentName();
                Integer position = index.get(name);
                JsonToken value = EventReader.next(p);
                if (position == null) {
                    if (envelopeFields.contains(name)) {
                        if (name.equals("schema_version")) {
                            c.sawSchemaVersion = true;
                        }
                        p.skipChildren();
                        continue;
                    }
                    if (dropUnknownFields) {
                        c.droppedUnknownFields++;
                        p.skipChildren();
                        continue;
                    }
                    throw new Rejection(Reason.UNKNOWN_FIELD, c.path.render(name),
                            "'" + abbreviate(name) + "' is not a field of " + String.join(", ", names));
                }
                int i = position;
                if (seen[i]) {
                    throw new Rejection(Reason.MALFORMED_JSON, c.path.render(name), "duplicate key '" + name + "'");
                }
                seen[i] = true;
                inOrder &= i == last + 1;
                last = i;
                begins[i] = out.size();
                c.path.push(name);
                readers[i].read(p, value, out, c);
                c.path.pop();
                ends[i] = out.size();
            }
            if (inOrder && last == fields - 1) {
                return; // every field, in schema order: the bytes are already right
            }
            // put the fields in schema order, with defaults for the absent ones
            byte[] written = java.util.Arrays.copyOfRange(out.array(), start, out.size());
            out.truncate(start);
            for (int i = 0; i < fields; i++) {
                if (seen[i]) {
                    out.writeRaw(written, begins[i] - start, ends[i] - begins[i]);
                } else if (defaults[i] != null) {
                    out.writeRaw(defaults[i], 0, defaults[i].length);
                } else {
                    throw new Rejection(Reason.MISSING_FIELD, c.path.render(names[i]),
                            "required field '" + names[i] + "' is absent and has no default");
                }
            }
        }

        @Override
        boolean accepts(JsonToken token) {
            return token == JsonToken.START_OBJECT;
        }

        @Override
        String expected() {
            return "an object";
        }
    }

    static final class UnionReader extends ValueReader {
        private final ValueReader[] branches;
        private final String[] names;
        private final boolean tagged;

        UnionReader(ValueReader[] branches, String[] names) {
            this.branches = branches;
            this.names = names;
            int objects = 0;
            for (ValueReader branch : branches) {
                if (branch.accepts(JsonToken.START_OBJECT)) {
                    objects++;
                }
            }
            this.tagged = objects > 1;
        }

        @Override
        void read(JsonParser p, JsonToken token, AvroBuffer out, Context c) {
            if (token == JsonToken.START_OBJECT && tagged) {
                readTagged(p, out, c);
                return;
            }
            for (int i = 0; i < branches.length; i++) {
                if (branches[i].accepts(token)) {
                    out.writeInt(i);
                    branches[i].read(p, token, out, c);
                    return;
                }
            }
            throw wrongType(token, expected(), c);
        }

        /** Avro's JSON form for a union of several object types: {@code {"BranchName": value}}. */
        private void readTagged(JsonParser p, AvroBuffer out, Context c) {
            if (EventReader.next(p) != JsonToken.PROPERTY_NAME) {
                throw invalid(c, "a union of several object types needs {\"<branch>\": value}, found an empty object");
            }
            String name = p.currentName();
            for (int i = 0; i < branches.length; i++) {
                if (names[i].equals(name)) {
                    out.writeInt(i);
                    c.path.push(name);
                    branches[i].read(p, EventReader.next(p), out, c);
                    c.path.pop();
                    if (EventReader.next(p) != JsonToken.END_OBJECT) {
                        throw invalid(c, "a union value names one branch only");
                    }
                    return;
                }
            }
            throw invalid(c, "'" + abbreviate(name) + "' is not a branch of the union " + java.util.Arrays.toString(names));
        }

        @Override
        boolean accepts(JsonToken token) {
            for (ValueReader branch : branches) {
                if (branch.accepts(token)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        String expected() {
            List<String> expected = new ArrayList<>();
            for (ValueReader branch : branches) {
                expected.add(branch.expected());
            }
            return String.join(" or ", expected);
        }
    }

    static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
