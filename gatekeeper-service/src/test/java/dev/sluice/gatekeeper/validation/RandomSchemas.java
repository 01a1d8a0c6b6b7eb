package dev.sluice.gatekeeper.validation;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded generators for the differential tests: event schemas with every type and logical type the gatekeeper
 * supports (nested records, arrays, maps, unions, defaults), and for a schema, values as both the Avro datum and the
 * JSON a producer would send (in each of the forms the gatekeeper accepts: numbers or text for dates and times,
 * numbers or strings for decimals, fields in any order, absent fields with defaults).
 */
final class RandomSchemas {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Random random;
    private int names;

    RandomSchemas(Random random) {
        this.random = random;
    }

    /** A value of a schema: what Avro encodes, and what a producer sends. */
    record Value(Object datum, JsonNode json) {
    }

    // ---- schemas

    Schema eventSchema() {
        ObjectNode record = record(0);
        return new Schema.Parser().setValidateDefaults(true).parse(record.toString());
    }

    private String name(String prefix) {
        return prefix + (names++);
    }

    private ObjectNode record(int depth) {
        ObjectNode record = NODES.objectNode().put("type", "record").put("name", name("R")).put("namespace", "gen");
        ArrayNode fields = record.putArray("fields");
        int count = 1 + random.nextInt(depth == 0 ? 8 : 4);
        for (int i = 0; i < count; i++) {
            ObjectNode field = fields.addObject().put("name", "f" + i + "_" + depth);
            JsonNode type = type(depth);
            field.set("type", type);
            if (random.nextInt(3) == 0) {
                JsonNode value = defaultOf(type);
                if (value != null) {
                    field.set("default", value);
                }
            }
        }
        return record;
    }

    private JsonNode type(int depth) {
        int pick = random.nextInt(depth < 2 ? 24 : 20);
        return switch (pick) {
            case 0 -> NODES.stringNode("boolean");
            case 1, 2 -> NODES.stringNode("int");
            case 3, 4 -> NODES.stringNode("long");
            case 5 -> NODES.stringNode("float");
            case 6 -> NODES.stringNode("double");
            case 7, 8 -> NODES.stringNode("string");
            case 9 -> NODES.stringNode("bytes");
            case 10 -> logical("int", "date");
            case 11 -> logical("int", "time-millis");
            case 12 -> logical("long", "timestamp-millis");
            case 13 -> logical("long", "timestamp-micros");
            case 14 -> logical("string", "uuid");
            case 15 -> decimal(false);
            case 16 -> decimal(true);
            case 17 -> random.nextBoolean() ? fixed() : enumeration();
            case 18 -> union(depth);
            case 19 -> random.nextBoolean() ? NODES.objectNode().put("type", "array").set("items", itemType(depth))
                    : NODES.objectNode().put("type", "map").set("values", itemType(depth));
            default -> record(depth + 1);
        };
    }

    /** Items and values: anything but a union (unions of unions are not Avro). */
    private JsonNode itemType(int depth) {
        JsonNode type;
        do {
            type = type(depth + 1);
        } while (type.isArray());
        return type;
    }

    private ObjectNode logical(String base, String logical) {
        return NODES.objectNode().put("type", base).put("logicalType", logical);
    }

    private ObjectNode decimal(boolean fixed) {
        int precision = 1 + random.nextInt(fixed ? 16 : 30);
        int scale = random.nextInt(precision + 1);
        ObjectNode decimal = fixed ? NODES.objectNode().put("type", "fixed").put("name", name("D"))
                .put("size", 8) : NODES.objectNode().put("type", "bytes");
        return decimal.put("logicalType", "decimal").put("precision", fixed ? Math.min(precision, 18) : precision)
                .put("scale", Math.min(scale, fixed ? Math.min(precision, 18) : precision));
    }

    private ObjectNode fixed() {
        return NODES.objectNode().put("type", "fixed").put("name", name("F")).put("size", 1 + random.nextInt(12));
    }

