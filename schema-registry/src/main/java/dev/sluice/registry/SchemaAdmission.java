package dev.sluice.registry;

import dev.sluice.registry.storage.RegistryState;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * What a schema must be to be stored, beyond parsing: a schema that fails any of it is answered 422 (42201) with
 * the reason, never 500. Avro's parser (with default validation) refuses duplicate union branches and field names,
 * bad defaults, undefined names, nested unions and the like, each with its own exception type; this turns every one
 * into a verdict, and adds what Avro accepts but the platform must not: a logical type that is unknown or does not
 * fit its type (Avro ignores it, so the platform would silently treat the field as its base type), JSON nested
 * deeper than {@code maxDepth} (it would overflow a parser's stack, ours or a consumer's), and enums of more than
 * {@code maxEnumSymbols} symbols.
 */
final class SchemaAdmission {

    private final int maxDepth;
    private final int maxEnumSymbols;

    SchemaAdmission(int maxDepth, int maxEnumSymbols) {
        this.maxDepth = maxDepth;
        this.maxEnumSymbols = maxEnumSymbols;
    }

    /** The parsed schema, or {@link RegistryError} 42201 with the reason. */
    Schema admit(String text) {
        int depth = jsonDepth(text);
        if (depth > maxDepth) {
            throw RegistryError.invalidSchema("the schema is nested " + depth + " levels deep; at most " + maxDepth
                    + " are accepted (sluice.registry.max-schema-depth)");
        }
        Schema parsed;
        try {
            parsed = RegistryState.parse(text);
        } catch (RuntimeException | StackOverflowError e) {
            // SchemaParseException, AvroTypeException, AvroRuntimeException ("Duplicate in union"), ...: all verdicts
            throw RegistryError.invalidSchema(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        check(parsed, Collections.newSetFromMap(new IdentityHashMap<>()));
        return parsed;
    }

    private void check(Schema schema, Set<Schema> seen) {
        if (!seen.add(schema)) {
            return; // a named type used again, or a recursive one
        }
        Object logical = schema.getObjectProp("logicalType");
        if (logical != null && schema.getLogicalType() == null) {
            throw RegistryError.invalidSchema("logical type " + logical + " is unknown or does not fit a "
                    + schema.getType().getName() + (schema.getFullName() == null ? "" : " (" + schema.getFullName() + ")")
                    + ": the platform would treat the values as plain " + schema.getType().getName());
        }
        switch (schema.getType()) {
            case RECORD -> schema.getFields().forEach(field -> check(field.schema(), seen));
            case UNION -> schema.getTypes().forEach(branch -> check(branch, seen));
            case ARRAY -> check(schema.getElementType(), seen);
            case MAP -> check(schema.getValueType(), seen);
            case ENUM -> {
                if (schema.getEnumSymbols().size() > maxEnumSymbols) {
                    throw RegistryError.invalidSchema("enum " + schema.getFullName() + " has " + schema.getEnumSymbols().size()
                            + " symbols; at most " + maxEnumSymbols + " are accepted (sluice.registry.max-enum-symbols)");
                }
            }
            default -> { }
        }
    }

    /** How deep objects and arrays nest in the JSON text (strings skipped); no parser, so no stack to overflow. */
    static int jsonDepth(String text) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                max = Math.max(max, ++depth);
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return max;
    }
}
