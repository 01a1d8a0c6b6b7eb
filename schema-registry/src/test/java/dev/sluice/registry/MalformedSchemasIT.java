package dev.sluice.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import dev.sluice.registry.RunningRegistry.Answer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hundreds of malformed schemas, each made by one mutation of a valid one that makes it invalid by construction
 * (duplicate union branches and field names, bad defaults, unknown or misplaced logical types, deep nesting, huge
 * enums, bad names, sizes, precisions, truncated JSON, ...): every one is answered 422 with error code 42201, none
 * with 500, and the registry keeps answering. The seed of a failing case is in the assertion message.
 */
@LocalInfraTest(Server.KAFKA)
class MalformedSchemasIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static RunningRegistry registry;

    /** Valid schemas with every kind of node a mutation needs. */
    static final List<String> BASES = List.of(
            Schemas.PRODUCT_CREATED,
            """
            {"type": "record", "name": "Checkout", "namespace": "com.example",
             "fields": [
               {"name": "id", "type": "string"},
               {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
               {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID", "SHIPPED"]}},
               {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
                   {"name": "sku", "type": "string"}, {"name": "qty", "type": "int", "default": 1}]}}},
               {"name": "tags", "type": {"type": "map", "values": "string"}, "default": {}},
               {"name": "coupon", "type": ["null", "string"], "default": null},
               {"name": "at", "type": {"type": "long", "logicalType": "timestamp-micros"}},
               {"name": "day", "type": {"type": "int", "logicalType": "date"}},
               {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 16}}
             ]}""",
            """
            {"type": "record", "name": "Address", "fields": [
               {"name": "id", "type": "string"},
               {"name": "home", "type": {"type": "record", "name": "Place", "fields": [
                   {"name": "city", "type": "string", "default": "?"},
                   {"name": "geo", "type": ["null", {"type": "record", "name": "Geo", "fields": [
                       {"name": "lat", "type": "double"}, {"name": "lon", "type": "double"}]}], "default": null}]}},
               {"name": "work", "type": ["null", "Place"], "default": null},
               {"name": "ratio", "type": "float", "default": 0.5},
               {"name": "flag", "type": "boolean", "default": false},
               {"name": "uid", "type": {"type": "string", "logicalType": "uuid"}}
             ]}""");

    @BeforeAll
    static void start(LocalInfra infra) {
        registry = RunningRegistry.start(infra);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void everyMalformedSchemaIs42201AndTheRegistryKeepsAnswering() {
        Map<String, BiFunction<ObjectNode, Random, String>> mutations = mutations();
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new LinkedHashMap<>();
        int cases = 0;
        for (long seed = 1; cases < 360; seed++) {
            Random random = new Random(seed);
            String base = BASES.get(random.nextInt(BASES.size()));
            List<String> names = new ArrayList<>(mutations.keySet());
            String mutation = names.get((int) (seed % names.size()));
            String schema = mutations.get(mutation).apply((ObjectNode) JSON.readTree(base), random);
            if (schema == null) {
                continue; // the base has no node this mutation applies to
            }
            cases++;
            Answer answer = registry.post("/subjects/malformed-" + seed + "-value/versions", RunningRegistry.schemaBody(schema));
            statuses.merge(answer.status(), 1, Integer::sum);
            if (answer.status() != 422 || answer.errorCode() != 42201) {
                failures.add("seed " + seed + " (" + mutation + "): " + answer.status() + " " + abbreviate(answer.body())
                        + " for " + abbreviate(schema));
            }
        }
        assertThat(cases).isGreaterThanOrEqualTo(300);
        assertThat(failures).as("statuses %s", statuses).isEmpty();
        assertThat(statuses).containsOnlyKeys(422);
        assertThat(registry.get("/subjects").status()).isEqualTo(200);
        assertThat(registry.get("/subjects").json().toString()).doesNotContain("malformed-");
        assertThat(registry.register("after-the-fuzz-value", BASES.get(1))).isPositive();
    }

    static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    /** Each mutation makes its input invalid, or answers null when the input has nothing it applies to. */
    static Map<String, BiFunction<ObjectNode, Random, String>> mutations() {
        Map<String, BiFunction<ObjectNode, Random, String>> m = new LinkedHashMap<>();
        m.put("duplicate union branch", (root, r) -> onUnion(root, r, union -> union.add(union.get(union.size() - 1).deepCopy())));
        m.put("duplicate field name", (root, r) -> {
            ArrayNode fields = pick(records(root), r).withArray("fields");
            fields.add(fields.get(r.nextInt(fields.size())).deepCopy());
            return root.toString();
        });
        m.put("default of the wrong type", (root, r) -> {
            ObjectNode field = pick(fields(root), r);
            JsonNode type = field.get("type");
            String kind = type.isString() ? type.asString() : type.isArray() ? "union" : type.path("type").asString();
            field.set("default", switch (kind) {
                case "string", "bytes", "enum", "fixed", "map" -> JSON.getNodeFactory().numberNode(42);
                case "union" -> type.get(0).asString("").equals("null") ? JSON.getNodeFactory().numberNode(7)
                        : JSON.getNodeFactory().nullNode();
                default -> JSON.getNodeFactory().objectNode().put("not", "a default");
            });
            return root.toString();
        });
        m.put("unknown logical type", (root, r) -> onPrimitive(root, r, (primitive, type) ->
                JSON.createObjectNode().put("type", type).put("logicalType", "sluice-nope-" + r.nextInt(1000))));
        m.put("logical type on the wrong base", (root, r) -> onPrimitive(root, r, (primitive, type) ->
                JSON.createObjectNode().put("type", type.equals("string") ? "boolean" : "string")
                        .put("logicalType", type.equals("string") ? "date" : "timestamp-millis")));
        m.put("deep nesting of arrays", (root, r) -> {
            int depth = 100 + r.nextInt(3000);
            return nest(root, r, "{\"type\":\"array\",\"items\":".repeat(depth), "}".repeat(depth));
        });
        m.put("deep nesting of records", (root, r) -> {
            StringBuilder open = new StringBuilder();
            int depth = 100 + r.nextInt(1500);
            for (int i = 0; i < depth; i++) {
                open.append("{\"type\":\"record\",\"name\":\"N").append(i).append("\",\"fields\":[{\"name\":\"f\",\"type\":");
            }
            return nest(root, r, open.toString(), "}]}".repeat(depth));
        });
        m.put("huge enum", (root, r) -> {
            ObjectNode field = pick(fields(root), r);
            ObjectNode enumType = JSON.createObjectNode().put("type", "enum").put("name", "Huge" + r.nextInt(100));
            ArrayNode symbols = enumType.putArray("symbols");
            for (int i = 0, n = 20_000 + r.nextInt(40_000); i < n; i++) {
                symbols.add("S" + i);
            }
            field.set("type", enumType);
            field.remove("default");
            return root.toString();
        });
        m.put("invalid field name", (root, r) -> {
            pick(fields(root), r).put("name", List.of("bad-name", "1st", "", "a b", "a.b").get(r.nextInt(5)));
            return root.toString();
        });
        m.put("invalid record name", (root, r) -> {
            pick(records(root), r).put("name", List.of("Bad-Name", "9Lives", "", "a.b-c").get(r.nextInt(4)));
            return root.toString();
        });
        m.put("field without a type", (root, r) -> {
            pick(fields(root), r).remove("type");
            return root.toString();
        });
        m.put("reference to an unknown type", (root, r) -> {
            pick(fields(root), r).put("type", "com.example.Nope" + r.nextInt(100));
            return root.toString();
        });
        m.put("duplicate enum symbol", (root, r) -> {
            ObjectNode field = pick(fields(root), r);
            ObjectNode enumType = JSON.createObjectNode().put("type", "enum").put("name", "Dup" + r.nextInt(100));
            enumType.putArray("symbols").add("A").add("B").add("A");
            field.set("type", enumType);
            field.remove("default");
            return root.toString();
        });
        m.put("fixed with a bad size", (root, r) -> {
            ObjectNode field = pick(fields(root), r);
            ObjectNode fixed = JSON.createObjectNode().put("type", "fixed").put("name", "F" + r.nextInt(100));
            switch (r.nextInt(3)) {
                case 0 -> fixed.put("size", -1 - r.nextInt(10));
                case 1 -> fixed.put("size", "sixteen");
                default -> { } // no size at all
            }
            field.set("type", fixed);
            field.remove("default");
            return root.toString();
        });
        m.put("decimal beyond its precision", (root, r) -> {
            ObjectNode field = pick(fields(root), r);
            int precision = r.nextInt(4);
            field.set("type", JSON.createObjectNode().put("type", "bytes").put("logicalType", "decimal")
                    .put("precision", precision).put("scale", precision + 1 + r.nextInt(5)));
            field.remove("default");
            return root.toString();
        });
        m.put("union in a union", (root, r) -> {
            ObjectNode field = pick(fields(root), r);
            field.set("type", JSON.createArrayNode().add(JSON.createArrayNode().add("null").add("string")).add("int"));
            field.remove("default");
            return root.toString();
        });
        m.put("array without items", (root, r) -> {
            ObjectNode field = pick(fields(root), r);
            field.set("type", JSON.createObjectNode().put("type", r.nextBoolean() ? "array" : "map"));
            field.remove("default");
            return root.toString();
        });
        m.put("truncated JSON", (root, r) -> {
            String text = root.toString();
            return text.substring(0, 1 + r.nextInt(text.length() - 2));
        });
        m.put("record without fields", (root, r) -> {
            pick(records(root), r).remove("fields");
            return root.toString();
        });
        m.put("invalid namespace", (root, r) -> {
            root.put("namespace", List.of("1bad.ns", "a..b", "a-b.c").get(r.nextInt(3)));
            return root.toString();
        });
        return m;
    }

    /** A field's type wrapped in the given text, deeper than a JSON tree may be written from. */
    static String nest(ObjectNode root, Random random, String open, String close) {
        ObjectNode field = pick(fields(root), random);
        String type = field.get("type").toString();
        field.put("type", "NESTED_HERE");
        field.remove("default");
        return root.toString().replace("\"NESTED_HERE\"", open + type + close);
    }

    static <T> T pick(List<T> nodes, Random random) {
        return nodes.get(random.nextInt(nodes.size()));
    }

    /** Every record definition in the schema. */
    static List<ObjectNode> records(JsonNode node) {
        List<ObjectNode> records = new ArrayList<>();
        walk(node, n -> {
            if (n instanceof ObjectNode o && "record".equals(o.path("type").asString("")) && o.has("fields")) {
                records.add(o);
            }
        });
        return records;
    }

    static List<ObjectNode> fields(JsonNode node) {
        List<ObjectNode> fields = new ArrayList<>();
        records(node).forEach(record -> record.withArray("fields").forEach(f -> fields.add((ObjectNode) f)));
        return fields;
    }

    /** Unions are the arrays given as a type: of a field, of an array's items, of a map's values. */
    static String onUnion(ObjectNode root, Random random, java.util.function.Consumer<ArrayNode> change) {
        List<ArrayNode> unions = new ArrayList<>();
        walk(root, n -> {
            if (n instanceof ObjectNode o) {
                for (String key : List.of("type", "items", "values")) {
                    if (o.get(key) instanceof ArrayNode union && !union.isEmpty()) {
                        unions.add(union);
                    }
                }
            }
        });
        if (unions.isEmpty()) {
            return null;
        }
        change.accept(pick(unions, random));
        return root.toString();
    }

    /** Replaces a primitive type name (a field's type, or an item's, value's or branch's) by what the function gives. */
    static String onPrimitive(ObjectNode root, Random random, BiFunction<JsonNode, String, JsonNode> change) {
        List<ObjectNode> candidates = new ArrayList<>();
        for (ObjectNode field : fields(root)) {
            if (field.get("type").isString() && List.of("string", "int", "long", "boolean", "double", "float", "bytes")
                    .contains(field.get("type").asString())) {
                candidates.add(field);
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        ObjectNode field = pick(candidates, random);
        field.set("type", change.apply(field.get("type"), field.get("type").asString()));
        field.remove("default");
        return root.toString();
    }

    static void walk(JsonNode node, java.util.function.Consumer<JsonNode> visit) {
        visit.accept(node);
        if (node.isObject()) {
            node.properties().forEach(e -> walk(e.getValue(), visit));
        } else if (node.isArray()) {
            node.forEach(child -> walk(child, visit));
        }
    }
}
