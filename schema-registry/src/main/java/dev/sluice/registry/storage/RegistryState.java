package dev.sluice.registry.storage;

import dev.sluice.registry.compatibility.CompatibilityLevel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The registry's state, rebuilt by applying the compacted topic's records in order. Every change goes through
 * the topic: request threads read this state, only the log reader applies records to it. The static factories
 * make the records the registry writes, so the format is defined in one place.
 */
public final class RegistryState {

    private static final Logger log = LoggerFactory.getLogger(RegistryState.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<Integer, StoredSchema> schemas = new HashMap<>();
    private final Map<String, Integer> idsByCanonical = new HashMap<>();
    /** How many live subject versions reference each id, so that a permanently deleted schema disappears. */
    private final Map<Integer, Integer> references = new HashMap<>();
    private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
    private final Map<String, CompatibilityLevel> subjectConfigs = new HashMap<>();
    private CompatibilityLevel globalConfig;
    private Mode mode = Mode.READWRITE;
    private int idWatermark;

    // ---- the records the registry writes

    public static LogRecord schemaRecord(String subject, int version, int id, String schemaText, boolean deleted) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version);
        ObjectNode value = JSON.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", schemaText).put("deleted", deleted);
        return new LogRecord(key.toString(), value.toString());
    }

    public static LogRecord schemaTombstone(String subject, int version) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "SCHEMA").put("subject", subject).put("version", version);
        return new LogRecord(key.toString(), null);
    }

    /** The highest id ever assigned; kept in its own record so a permanent delete never lets an id be reused. */
    public static LogRecord idWatermarkRecord(int id) {
        return new LogRecord(JSON.createObjectNode().put("keytype", "ID_WATERMARK").toString(),
                JSON.createObjectNode().put("id", id).toString());
    }

    /** @param subject null for the global config; @param level null to remove the config */
    public static LogRecord configRecord(String subject, CompatibilityLevel level) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG").put("subject", subject);
        return new LogRecord(key.toString(),
                level == null ? null : JSON.createObjectNode().put("compatibilityLevel", level.name()).toString());
    }

    public static LogRecord modeRecord(Mode mode) {
        return new LogRecord(JSON.createObjectNode().put("keytype", "MODE").toString(),
                JSON.createObjectNode().put("mode", mode.name()).toString());
    }

    // ---- applying records (log reader thread)

    /** Applies one record of the topic; a record it cannot read is logged and skipped, never fatal. */
    public synchronized void apply(String key, String value) {
        try {
            JsonNode keyNode = JSON.readTree(key);
            JsonNode valueNode = value == null ? null : JSON.readTree(value);
            switch (keyNode.path("keytype").asString("")) {
                case "SCHEMA" -> applySchema(keyNode.path("subject").asString(), keyNode.path("version").asInt(), valueNode);
                case "CONFIG" -> applyConfig(keyNode.path("subject").isNull() || keyNode.path("subject").isMissingNode()
                        ? null : keyNode.path("subject").asString(), valueNode);
                case "MODE" -> mode = valueNode == null ? Mode.READWRITE
                        : Mode.parse(valueNode.path("mode").asString()).orElse(Mode.READWRITE);
                case "ID_WATERMARK" -> idWatermark = Math.max(idWatermark, valueNode == null ? 0 : valueNode.path("id").asInt());
                default -> log.warn("skipping a registry log record with an unknown key: {}", key);
            }
        } catch (JacksonException | SchemaParseException e) {
            log.warn("skipping a registry log record that cannot be read (key {}): {}", key, e.getMessage());
        }
    }

    private void applySchema(String subject, int version, JsonNode value) {
        TreeMap<Integer, SchemaVersion> versions = subjects.computeIfAbsent(subject, s -> new TreeMap<>());
        SchemaVersion previous = value == null ? versions.remove(version) : null;
        if (value == null) {
            if (previous != null) {
                release(previous.id());
            }
            if (versions.isEmpty()) {
                subjects.remove(subject);
            }
            return;
        }
        int id = value.path("id").asInt();
        if (!schemas.containsKey(id)) {
            String text = value.path("schema").asString();
            Schema parsed = parse(text);
            String canonical = parsed.toString();
            schemas.put(id, new StoredSchema(id, text, canonical, parsed));
            idsByCanonical.putIfAbsent(canonical, id);
        }
        SchemaVersion replaced = versions.put(version, new SchemaVersion(subject, version, id, value.path("deleted").asBoolean()));
        if (replaced == null) {
            references.merge(id, 1, Integer::sum);
        } else if (replaced.id() != id) {
            references.merge(id, 1, Integer::sum);
            release(replaced.id());
        }
        idWatermark = Math.max(idWatermark, id);
    }

    private void release(int id) {
        if (references.merge(id, -1, Integer::sum) <= 0) {
            references.remove(id);
            StoredSchema gone = schemas.remove(id);
            if (gone != null) {
                idsByCanonical.remove(gone.canonical(), id);
            }
        }
    }

    private void applyConfig(String subject, JsonNode value) {
        CompatibilityLevel level = value == null ? null
                : CompatibilityLevel.parse(value.path("compatibilityLevel").asString()).orElse(null);
        if (subject == null) {
            globalConfig = level;
        } else if (level == null) {
            subjectConfigs.remove(subject);
        } else {
            subjectConfigs.put(subject, level);
        }
    }

    /** Parses a schema as the registry stores it: Avro's parser, default values validated. */
    public static Schema parse(String text) {
        return new Schema.Parser().setValidateDefaults(true).parse(text);
    }

    // ---- reads (request threads)

    public synchronized Optional<StoredSchema> schema(int id) {
        return Optional.ofNullable(schemas.get(id));
    }

    public synchronized Optional<Integer> idOf(String canonical) {
        return Optional.ofNullable(idsByCanonical.get(canonical));
    }

    /** Every version of the subject, oldest first; soft-deleted ones only if asked. Empty if none. */
    public synchronized List<SchemaVersion> versions(String subject, boolean includeDeleted) {
        TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream().filter(v -> includeDeleted || !v.deleted()).toList();
    }

    public synchronized List<String> subjects(boolean includeDeleted) {
        List<String> names = new ArrayList<>();
        subjects.forEach((name, versions) -> {
            if (includeDeleted || versions.values().stream().anyMatch(v -> !v.deleted())) {
                names.add(name);
            }
        });
        return names;
    }

    /** Every subject version that holds the schema with this id. */
    public synchronized List<SchemaVersion> usesOf(int id, boolean includeDeleted) {
        List<SchemaVersion> uses = new ArrayList<>();
        subjects.values().forEach(versions -> versions.values().stream()
                .filter(v -> v.id() == id && (includeDeleted || !v.deleted())).forEach(uses::add));
        uses.sort(Comparator.comparing(SchemaVersion::subject).thenComparing(SchemaVersion::version));
        return uses;
    }

    public synchronized int highestVersion(String subject) {
        TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
    }

    public synchronized int highestId() {
        return Math.max(idWatermark, schemas.keySet().stream().mapToInt(Integer::intValue).max().orElse(0));
    }

    public synchronized Optional<CompatibilityLevel> subjectConfig(String subject) {
        return Optional.ofNullable(subjectConfigs.get(subject));
    }

    public synchronized Optional<CompatibilityLevel> globalConfig() {
        return Optional.ofNullable(globalConfig);
    }

    public synchronized Mode mode() {
        return mode;
    }
}
