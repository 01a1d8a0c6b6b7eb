package dev.sluice.gatekeeper.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Differential tests of the converter against a reference path ({@link ReferenceConverter}: the documented rules
 * over a Jackson tree, then Avro's own encoder), over generated schemas ({@link RandomSchemas}) with every type and
 * logical type the gatekeeper supports:
 * <ul>
 * <li>a generated valid value gives exactly the bytes Avro's encoder gives for the generated datum, through the
 * one-pass path and the two-pass path, and the reference path agrees;</li>
 * <li>a mutated value (a member of another JSON type, removed, added, out of range, malformed text, duplicated) is
 * rejected exactly when the reference rejects it, with the same reason code, and otherwise gives the reference's
 * bytes.</li>
 * </ul>
 * Seeded: a failure names its seed, and {@code -Dsluice.differential.seed=N} replays that one schema.
 */
class ConverterDifferentialTest {

    static final int SCHEMAS = 500;
    static final int VALUES = 6;
    static final int MUTATIONS = 3;
    static final Set<String> ENVELOPE = Set.of("type", "schema_version");
    static final JsonMapper STRICT = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    final EventReader reader = new EventReader(1 << 22, 64);
    final ReferenceConverter reference = new ReferenceConverter(ENVELOPE);
    final Map<Reason, Integer> rejected = new EnumMap<>(Reason.class);
    int valid;
    int mutatedAccepted;

    @Test
    void convertsExactlyAsAvroAndRejectsExactlyWhenTheReferenceDoes() {
        String only = System.getProperty("sluice.differential.seed");
        long first = only == null ? 1 : Long.parseLong(only);
        long last = only == null ? SCHEMAS : first;
        for (long seed = first; seed <= last; seed++) {
            try {
                check(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + " (replay: -Dsluice.differential.seed=" + seed + "): "
                        + e.getMessage(), e);
            }
        }
        int cases = valid + mutatedAccepted + rejected.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("differential: %d cases, %d valid, %d mutated and still valid, rejected %s%n", cases, valid,
                mutatedAccepted, rejected);
        if (only == null) {
            assertThat(cases).isGreaterThanOrEqualTo(SCHEMAS * VALUES * (1 + MUTATIONS) - SCHEMAS);
            assertThat(rejected.keySet()).as("every reason a value can earn was seen")
                    .contains(Reason.WRONG_TYPE, Reason.INVALID_VALUE, Reason.MISSING_FIELD, Reason.UNKNOWN_FIELD,
                            Reason.MALFORMED_JSON);
        }
    }

    void check(long seed) {
        Random random = new Random(seed);
        RandomSchemas generator = new RandomSchemas(random);
        Schema schema = generator.eventSchema();
        try {
            check(schema, generator, random);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nschema: " + schema, e);
        }
    }

    void check(Schema schema, RandomSchemas generator, Random random) {
        EventConverter converter = EventConverter.compile(schema, null, ENVELOPE, false);
        for (int v = 0; v < VALUES; v++) {
            RandomSchemas.Value value = generator.value(schema);
            byte[] expected = encode(schema, value.datum());
            String json = value.json().toString();
            assertThat(hex(twoPass(converter, json))).as("two-pass %s", json).isEqualTo(hex(expected));
            assertThat(hex(onePass(converter, json))).as("one-pass %s", json).isEqualTo(hex(expected));
            assertThat(hex(encode(schema, reference.toDatum(STRICT.readTree(json), schema, true))))
                    .as("reference %s", json).isEqualTo(hex(expected));
            valid++;
            for (int m = 0; m < MUTATIONS; m++) {
                String mutated = mutate((ObjectNode) value.json().deepCopy(), schema, random);
                compare(schema, converter, mutated);
            }
        }
    }

    /** The converter's verdict on a mutated value is the reference's: the same reason, or the same bytes. */
    void compare(Schema schema, EventConverter converter, String json) {
        Reason expectedReason = null;
        byte[] expected = null;
        try {
            expected = encode(schema, reference.toDatum(STRICT.readTree(json), schema, true));
        } catch (ReferenceConverter.Refused refused) {
            expectedReason = refused.reason;
        } catch (tools.jackson.core.JacksonException duplicate) {
            expectedReason = Reason.MALFORMED_JSON;
        }
        try {
            byte[] actual = twoPass(converter, json);
            assertThat(expectedReason).as("accepted %s, which the reference refuses", json).isNull();
            assertThat(hex(actual)).as("%s", json).isEqualTo(hex(expected));
            mutatedAccepted++;
        } catch (Rejection rejection) {
            assertThat(rejection.reason()).as("%s rejected (%s)", json, rejection).isEqualTo(expectedReason);
            rejected.merge(rejection.reason(), 1, Integer::sum);
        }
    }

    byte[] twoPass(EventConverter converter, String json) {
        byte[] input = ("{\"data\": " + json + "}").getBytes(StandardCharsets.UTF_8);
        AvroBuffer out = new AvroBuffer(64);
        reader.convert(input, converter, out, new EventConverter.Context());
        return out.toByteArray();
    }

    /** The production hot path: {@code data} with its {@code type} first, converted while it is read. */
    byte[] onePass(EventConverter converter, String json) {
        String members = json.substring(1);
        byte[] input = ("{\"data\": {\"type\": \"t\"" + (members.equals("}") ? "" : ", ") + members + "}")
                .getBytes(StandardCharsets.UTF_8);
        AvroBuffer out = new AvroBuffer(64);
        Envelope envelope = reader.convertInOnePass(input, (type, buffer) -> {
            buffer.reset();
            return converter;
        }, out, new EventConverter.Context());
        assertThat(envelope).as("the one-pass path took %s", json).isNotNull();
        return out.toByteArray();
    }

    /** One change somewhere in the value: what a careless or hostile producer sends. */
    static String mutate(ObjectNode root, Schema schema, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode container = containers.get(random.nextInt(containers.size()));
        if (container instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.propertyNames().forEach(names::add);
            int kind = names.isEmpty() ? 0 : random.nextInt(6);
            switch (kind) {
                case 0 -> object.set("zz_unknown_" + random.nextInt(9), anyValue(random));
                case 1 -> {
                    return duplicateMember(object, root, random, names);
                }
                case 2 -> object.remove(names.get(random.nextInt(names.size())));
                default -> object.set(names.get(random.nextInt(names.size())), anyValue(random));
            }
        } else if (container instanceof ArrayNode array) {
            if (array.isEmpty() || random.nextBoolean()) {
                array.add(anyValue(random));
            } else {
                array.set(random.nextInt(array.size()), anyValue(random));
            }
        }
        return root.toString();
    }

    /** The text of the value with one member written twice (a tree cannot hold that). */
    static String duplicateMember(ObjectNode object, ObjectNode root, Random random, List<String> names) {
        String marker = "zz_marker_" + random.nextInt(1_000_000);
        String name = names.get(random.nextInt(names.size()));
        JsonNode value = object.get(name);
        object.set(marker, NODES.nullNode());
        return root.toString().replace("\"" + marker + "\":null",
                STRICT.getNodeFactory().textNode(name).toString() + ":" + value);
    }

    static void collect(JsonNode node, List<JsonNode> containers) {
        if (node.isObject() || node.isArray()) {
            containers.add(node);
            node.forEach(child -> collect(child, containers));
        }
    }

    /** A value of any JSON type, some of them at the edge of what a field takes. */
    static JsonNode anyValue(Random random) {
        return switch (random.nextInt(16)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(1000));
            case 3 -> NODES.numberNode(2147483648L);
            case 4 -> NODES.numberNode(new java.math.BigInteger("92233720368547758080"));
            case 5 -> NODES.numberNode(new java.math.BigDecimal("1.5"));
            case 6 -> NODES.numberNode(new java.math.BigDecimal("1e39"));
            case 7 -> NODES.numberNode(new java.math.BigDecimal("123.456789"));
            case 8 -> NODES.stringNode("not base64 !");
            case 9 -> NODES.stringNode("2026-02-30");
            case 10 -> NODES.stringNode("2026-11-26T10:15:30Z");
            case 11 -> NODES.stringNode("25:61");
            case 12 -> NODES.stringNode("S0");
            case 13 -> NODES.stringNode("12345678-1234-1234-1234-1234567890ab");
            case 14 -> NODES.objectNode().put("x", 1);
            default -> NODES.arrayNode().add(1);
        };
    }

    static byte[] encode(Schema schema, Object datum) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
            new GenericDatumWriter<>(schema).write(datum, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String hex(byte[] bytes) {
        return bytes == null ? "null" : java.util.HexFormat.of().formatHex(bytes) + " (" + bytes.length + ")";
    }
}
