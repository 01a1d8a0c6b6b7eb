package dev.sluice.gatekeeper.validation;

import dev.sluice.gatekeeper.validation.EventConverter.Context;
import java.util.HashSet;
import java.util.Set;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/** Readers of arrays and maps: Avro blocks, one block holding every item. */
final class CollectionReaders {

    private CollectionReaders() {
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
}
