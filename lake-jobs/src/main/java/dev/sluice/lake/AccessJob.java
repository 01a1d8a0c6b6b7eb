package dev.sluice.lake;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.jobs.AccessBatch;
import dev.sluice.core.jobs.AccessJobArguments;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.privacy.EntityPaths;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.privacy.PrivacyField;
import dev.sluice.core.privacy.PrivacySchema;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.avro.Schema;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The right of access for a batch of requests: reads each tier-zero partition that any request needs once (the
 * current version behind its pointer), keeps the rows that mention one of a request's entities — the subject and
 * the entities linked to it, matched on every entity-annotated field of every schema version of the type with
 * platform-core's {@link EntityPaths}, the walker the reverse index is built with — and routes each to the requests
 * that need it. Each request gets one zip in the exports bucket ({@link AccessBatch#exportKey}):
 * <ul>
 *   <li>{@code events/<type>.jsonl}: the subject's events, every field of the event (not the platform's
 *       {@code _sluice_*} bookkeeping), times in ISO-8601 UTC;</li>
 *   <li>{@code fields/<type>.json}: every field with its type, its {@code doc} and its privacy annotations;</li>
 *   <li>{@code manifest.json}: the request, the subject, the linked entities used, event types and counts, the
 *       partitions read, the categories of data (tags), each store's retention, the generation time;</li>
 *   <li>{@code index.html}: the same for a person without tools, with the events as tables.</li>
 * </ul>
 * The batch's spec and this run's result are JSON beside the exports ({@link AccessJobArguments}). An export is
 * assembled in the driver: one person's events are small next to the partitions they are read from.
 */
public final class AccessJob {

    private static final Logger log = LoggerFactory.getLogger(AccessJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) {
        AccessJobArguments arguments = AccessJobArguments.parse(args);
        SparkSession.Builder builder = SparkSession.builder().appName("sluice-access")
                .config("spark.sql.session.timeZone", "UTC");
        if (arguments.master() != null) {
            builder.master(arguments.master()).config("spark.ui.enabled", "false");
        }
        SparkSession spark = builder.getOrCreate();
        try {
            SchemaRegistryClient registry = SchemaRegistryClient.builder(arguments.registry()).build();
            new AccessJob(spark, arguments, registry).run();
        } finally {
            spark.stop();
        }
    }

    private final SparkSession spark;
    private final AccessJobArguments arguments;
    private final SchemaRegistryClient registry;
    private final LakeFiles exports;

    AccessJob(SparkSession spark, AccessJobArguments arguments, SchemaRegistryClient registry) {
        this.spark = spark;
        this.arguments = arguments;
        this.registry = registry;
        this.exports = LakeFiles.of(arguments.exports(), spark.sparkContext().hadoopConfiguration());
    }

    /** Reads the batch, writes every request's zip, then the run's result. */
    AccessBatch.Result run() {
        AccessBatch batch = AccessBatch.parse(exports.read(arguments.batchPath()).orElseThrow(() ->
                new IllegalStateException("no batch spec at " + arguments.batchPath())));
        Instant generated = Instant.now();
        // per type, the hours of every request (the index's, then the scans'), and which request uses which
        Map<String, Set<Instant>> needed = new TreeMap<>();
        Map<String, Map<String, Set<Instant>>> used = new LinkedHashMap<>();
        for (AccessBatch.Request request : batch.requests()) {
            Map<String, Set<Instant>> mine = ScopeHours.of(spark, arguments.tierZero(), request.partitions(),
                    request.scans());
            used.put(request.id(), mine);
            ScopeHours.addAll(needed, mine);
        }
        Set<String> read = new LinkedHashSet<>(); // every partition read, once
        Set<String> emptied = new HashSet<>(); // hours an erasure emptied: nothing to read, nothing missing
        Map<String, Map<String, List<String>>> rows = new LinkedHashMap<>(); // request -> type -> JSON lines
        Map<String, List<PrivacySchema>> schemas = new LinkedHashMap<>();
        needed.forEach((type, hours) -> {
            List<PrivacySchema> versions = versions(registry, type);
            schemas.put(type, versions);
            Map<Instant, String> current = new VersionedPartitions(spark, arguments.tierZero(), type)
                    .currentVersions(new ArrayList<>(hours));
            current.keySet().forEach(hour -> read.add(HourPartition.of(type, hour).key()));
            List<Instant> absent = hours.stream().filter(hour -> !current.containsKey(hour)).toList();
            new VersionedPartitions(spark, arguments.tierZero(), type).emptied(absent)
                    .forEach(hour -> emptied.add(HourPartition.of(type, hour).key()));
            if (current.isEmpty()) {
                return;
            }
            Map<String, Set<EntityRef>> wanted = new LinkedHashMap<>();
            for (AccessBatch.Request request : batch.requests()) {
                if (used.get(request.id()).containsKey(type)) {
                    wanted.put(request.id(), new HashSet<>(request.entities()));
                }
            }
            long started = System.nanoTime();
            for (Tuple2<String, String> routed : route(type, versions, current.values(), wanted)) {
                rows.computeIfAbsent(routed._1(), id -> new LinkedHashMap<>())
                        .computeIfAbsent(type, t -> new ArrayList<>()).add(routed._2());
            }
            log.info("{}: {} partitions read for {} requests in {} ms", type, current.size(), wanted.size(),
                    (System.nanoTime() - started) / 1_000_000);
        });
        Map<String, AccessBatch.RequestResult> results = new LinkedHashMap<>();
        for (AccessBatch.Request request : batch.requests()) {
            Map<String, List<String>> mine = rows.getOrDefault(request.id(), Map.of());
            List<String> sources = new ArrayList<>();
            List<String> missing = new ArrayList<>();
            used.get(request.id()).forEach((type, hours) -> hours.forEach(hour -> {
                String key = HourPartition.of(type, hour).key();
                if (!emptied.contains(key)) {
                    (read.contains(key) ? sources : missing).add(key);
                }
            }));
            byte[] zip = zip(batch, request, mine, schemas, sources, generated);
            String key = AccessBatch.exportKey(request.id());
            exports.write(arguments.exports() + "/" + key, zip);
            Map<String, Long> counts = new TreeMap<>();
            mine.forEach((type, lines) -> counts.put(type, (long) lines.size()));
            results.put(request.id(), new AccessBatch.RequestResult(counts, sources, missing, key, zip.length));
            log.info("request {}: {} events of {} types from {} partitions, {} bytes", request.id(),
                    counts.values().stream().mapToLong(Long::longValue).sum(), counts.size(), sources.size(), zip.length);
        }
        AccessBatch.Result result = new AccessBatch.Result(batch.run(), new ArrayList<>(read), results);
        exports.write(arguments.resultPath(), AccessBatch.write(result));
        return result;
    }

    /** Every registered version of the type's schema, with its privacy view. */
    static List<PrivacySchema> versions(SchemaRegistryClient registry, String type) {
        String subject = Topics.eventSubject(type);
        List<PrivacySchema> versions = new ArrayList<>();
        for (int version : registry.versions(subject)) {
            versions.add(PrivacySchema.of(registry.version(subject, version).schema()));
        }
        return versions;
    }

    /**
     * The partitions' rows that mention a request's entities, as (request id, the row's JSON without the platform's
     * columns). Each row is read once and goes to every request it concerns.
     */
    private List<Tuple2<String, String>> route(String type, List<PrivacySchema> versions, Collection<String> partitions,
            Map<String, Set<EntityRef>> wanted) {
        List<String> schemaTexts = versions.stream().map(v -> v.schema().toString()).toList();
        Map<String, Set<EntityRef>> requests = new LinkedHashMap<>(wanted);
        Dataset<Row> data = spark.read().option("mergeSchema", "true").parquet(partitions.toArray(String[]::new));
        Dataset<String> json = data.toJSON();
        FlatMapFunction<java.util.Iterator<String>, Tuple2<String, String>> router = lines -> {
            List<PrivacySchema> parsed = new ArrayList<>();
            for (String text : schemaTexts) {
                parsed.add(PrivacySchema.of(new Schema.Parser().parse(text)));
            }
            EntityPaths paths = EntityPaths.of(parsed);
            ObjectMapper mapper = new ObjectMapper();
            List<Tuple2<String, String>> out = new ArrayList<>();
            while (lines.hasNext()) {
                ObjectNode row = (ObjectNode) mapper.readTree(lines.next());
                List<String> matched = new ArrayList<>();
                requests.forEach((id, entities) -> {
                    if (paths.mentionsAny(row, entities)) {
                        matched.add(id);
                    }
                });
                if (!matched.isEmpty()) {
                    List<String> internal = new ArrayList<>();
                    row.fieldNames().forEachRemaining(name -> {
                        if (name.startsWith("_sluice_")) {
                            internal.add(name);
                        }
                    });
                    row.remove(internal);
                    String text = mapper.writeValueAsString(row);
                    matched.forEach(id -> out.add(new Tuple2<>(id, text)));
                }
            }
            return out.iterator();
        };
        return json.mapPartitions(router::call, Encoders.tuple(Encoders.STRING(), Encoders.STRING())).collectAsList();
    }

    private byte[] zip(AccessBatch batch, AccessBatch.Request request, Map<String, List<String>> rows,
            Map<String, List<PrivacySchema>> schemas, List<String> sources, Instant generated) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            Map<String, ArrayNode> fields = new TreeMap<>();
            Set<String> categories = new TreeSet<>();
            for (Map.Entry<String, List<String>> type : new TreeMap<>(rows).entrySet()) {
                entry(zip, "events/" + type.getKey() + ".jsonl", String.join("\n", type.getValue()) + "\n");
                ArrayNode described = describe(schemas.getOrDefault(type.getKey(), List.of()), categories);
                fields.put(type.getKey(), described);
                entry(zip, "fields/" + type.getKey() + ".json", JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsString(described));
            }
            ObjectNode manifest = manifest(batch, request, rows, sources, categories, generated);
            entry(zip, "manifest.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
            entry(zip, "index.html", AccessExportPage.html(manifest, rows, fields));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static ObjectNode manifest(AccessBatch batch, AccessBatch.Request request, Map<String, List<String>> rows,
            List<String> sources, Set<String> categories, Instant generated) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("request_id", request.id());
        if (request.reference() != null) {
            manifest.put("reference", request.reference());
        }
        manifest.put("received", request.received());
        manifest.set("subject", entity(request.subject()));
        ArrayNode linked = manifest.putArray("linked_entities");
        request.entities().stream().filter(e -> !e.equals(request.subject())).forEach(e -> linked.add(entity(e)));
        ObjectNode types = manifest.putObject("event_types");
        new TreeMap<>(rows).forEach((type, lines) -> types.put(type, lines.size()));
        manifest.put("events", rows.values().stream().mapToInt(List::size).sum());
        ArrayNode partitions = manifest.putArray("sources");
        sources.forEach(source -> partitions.add("tier zero " + source));
        ArrayNode scans = manifest.putArray("scans");
        request.scans().forEach(scan -> scans.addObject().put("event_type", scan.eventType()).put("from", scan.from())
                .put("to", scan.to()).put("why", scan.why()));
        ArrayNode tags = manifest.putArray("categories");
        categories.forEach(tags::add);
        ObjectNode retention = manifest.putObject("retention");
        new TreeMap<>(batch.retention()).forEach(retention::put);
        manifest.put("generated_at", generated.toString());
        manifest.put("run", batch.run());
        return manifest;
    }

    private static ObjectNode entity(EntityRef entity) {
        ObjectNode node = JSON.createObjectNode();
        node.put("entity_type", entity.type());
        node.put("id", entity.id());
        return node;
    }

    /** Every field of every version (the latest's description first), with its doc and annotations. */
    private static ArrayNode describe(List<PrivacySchema> versions, Set<String> categories) {
        Map<String, ObjectNode> described = new LinkedHashMap<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Schema schema = versions.get(i).schema();
            for (PrivacyField field : versions.get(i).fields().values()) {
                if (described.containsKey(field.path())) {
                    continue;
                }
                ObjectNode node = JSON.createObjectNode();
                node.put("field", field.path());
                Schema.Field avro = avroField(schema, field.path());
                if (avro != null) {
                    node.put("type", typeName(avro.schema()));
                    if (avro.doc() != null) {
                        node.put("description", avro.doc());
                    }
                }
                if (field.entity() != null) {
                    node.put("identifies", field.entity());
                }
                if (field.linkedTo() != null) {
                    node.put("linked_to", field.linkedTo());
                }
                ArrayNode tags = node.putArray("tags");
                field.tags().stream().sorted().forEach(tags::add);
                categories.addAll(field.tags());
                node.put("personal_data", field.personal());
                described.put(field.path(), node);
            }
        }
        ArrayNode fields = JSON.createArrayNode();
        described.values().forEach(fields::add);
        return fields;
    }

    private static Schema.Field avroField(Schema schema, String path) {
        Schema record = schema;
        Schema.Field field = null;
        for (String name : path.split("\\.")) {
            record = recordIn(record);
            if (record == null || record.getField(name) == null) {
                return null;
            }
            field = record.getField(name);
            record = field.schema();
        }
        return field;
    }

    private static Schema recordIn(Schema schema) {
        switch (schema.getType()) {
            case RECORD:
                return schema;
            case ARRAY:
                return recordIn(schema.getElementType());
            case MAP:
                return recordIn(schema.getValueType());
            case UNION:
                for (Schema branch : schema.getTypes()) {
                    Schema found = recordIn(branch);
                    if (found != null) {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static String typeName(Schema schema) {
        if (schema.getLogicalType() != null) {
            return schema.getLogicalType().getName();
        }
        switch (schema.getType()) {
            case UNION: {
                List<String> branches = new ArrayList<>();
                schema.getTypes().forEach(branch -> branches.add(typeName(branch)));
                return String.join(" or ", branches);
            }
            case ARRAY:
                return "list of " + typeName(schema.getElementType());
            case MAP:
                return "map of " + typeName(schema.getValueType());
            case RECORD:
            case ENUM:
            case FIXED:
                return schema.getName();
            default:
                return schema.getType().getName();
        }
    }

    private static void entry(ZipOutputStream zip, String name, String content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
    }
}
