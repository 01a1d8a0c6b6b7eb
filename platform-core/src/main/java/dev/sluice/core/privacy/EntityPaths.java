package dev.sluice.core.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericRecord;

/**
 * Where an event type's entities are, and the entities an event mentions and relates: what the reverse index and
 * the relations graph record, and what the access and erasure jobs match rows against. One walker for both forms an
 * event has in the platform: an Avro {@link GenericRecord} (as consumed from {@code events.valid.<type>}) and a
 * {@link JsonNode} (a tier-zero row as Spark renders it).
 *
 * <p>Paths are {@link PrivacyField#path()}s: arrays, maps and unions are transparent, so an entity field in the
 * records of an array yields one mention per element, and an array (or map) of ids one per id. In the JSON form a
 * map is an object like a record: an object without the next field of the path is read as a map and its values are
 * walked. A {@code sluice.linked_to} pair is taken within each record that declares it (the seller of each item, not
 * every item's seller with every other item's product).
 */
public final class EntityPaths {

    private final List<EntityPath> entities;
    private final List<LinkPath> links;

    private record EntityPath(String[] segments, String entity) {
    }

    private record LinkPath(String[] parent, String field, String entity, String linkedField, String linkedEntity) {
    }

    /** A relation between two entities as one event declares it: {@code from}'s field is {@code linked_to} {@code to}'s. */
    public record Link(EntityRef from, EntityRef to) {
    }

    private EntityPaths(List<EntityPath> entities, List<LinkPath> links) {
        this.entities = entities;
        this.links = links;
    }

    public static EntityPaths of(PrivacySchema schema) {
        return of(List.of(schema));
    }

    /** The entity fields of every version of an event type (a field in several versions once). */
    public static EntityPaths of(Collection<PrivacySchema> versions) {
        Map<String, EntityPath> entities = new LinkedHashMap<>();
        Map<String, LinkPath> links = new LinkedHashMap<>();
        for (PrivacySchema schema : versions) {
            Map<String, PrivacyField> fields = schema.fields();
            for (PrivacyField field : schema.entityFields()) {
                entities.putIfAbsent(field.path() + "\u0000" + field.entity(),
                        new EntityPath(field.path().split("\\."), field.entity()));
                PrivacyField linked = field.linkedTo() == null ? null : fields.get(field.linkedTo());
                if (linked != null && linked.hasEntity()) {
                    String[] segments = field.path().split("\\.");
                    String[] parent = Arrays.copyOf(segments, segments.length - 1);
                    links.putIfAbsent(field.path() + "\u0000" + field.entity() + "\u0000" + linked.entity(),
                            new LinkPath(parent, field.name(), field.entity(), linked.name(), linked.entity()));
                }
            }
        }
        return new EntityPaths(List.copyOf(entities.values()), List.copyOf(links.values()));
    }

    /** Whether the event type has no entity field at all (nothing to index). */
    public boolean isEmpty() {
        return entities.isEmpty();
    }

    /** The entity types (annotations) that the event type's fields carry. */
    public Set<String> entityTypes() {
        Set<String> types = new LinkedHashSet<>();
        entities.forEach(path -> types.add(path.entity()));
        return types;
    }

    /** Every entity the event mentions, in field order, each once. */
    public Set<EntityRef> mentions(Object event) {
        Set<EntityRef> found = new LinkedHashSet<>();
        for (EntityPath path : entities) {
            walk(event, path.segments(), 0, id -> found.add(new EntityRef(path.entity(), id)));
        }
        return found;
    }

    /** Whether the event mentions any of the entities (without collecting the rest). */
    public boolean mentionsAny(Object event, Set<EntityRef> wanted) {
        for (EntityPath path : entities) {
            boolean[] hit = {false};
            walk(event, path.segments(), 0, id -> hit[0] |= wanted.contains(new EntityRef(path.entity(), id)));
            if (hit[0]) {
                return true;
            }
        }
        return false;
    }

    /** Every relation the event declares, in the direction of its annotation, each once. */
    public Set<Link> links(Object event) {
        Set<Link> found = new LinkedHashSet<>();
        for (LinkPath path : links) {
            for (Object record : records(event, path.parent())) {
                List<String> from = new ArrayList<>();
                List<String> to = new ArrayList<>();
                ids(child(record, path.field()), from::add);
                ids(child(record, path.linkedField()), to::add);
                for (String a : from) {
                    for (String b : to) {
                        found.add(new Link(new EntityRef(path.entity(), a), new EntityRef(path.linkedEntity(), b)));
                    }
                }
            }
        }
        return found;
    }

    /** The records at a path of records (the event itself for the empty path). */
    private static List<Object> records(Object event, String[] parent) {
        List<Object> found = new ArrayList<>();
        collect(event, parent, 0, found::add);
        return found;
    }

    private static void collect(Object node, String[] segments, int depth, Consumer<Object> sink) {
        if (node == null) {
            return;
        }
        if (depth == segments.length) {
            forEachElement(node, sink);
            return;
        }
        forEachElement(node, element -> collect(child(element, segments[depth]), segments, depth + 1, sink));
    }

    private static void walk(Object node, String[] segments, int depth, Consumer<String> ids) {
        if (depth == segments.length) {
            ids(node, ids);
            return;
        }
        forEachElement(node, element -> walk(child(element, segments[depth]), segments, depth + 1, ids));
    }

    /** The ids a value holds: itself, or each element of an array or map of ids. */
    private static void ids(Object value, Consumer<String> sink) {
        forEachElement(value, element -> {
            if (element instanceof JsonNode json && json.isObject()) {
                json.forEach(mapValue -> ids(mapValue, sink)); // a map of ids, in the JSON form
                return;
            }
            String id = scalar(element);
            if (id != null) {
                sink.accept(id);
            }
        });
    }

    /** Arrays and maps are transparent: their elements (values); anything else is itself; null is nothing. */
    private static void forEachElement(Object value, Consumer<Object> sink) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            collection.forEach(element -> forEachElement(element, sink));
        } else if (value instanceof Map<?, ?> map) {
            map.values().forEach(element -> forEachElement(element, sink));
        } else if (value instanceof JsonNode json) {
            if (json.isNull() || json.isMissingNode()) {
                return;
            }
            if (json.isArray()) {
                json.forEach(element -> forEachElement(element, sink));
            } else {
                sink.accept(json);
            }
        } else {
            sink.accept(value);
        }
    }

    /** A record's field; a JSON object without it is read as a map whose values are records. */
    private static Object child(Object node, String name) {
        if (node instanceof GenericRecord record) {
            return record.hasField(name) ? record.get(name) : null;
        }
        if (node instanceof JsonNode json && json.isObject()) {
            JsonNode field = json.get(name);
            if (field != null) {
                return field;
            }
            List<JsonNode> values = new ArrayList<>();
            for (Iterator<JsonNode> elements = json.elements(); elements.hasNext(); ) {
                JsonNode value = elements.next();
                if (value.isObject() && value.has(name)) {
                    values.add(value.get(name));
                }
            }
            return values.isEmpty() ? null : values;
        }
        return null;
    }

    private static String scalar(Object value) {
        if (value instanceof JsonNode json) {
            return json.isValueNode() && !json.isNull() ? json.asText() : null;
        }
        if (value instanceof CharSequence || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof GenericEnumSymbol<?> symbol) {
            return symbol.toString();
        }
        return null; // a record, bytes: not an id
    }
}
