package dev.sluice.registry.compatibility;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Decides whether a new schema may follow earlier versions, with Apache Avro's reader/writer compatibility
 * checker (the rules of the Avro specification's schema resolution).
 */
public final class CompatibilityChecker {

    private CompatibilityChecker() {
    }

    /**
     * @param earlier the versions to consider, oldest first; for a non-transitive level only the last is used
     * @return why the new schema is incompatible, one line per problem naming the field; empty when compatible
     */
    public static List<String> incompatibilities(CompatibilityLevel level, Schema candidate, List<Schema> earlier) {
        List<String> reasons = new ArrayList<>();
        if (level == CompatibilityLevel.NONE || earlier.isEmpty()) {
            return reasons;
        }
        List<Schema> against = level.transitive ? earlier : List.of(earlier.get(earlier.size() - 1));
        for (int i = against.size() - 1; i >= 0; i--) {
            Schema previous = against.get(i);
            String which = level.transitive ? "version at position " + (i + 1) + " of " + against.size() : "the latest version";
            if (level.backward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous), candidate,
                        "the new schema cannot read data written with " + which, reasons);
            }
            if (level.forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate), previous,
                        which + " cannot read data written with the new schema", reasons);
            }
        }
        return reasons;
    }

    private static void describe(SchemaPairCompatibility result, Schema reader, String direction, List<String> reasons) {
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            String field = fieldPath(reader, incompatibility.getLocation());
            reasons.add("{" + direction + ": " + (field.isEmpty() ? "" : "field '" + field + "': ")
                    + incompatibility.getType() + " at " + incompatibility.getLocation() + ": "
                    + incompatibility.getMessage() + "}");
        }
    }

    /**
     * The dotted field path that Avro's JSON-pointer location ({@code /fields/1/type/0/fields/2}) points into,
     * read against the reader schema; empty when the problem is at the top level.
     */
    static String fieldPath(Schema reader, String location) {
        List<String> names = new ArrayList<>();
        Schema current = reader;
        String[] tokens = location.split("/");
        for (int i = 0; i < tokens.length && current != null; i++) {
            String token = tokens[i];
            try {
                if (token.equals("fields") && i + 1 < tokens.length && current.getType() == Schema.Type.RECORD) {
                    Schema.Field field = current.getFields().get(Integer.parseInt(tokens[++i]));
                    names.add(field.name());
                    current = field.schema();
                } else if (token.equals("items") && current.getType() == Schema.Type.ARRAY) {
                    current = current.getElementType();
                } else if (token.equals("values") && current.getType() == Schema.Type.MAP) {
                    current = current.getValueType();
                } else if (token.matches("\\d+") && current.getType() == Schema.Type.UNION) {
                    current = current.getTypes().get(Integer.parseInt(token));
                }
            } catch (IndexOutOfBoundsException | NumberFormatException e) {
                break; // a location this reading does not know: keep what was found
            }
        }
        return String.join(".", names);
    }
}
