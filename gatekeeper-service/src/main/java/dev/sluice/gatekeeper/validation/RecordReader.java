package dev.sluice.gatekeeper.validation;

import dev.sluice.gatekeeper.validation.EventConverter.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** A record: members in any order, put in schema order at its end with precomputed defaults for absent fields. */
final class RecordReader extends ValueReader {
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
