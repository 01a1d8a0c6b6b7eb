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
                describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous),
                        "the new schema cannot read data written with " + which, reasons);
            }
            if (level.forward) {
                describe(SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate),
                        which + " cannot read data written with the new schema", reasons);
            }
        }
        return reasons;
    }

    private static void describe(SchemaPairCompatibility result, String direction, List<String> reasons) {
        for (Incompatibility incompatibility : result.getResult().getIncompatibilities()) {
            reasons.add("{" + direction + ": " + incompatibility.getType() + " at " + incompatibility.getLocation()
                    + ": " + incompatibility.getMessage() + "}");
        }
    }
}
