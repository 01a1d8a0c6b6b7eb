package dev.sluice.gatekeeper.validation;

import dev.sluice.gatekeeper.validation.EventConverter.Context;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** A union: the branch that fits the JSON type, or Avro's tagged form for a union of several object types. */
final class UnionReader extends ValueReader {
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
                    if (name.equals(p.currentName())) {
                        throw new Rejection(Reason.MALFORMED_JSON, c.path.render(name), "duplicate key '" + abbreviate(name) + "'");
                    }
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