    private ObjectNode enumeration() {
        ObjectNode enumeration = NODES.objectNode().put("type", "enum").put("name", name("E"));
        ArrayNode symbols = enumeration.putArray("symbols");
        for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
            symbols.add("S" + i);
        }
        return enumeration;
    }

    /** A union Avro accepts: no two branches of one unnamed type (date and int are both int), no unions inside. */
    private ArrayNode union(int depth) {
        ArrayNode union = NODES.arrayNode();
        Set<String> kinds = new HashSet<>();
        if (random.nextInt(3) > 0) {
            union.add("null");
            kinds.add("null");
        }
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            JsonNode branch = itemType(depth);
            String kind = kind(branch);
            if (kinds.add(kind)) {
                union.add(branch);
            }
        }
        if (union.size() == 1 && kinds.contains("null")) {
            union.add("string");
        }
        return union;
    }

    /** What Avro calls a branch's type for the one-per-type rule (named types by name). */
    private static String kind(JsonNode type) {
        if (type.isString()) {
            return type.asString();
        }
        String base = type.path("type").asString();
        return switch (base) {
            case "record", "enum", "fixed" -> base + ":" + type.path("name").asString();
            default -> base;
        };
    }

    /** A valid default in Avro's JSON form for a type; null when none is simple to give. */
    private JsonNode defaultOf(JsonNode type) {
        if (type.isArray()) {
            return defaultOf(type.get(0));
        }
        String base = type.isString() ? type.asString() : type.path("type").asString();
        return switch (base) {
            case "null" -> NODES.nullNode();
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "int" -> NODES.numberNode(random.nextInt(1000) - 500);
            case "long" -> NODES.numberNode(random.nextLong() >> random.nextInt(64));
            case "float" -> NODES.numberNode(1.5f);
            case "double" -> NODES.numberNode(-2.25d);
            case "string" -> NODES.stringNode(type.has("logicalType") ? new UUID(random.nextLong(), random.nextLong()).toString()
                    : "dflt" + random.nextInt(10));
            case "bytes" -> NODES.stringNode("\u0001\u00ff");
            case "fixed" -> NODES.stringNode("x".repeat(type.path("size").asInt()));
            case "enum" -> type.path("symbols").get(0);
            case "array" -> NODES.arrayNode();
            case "map" -> NODES.objectNode();
            default -> null; // records: left without a default
        };
    }

    // ---- values

    Value value(Schema schema) {
        return value(schema, 0);
    }

    private Value value(Schema schema, int depth) {
        return switch (schema.getType()) {
            case NULL -> new Value(null, NODES.nullNode());
            case BOOLEAN -> {
                boolean b = random.nextBoolean();
                yield new Value(b, NODES.booleanNode(b));
            }
            case INT -> intValue(schema);
            case LONG -> longValue(schema);
            case FLOAT -> {
                float f = List.of(0f, 1.5f, -3.25f, Float.MAX_VALUE, Float.MIN_VALUE, 1e-7f, 123456.78f)
                        .get(random.nextInt(7)) * (random.nextBoolean() ? 1 : -1) + (random.nextInt(3) == 0 ? random.nextFloat() : 0);
                if (random.nextInt(5) == 0) {
                    int whole = random.nextInt(100_000) - 50_000;
                    yield new Value((float) whole, NODES.numberNode(whole));
                }
                yield new Value(f, NODES.numberNode(new BigDecimal(Float.toString(f))));
            }
            case DOUBLE -> {
                double d = List.of(0d, 1.5d, -3.25d, Double.MAX_VALUE, Double.MIN_VALUE, 1e-300, 9.87654321e12)
                        .get(random.nextInt(7)) * (random.nextBoolean() ? 1 : -1) + (random.nextInt(3) == 0 ? random.nextDouble() : 0);
                if (random.nextInt(5) == 0) {
                    long whole = random.nextLong() >> 12;
                    yield new Value((double) whole, NODES.numberNode(whole));
                }
                yield new Value(d, NODES.numberNode(new BigDecimal(Double.toString(d))));
            }
            case STRING -> {
                String s = schema.getLogicalType() != null ? new UUID(random.nextLong(), random.nextLong()).toString() : text();
                yield new Value(s, NODES.stringNode(s));
            }
            case BYTES -> schema.getLogicalType() instanceof LogicalTypes.Decimal decimal ? decimalValue(schema, decimal)
                    : bytesValue(schema, -1);
            case FIXED -> schema.getLogicalType() instanceof LogicalTypes.Decimal decimal ? decimalValue(schema, decimal)
                    : bytesValue(schema, schema.getFixedSize());
            case ENUM -> {
                String symbol = schema.getEnumSymbols().get(random.nextInt(schema.getEnumSymbols().size()));
                yield new Value(new GenericData.EnumSymbol(schema, symbol), NODES.stringNode(symbol));
            }
            case ARRAY -> {
                List<Object> items = new ArrayList<>();
                ArrayNode json = NODES.arrayNode();
                for (int i = 0, n = depth > 3 ? 0 : random.nextInt(4); i < n; i++) {
                    Value item = value(schema.getElementType(), depth + 1);
                    items.add(item.datum());
                    json.add(item.json());
                }
                yield new Value(new GenericData.Array<>(schema, items), json);
            }
            case MAP -> {
                Map<String, Object> entries = new LinkedHashMap<>();
                ObjectNode json = NODES.objectNode();
                for (int i = 0, n = depth > 3 ? 0 : random.nextInt(4); i < n; i++) {
                    String key = "k" + i + text();
                    Value item = value(schema.getValueType(), depth + 1);
                    entries.put(key, item.datum());
                    json.set(key, item.json());
                }
                yield new Value(entries, json);
            }
            case RECORD -> recordValue(schema, depth);
            case UNION -> unionValue(schema, depth);
        };
    }

    private Value recordValue(Schema schema, int depth) {
        GenericData.Record datum = new GenericData.Record(schema);
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            if (field.hasDefaultValue() && random.nextInt(3) == 0) {
                datum.put(field.pos(), GenericData.get().getDefaultValue(field));
                continue;
            }
            Value value = value(field.schema(), depth + 1);
            datum.put(field.pos(), value.datum());
            members.add(Map.entry(field.name(), value.json()));
        }
        if (random.nextInt(3) == 0) {
            java.util.Collections.shuffle(members, random);
        }
        ObjectNode json = NODES.objectNode();
        members.forEach(member -> json.set(member.getKey(), member.getValue()));
        return new Value(datum, json);
    }

    /**
     * A branch's value, in the form that selects that branch: untagged, the first branch that takes the JSON type
     * (so a branch an earlier one shadows is not chosen); {@code {"Name": value}} for the object branches of a union
     * that has several.
     */
    private Value unionValue(Schema union, int depth) {
        List<Schema> branches = union.getTypes();
        boolean tagged = branches.stream().filter(RandomSchemas::takesObjects).count() > 1;
        for (int attempt = 0; ; attempt++) {
            int index = attempt > 20 ? 0 : random.nextInt(branches.size());
            Schema branch = branches.get(index);
            Value value = value(branch, depth + 1);
            if (tagged && takesObjects(branch)) {
                String name = branch.getType() == Schema.Type.RECORD ? branch.getName() : branch.getType().getName();
                return new Value(value.datum(), NODES.objectNode().set(name, value.json()));
            }
            // the kind the text has once sent (a decimal 58 is written as an integer)
            if (firstTaking(branches, ConverterDifferentialTest.STRICT.readTree(value.json().toString())) == index) {
                return value;
            }
        }
    }

    static boolean takesObjects(Schema schema) {
        return schema.getType() == Schema.Type.RECORD || schema.getType() == Schema.Type.MAP;
    }

    /** The branch the gatekeeper's documented rule picks for an untagged value. */
    static int firstTaking(List<Schema> branches, JsonNode json) {
        for (int i = 0; i < branches.size(); i++) {
            if (takes(branches.get(i), json)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a branch takes a JSON value of this kind (the union rule; the value itself may still be invalid). */
    static boolean takes(Schema schema, JsonNode json) {
        return switch (schema.getType()) {
            case NULL -> json.isNull();
            case BOOLEAN -> json.isBoolean();
            case INT -> json.isIntegralNumber() || (schema.getLogicalType() != null && json.isString());
            case LONG -> json.isIntegralNumber() || (isTimestamp(schema) && json.isString());
            case FLOAT, DOUBLE -> json.isNumber();
            case STRING, ENUM -> json.isString();
            case BYTES, FIXED -> json.isString() || (schema.getLogicalType() instanceof LogicalTypes.Decimal && json.isNumber());
            case ARRAY -> json.isArray();
            case MAP, RECORD -> json.isObject();
            case UNION -> false;
        };
    }

    static boolean isTimestamp(Schema schema) {
        return schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                || schema.getLogicalType() instanceof LogicalTypes.TimestampMicros;
    }

    private Value intValue(Schema schema) {
        if (schema.getLogicalType() instanceof LogicalTypes.Date) {
            int days = random.nextInt(200_000) - 100_000;
            return new Value(days, random.nextBoolean() ? NODES.numberNode(days)
                    : NODES.stringNode(LocalDate.ofEpochDay(days).toString()));
        }
        if (schema.getLogicalType() instanceof LogicalTypes.TimeMillis) {
            int millis = random.nextInt(86_400_000);
            return new Value(millis, random.nextBoolean() ? NODES.numberNode(millis)
                    : NODES.stringNode(LocalTime.ofNanoOfDay(millis * 1_000_000L).toString()));
        }
        int value = List.of(0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, random.nextInt()).get(random.nextInt(6));
        return new Value(value, NODES.numberNode(value));
    }

    private Value longValue(Schema schema) {
        if (isTimestamp(schema)) {
            boolean micros = schema.getLogicalType() instanceof LogicalTypes.TimestampMicros;
            long millis = (random.nextLong() >> 22); // about ±1100 years around 1970
            Instant instant = Instant.ofEpochMilli(millis).plus(micros ? random.nextInt(1000) : 0, ChronoUnit.MICROS);
            long value = micros ? Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000)
                    : instant.toEpochMilli();
            JsonNode json = switch (random.nextInt(3)) {
                case 0 -> NODES.numberNode(value);
                case 1 -> NODES.stringNode(instant.toString());
                default -> NODES.stringNode(instant.atOffset(ZoneOffset.ofHours(random.nextInt(25) - 12)).toString());
            };
            return new Value(value, json);
        }
        long value = List.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, (long) Integer.MAX_VALUE + 1, random.nextLong())
                .get(random.nextInt(6));
        return new Value(value, NODES.numberNode(value));
    }

    private Value decimalValue(Schema schema, LogicalTypes.Decimal decimal) {
        int digits = 1 + random.nextInt(decimal.getPrecision());
        BigInteger unscaled = new BigInteger(digits * 3, random).mod(BigInteger.TEN.pow(digits));
        if (random.nextBoolean()) {
            unscaled = unscaled.negate();
        }
        BigDecimal value = new BigDecimal(unscaled, decimal.getScale());
        byte[] bytes = unscaled.toByteArray();
        Object datum;
        if (schema.getType() == Schema.Type.FIXED) {
            byte[] padded = new byte[schema.getFixedSize()];
            java.util.Arrays.fill(padded, (byte) (unscaled.signum() < 0 ? 0xFF : 0));
            System.arraycopy(bytes, 0, padded, padded.length - bytes.length, bytes.length);
            datum = new GenericData.Fixed(schema, padded);
        } else {
            datum = ByteBuffer.wrap(bytes);
        }
        JsonNode json = switch (random.nextInt(3)) {
            case 0 -> NODES.numberNode(value);
            case 1 -> NODES.stringNode(value.toPlainString());
            default -> NODES.numberNode(value.stripTrailingZeros()); // fewer decimals than the scale: still exact
        };
        return new Value(datum, json);
    }

    private Value bytesValue(Schema schema, int size) {
        byte[] bytes = new byte[size >= 0 ? size : random.nextInt(20)];
        random.nextBytes(bytes);
        Object datum = size >= 0 ? new GenericData.Fixed(schema, bytes) : ByteBuffer.wrap(bytes);
        return new Value(datum, NODES.stringNode(Base64.getEncoder().encodeToString(bytes)));
    }

    private String text() {
        return switch (random.nextInt(5)) {
            case 0 -> "";
            case 1 -> "plain" + random.nextInt(1000);
            case 2 -> "quotes \" and \\ and \n newline";
            case 3 -> "unicode é 💡 \u0000 \u2028";
            default -> Long.toString(random.nextLong(), 36);
        };
    }
}
