package dev.sluice.lake;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.hashing.ReservoirKeys;
import dev.sluice.core.jobs.AccessBatch;
import dev.sluice.core.jobs.ErasureBatch;
import dev.sluice.core.jobs.ErasureJobArguments;
import dev.sluice.core.lake.DirtyHour;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.lake.LakeLayout;
import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.core.policy.ReservoirPolicy;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.registry.SchemaRegistryClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to be forgotten for a batch of erasure requests ({@link ErasureBatch}), in two modes.
 *
 * <p><b>Rewrite.</b> For every event type and hour of the requests' scopes, what the hour holds — tier zero's current
 * version united with landing's rows, as the dump merges them — is matched against the subjects with
 * {@link RowErasure}: a row naming a subject in a {@code drop_event} field is removed, one naming it in
 * {@code redact} fields keeps its other fields. In this order, so that a job killed at any step and run again ends the
 * same:
 * <ol>
 *   <li>the rows removed or changed, as they were, go to the legal-hold bucket
 *       ({@code <legal-hold>/<request>/tier-zero/<type>/}), once: a {@code _COMPLETE} object closes each copy, and a
 *       copy that has one is never written again (a second attempt finds fewer rows: the first may have moved the
 *       pointers already);</li>
 *   <li>each affected hour gets a new version without them, behind the atomic pointer; every older version is
 *       deleted (they hold the subject), an hour left without rows is removed;</li>
 *   <li>landing's rows of the matched events are deleted;</li>
 *   <li>a notice per hour of the scope ({@code erasure}, or {@code emptied}) goes to {@code lake.partitions}: the
 *       datapump recomputes the reservoirs from the new versions, the catalog follows.</li>
 * </ol>
 *
 * <p><b>Verify.</b> Tier zero's current versions, landing and every reservoir's current versions of the scopes'
 * hours are scanned for each subject's id as a whole text value, in clear and as each reservoir's keyed hash (every
 * key version up to the current one). A reservoir version written before the rewrite is reported as pending.
 *
 * <p>Arguments: {@link ErasureJobArguments}; the master key from the environment, as for the reservoir job.
 */
public final class ErasureJob {

    private static final Logger log = LoggerFactory.getLogger(ErasureJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String OUTCOME = "_erasure_outcome";
    static final String SUBJECTS = "_erasure_subjects";
    static final String FROM_LANDING = "_erasure_from_landing";
    static final String FILE = "_erasure_file";
    /** Closes a request's legal-hold copy of one event type: the copy is complete. */
    static final String COMPLETE = "_COMPLETE";

    public static void main(String[] args) {
        ErasureJobArguments arguments = ErasureJobArguments.parse(args);
        SparkSession.Builder builder = SparkSession.builder().appName("sluice-erasure")
                .config("spark.sql.session.timeZone", "UTC");
        if (arguments.master() != null) {
            builder.master(arguments.master()).config("spark.ui.enabled", "false");
        }
        SparkSession spark = builder.getOrCreate();
        if (!spark.conf().contains("spark.sql.shuffle.partitions")) {
            // a subject's rows are few: Spark's 200 shuffle partitions would be 200 tasks of nothing per join
            spark.conf().set("spark.sql.shuffle.partitions", String.valueOf(Math.max(2,
                    2 * spark.sparkContext().defaultParallelism())));
        }
        try {
            SchemaRegistryClient registry = SchemaRegistryClient.builder(arguments.registry()).build();
            new ErasureJob(spark, arguments, registry).run();
        } finally {
            spark.stop();
            LandingReader.closeSessions();
        }
    }

    private final SparkSession spark;
    private final ErasureJobArguments arguments;
    private final SchemaRegistryClient registry;
    private final LakeFiles exports;
    private final LakeFiles legalHold;
    private final LandingReader landing;

    ErasureJob(SparkSession spark, ErasureJobArguments arguments, SchemaRegistryClient registry) {
        this.spark = spark;
        this.arguments = arguments;
        this.registry = registry;
        this.exports = LakeFiles.of(arguments.exports(), spark.sparkContext().hadoopConfiguration());
        this.legalHold = LakeFiles.of(arguments.legalHold(), spark.sparkContext().hadoopConfiguration());
        this.landing = new LandingReader(arguments.cassandra(), arguments.datacenter(), arguments.keyspace());
    }

    ErasureBatch.Result run() {
        ErasureBatch batch = ErasureBatch.parse(exports.read(arguments.batchPath()).orElseThrow(() ->
                new IllegalStateException("no batch spec at " + arguments.batchPath())));
        ErasureBatch.Result result = batch.mode() == ErasureBatch.Mode.REWRITE ? rewrite(batch) : verify(batch);
        exports.write(arguments.resultPath(), AccessBatch.write(result));
        return result;
    }

    /** Per request, what it found and did; filled as the types are done. */
    private static final class Tally {
        final Set<String> rewritten = new TreeSet<>();
        final Set<String> emptied = new TreeSet<>();
        long removed;
        long redacted;
        long bytes;
        long landingDeleted;
        final Map<String, Long> counts = new TreeMap<>();
        final Set<String> checked = new TreeSet<>();
        final Set<String> pending = new TreeSet<>();
        final Map<String, Long> found = new TreeMap<>();
    }

    // ---------------------------------------------------------------- rewrite

    private ErasureBatch.Result rewrite(ErasureBatch batch) {
        Map<EntityRef, String> requestOf = new HashMap<>();
        Map<String, Set<Instant>> hours = new TreeMap<>();
        Map<String, Map<String, Set<Instant>>> scopes = new LinkedHashMap<>();
        Map<String, Tally> tallies = new LinkedHashMap<>();
        for (ErasureBatch.Request request : batch.requests()) {
            requestOf.put(request.subject(), request.id());
            Map<String, Set<Instant>> mine = ScopeHours.of(spark, arguments.tierZero(), request.partitions(),
                    request.scans());
            scopes.put(request.id(), mine);
            ScopeHours.addAll(hours, mine);
            tallies.put(request.id(), new Tally());
        }
        Set<EntityRef> subjects = Set.copyOf(requestOf.keySet());
        RowErasure.Forgotten forgotten = subjects::contains;
        List<PartitionNotice> notices = new ArrayList<>();
        hours.forEach((type, typeHours) -> notices.addAll(rewrite(type, new ArrayList<>(typeHours), forgotten, requestOf,
                tallies, batch.run())));
        TierZeroDumpJob.publish(arguments.kafka(), arguments.partitionsTopic(), notices);
        Map<String, ErasureBatch.RequestResult> results = new LinkedHashMap<>();
        for (ErasureBatch.Request request : batch.requests()) {
            Tally tally = tallies.get(request.id());
            List<String> held = new ArrayList<>();
            long heldRows = 0;
            String prefix = arguments.legalHold() + "/" + ErasureBatch.legalHoldPrefix(request.id());
            for (String file : legalHold.files(prefix)) {
                held.add(ErasureBatch.legalHoldPrefix(request.id()) + file);
                if (file.endsWith("/" + COMPLETE)) {
                    heldRows += readTree(legalHold.read(prefix + file).orElseThrow()).path("rows").asLong();
                }
            }
            legalHold.write(prefix + "manifest.json", manifest(request, batch.run(), held, heldRows));
            held.add(ErasureBatch.legalHoldPrefix(request.id()) + "manifest.json");
            results.put(request.id(), new ErasureBatch.RequestResult(new ArrayList<>(tally.rewritten),
                    new ArrayList<>(tally.emptied), tally.removed, tally.redacted, tally.bytes, held, heldRows,
                    tally.landingDeleted, null, null, null, null));
        }
        return new ErasureBatch.Result(batch.run(), results);
    }

    private List<PartitionNotice> rewrite(String type, List<Instant> hours, RowErasure.Forgotten forgotten,
            Map<EntityRef, String> requestOf, Map<String, Tally> tallies, String run) {
        long started = System.nanoTime();
        RowErasure erasure = RowErasure.of(AccessJob.versions(registry, type));
        VersionedPartitions partitions = new VersionedPartitions(spark, arguments.tierZero(), type);
        if (erasure.isEmpty()) {
            return List.of(); // no subject field in any version: nothing of the type names a person
        }
        Dataset<Row> decoded = EventDecoding.decode(landing.read(spark, type, hours),
                TierZeroDumpJob.writerSchemas(registry, type)).withColumn(FROM_LANDING, lit(true));
        Dataset<Row> merged = partitions.merge(decoded, hours);
        Dataset<Row> tagged = tag(merged, erasure, forgotten).persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Dataset<Row> affected = tagged.filter(col(OUTCOME).notEqual(RowErasure.Outcome.KEEP.name()));
            List<Row> matches = affected.select(col(LandingColumns.EVENT_TIME), col(LandingColumns.EVENT_ID),
                    col(OUTCOME), col(SUBJECTS), col(FROM_LANDING)).collectAsList();
            Set<Instant> affectedHours = new TreeSet<>();
            Map<Instant, Set<String>> requestsByHour = new HashMap<>();
            List<Row> fromLanding = new ArrayList<>();
            for (Row match : matches) {
                Instant hour = DirtyHour.hourOf(match.getTimestamp(0).toInstant());
                affectedHours.add(hour);
                for (String subject : match.<String>getList(3)) {
                    String request = requestOf.get(parse(subject));
                    if (request == null) {
                        continue;
                    }
                    requestsByHour.computeIfAbsent(hour, h -> new HashSet<>()).add(request);
                    Tally tally = tallies.get(request);
                    if (RowErasure.Outcome.DROP.name().equals(match.getString(2))) {
                        tally.removed++;
                    } else {
                        tally.redacted++;
                    }
                }
                if (!match.isNullAt(4) && match.getBoolean(4)) {
                    fromLanding.add(match);
                }
            }
            // 1. the legal-hold copy, before anything is changed
            for (Map.Entry<String, Tally> request : tallies.entrySet()) {
                hold(request.getKey(), type, affected, requestOf);
            }
            // 2. the new versions, every older one deleted; hours left empty removed
            List<PartitionNotice> notices = new ArrayList<>();
            List<Instant> rewrite = new ArrayList<>(affectedHours);
            Set<Instant> written = new HashSet<>();
            if (!rewrite.isEmpty()) {
                // only the affected hours' rows: the others are not rewritten (nor written as versions nobody names)
                Object[] starts = rewrite.stream().map(java.sql.Timestamp::from).toArray();
                Dataset<Row> kept = erase(tagged.filter(col(OUTCOME).notEqual(RowErasure.Outcome.DROP.name())
                        .and(org.apache.spark.sql.functions.date_trunc("hour", col(LandingColumns.EVENT_TIME))
                                .isin(starts))), erasure, forgotten).drop(OUTCOME, SUBJECTS, FROM_LANDING);
                for (VersionedPartitions.Written version : partitions.write(kept, rewrite, run, null, true)) {
                    written.add(version.hour());
                    notices.add(notice(type, version, PartitionNotice.Reason.ERASURE));
                    for (String request : requestsByHour.getOrDefault(version.hour(), Set.of())) {
                        tallies.get(request).rewritten.add(HourPartition.of(type, version.hour()).key());
                        tallies.get(request).bytes += version.bytes();
                    }
                }
                for (Instant hour : rewrite) {
                    if (!written.contains(hour)) {
                        partitions.empty(hour, run);
                        notices.add(emptied(type, hour));
                        requestsByHour.getOrDefault(hour, Set.of()).forEach(request ->
                                tallies.get(request).emptied.add(HourPartition.of(type, hour).key()));
                    }
                }
            }
            // the other hours of the scope: an earlier attempt may have rewritten them, and left old versions
            List<Instant> others = hours.stream().filter(hour -> !affectedHours.contains(hour)).toList();
            Set<Instant> present = new HashSet<>();
            for (VersionedPartitions.Written version : partitions.purgeOthers(others)) {
                present.add(version.hour());
                notices.add(notice(type, version, PartitionNotice.Reason.ERASURE));
            }
            others.stream().filter(hour -> !present.contains(hour)).forEach(hour -> notices.add(emptied(type, hour)));
            // 3. landing's copies of the matched events
            deleteLanding(type, fromLanding, requestOf, tallies);
            log.info("{}: {} hours in scope, {} rewritten, {} emptied, {} rows matched, in {} ms", type, hours.size(),
                    written.size(), rewrite.size() - written.size(), matches.size(),
                    (System.nanoTime() - started) / 1_000_000);
            return notices;
        } finally {
            tagged.unpersist();
        }
    }

    /** The rows of one request's subject, as they were, to the legal-hold bucket, unless an attempt did it already. */
    private void hold(String request, String type, Dataset<Row> affected, Map<EntityRef, String> requestOf) {
        String directory = arguments.legalHold() + "/" + ErasureBatch.legalHoldPrefix(request) + "tier-zero/" + type;
        if (legalHold.read(directory + "/" + COMPLETE).isPresent()) {
            return;
        }
        List<String> subjects = requestOf.entrySet().stream().filter(e -> e.getValue().equals(request))
                .map(e -> e.getKey().toString()).toList();
        Dataset<Row> mine = affected.filter(array_contains(col(SUBJECTS), subjects.get(0)))
                .drop(OUTCOME, SUBJECTS, FROM_LANDING);
        long rows = mine.count();
        if (rows == 0) {
            return;
        }
        spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        mine.coalesce(1).write().mode(SaveMode.Overwrite).parquet(directory);
        legalHold.delete(directory + "/_SUCCESS");
        ObjectNode complete = JSON.createObjectNode().put("event_type", type).put("rows", rows)
                .put("written_at", Instant.now().toString());
        legalHold.write(directory + "/" + COMPLETE, complete.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void deleteLanding(String type, List<Row> fromLanding, Map<EntityRef, String> requestOf,
            Map<String, Tally> tallies) {
        if (fromLanding.isEmpty()) {
            return;
        }
        CqlSession session = landing.session();
        PreparedStatement delete = session.prepare("DELETE FROM " + arguments.keyspace()
                + ".landing WHERE event_type = ? AND hour = ? AND event_id = ?");
        BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.UNLOGGED);
        for (Row row : fromLanding) {
            Instant hour = DirtyHour.hourOf(row.getTimestamp(0).toInstant());
            batch = batch.add(delete.bind(type, hour, row.getString(1)));
            if (batch.size() >= 50) {
                session.execute(batch);
                batch = BatchStatement.newInstance(DefaultBatchType.UNLOGGED);
            }
            for (String subject : row.<String>getList(3)) {
                String request = requestOf.get(parse(subject));
                if (request != null) {
                    tallies.get(request).landingDeleted++;
                }
            }
        }
        if (batch.size() > 0) {
            session.execute(batch);
        }
    }

    // ---------------------------------------------------------------- verify

    private ErasureBatch.Result verify(ErasureBatch batch) {
        ReservoirKeys keys = ReservoirKeys.fromEnvironment(System.getenv());
        Map<String, ReservoirPolicy> policies = ReservoirPublishJob.policies(arguments.kafka(), arguments.changesTopic());
        List<String> reservoirs = LakeFiles.of(arguments.tierOne(), spark.sparkContext().hadoopConfiguration())
                .directories(arguments.tierOne());
        Map<String, Set<Instant>> hours = new TreeMap<>();
        // per request: the texts that betray it, each with the store-count key it adds to
        Map<String, Map<String, String>> clear = new LinkedHashMap<>();
        Map<String, Map<String, Map<String, String>>> hashed = new LinkedHashMap<>();
        Map<String, Tally> tallies = new LinkedHashMap<>();
        for (ErasureBatch.Request request : batch.requests()) {
            ScopeHours.addAll(hours, ScopeHours.of(spark, arguments.tierZero(), request.partitions(), request.scans()));
            clear.put(request.id(), Map.of(request.subject().id(), "clear"));
            Map<String, Map<String, String>> perReservoir = new HashMap<>();
            for (String reservoir : reservoirs) {
                ReservoirPolicy policy = policies.get(reservoir);
                int current = policy == null ? 1 : policy.keyVersion();
                Map<String, String> forms = new HashMap<>();
                for (int version = 1; version <= current; version++) {
                    forms.put(keys.hasher(reservoir, version).hash(request.subject().id()), "hashed");
                }
                perReservoir.put(reservoir, forms);
            }
            hashed.put(request.id(), perReservoir);
            Tally tally = new Tally();
            tally.counts.put("tier-zero", 0L);
            tally.counts.put("landing", 0L);
            reservoirs.forEach(r -> {
                tally.counts.put("reservoir:" + r + ":clear", 0L);
                tally.counts.put("reservoir:" + r + ":hashed", 0L);
            });
            tallies.put(request.id(), tally);
        }
        hours.forEach((type, typeHours) -> {
            List<Instant> list = new ArrayList<>(typeHours);
            VersionedPartitions tierZero = new VersionedPartitions(spark, arguments.tierZero(), type);
            Map<Instant, String> current = tierZero.currentVersions(list);
            current.keySet().forEach(hour -> tallies.values().forEach(t -> t.checked.add("zero/" + HourPartition.of(type,
                    hour).key())));
            count(read(current.values()), clear, "tier-zero", tallies);
            count(EventDecoding.decode(landing.read(spark, type, list), TierZeroDumpJob.writerSchemas(registry, type)),
                    clear, "landing", tallies);
            for (String reservoir : reservoirs) {
                VersionedPartitions partitions = new VersionedPartitions(spark,
                        LakeLayout.reservoirRoot(arguments.tierOne(), reservoir), type);
                Map<Instant, String> versions = partitions.currentVersions(list);
                List<String> recomputed = new ArrayList<>();
                versions.forEach((hour, directory) -> {
                    String key = "one/" + reservoir + "/" + HourPartition.of(type, hour).key();
                    // recomputed from tier zero's current (erased) version, or still from an earlier one: pending,
                    // not scanned (it holds what the recompute will remove)
                    String zero = current.get(hour);
                    boolean fresh = zero != null && partitions.source(directory)
                            .filter(source -> source.equals(zero.substring(zero.lastIndexOf('/') + 1))).isPresent();
                    if (fresh) {
                        recomputed.add(directory);
                    }
                    tallies.values().forEach(tally -> (fresh ? tally.checked : tally.pending).add(key));
                });
                Dataset<Row> rows = read(recomputed);
                count(rows, clear, "reservoir:" + reservoir + ":clear", tallies);
                Map<String, Map<String, String>> forms = new LinkedHashMap<>();
                hashed.forEach((id, perReservoir) -> forms.put(id, perReservoir.get(reservoir)));
                count(rows, forms, "reservoir:" + reservoir + ":hashed", tallies);
            }
        });
        Map<String, ErasureBatch.RequestResult> results = new LinkedHashMap<>();
        tallies.forEach((id, tally) -> {
            List<String> found = new ArrayList<>();
            tally.found.forEach((where, rows) -> found.add(where + ": " + rows + " rows"));
            if (!found.isEmpty()) {
                log.warn("request {}: the subject is still in {}", id, found);
            }
            results.put(id, new ErasureBatch.RequestResult(null, null, 0, 0, 0, null, 0, 0,
                    new ArrayList<>(tally.checked), tally.counts, new ArrayList<>(tally.pending), found));
        });
        return new ErasureBatch.Result(batch.run(), results);
    }

    private Dataset<Row> read(java.util.Collection<String> versions) {
        return versions.isEmpty() ? null
                : spark.read().option("mergeSchema", "true").parquet(versions.toArray(String[]::new));
    }

    /** Adds to each request's count under {@code store} the rows holding one of its texts as a whole value. */
    private static void count(Dataset<Row> rows, Map<String, Map<String, String>> texts, String store,
            Map<String, Tally> tallies) {
        if (rows == null) {
            return;
        }
        Map<String, Set<String>> wanted = new LinkedHashMap<>();
        texts.forEach((id, forms) -> wanted.put(id, new HashSet<>(forms.keySet())));
        Dataset<Row> located = rows.withColumn(FILE, org.apache.spark.sql.functions.input_file_name());
        MapPartitionsFunction<Row, String> scan = partition -> {
            List<String> hits = new ArrayList<>();
            while (partition.hasNext()) {
                Row row = partition.next();
                Set<String> found = RowErasure.texts(row);
                wanted.forEach((id, forms) -> {
                    if (forms.stream().anyMatch(found::contains)) {
                        hits.add(id + "\t" + row.getAs(FILE));
                    }
                });
            }
            return hits.iterator();
        };
        for (String hit : located.mapPartitions(scan, Encoders.STRING()).collectAsList()) {
            String id = hit.substring(0, hit.indexOf('\t'));
            String file = hit.substring(hit.indexOf('\t') + 1);
            tallies.get(id).counts.merge(store, 1L, Long::sum);
            String partition = file.replaceAll("^.*/events/", "").replaceAll("/[^/]*$", "");
            tallies.get(id).found.merge(store + " " + partition, 1L, Long::sum);
        }
    }

    // ---------------------------------------------------------------- shared with the dump

    /** The rows with two more columns: the outcome of each, and the erased entities it names. */
    static Dataset<Row> tag(Dataset<Row> rows, RowErasure erasure, RowErasure.Forgotten forgotten) {
        StructType schema = RowErasure.nullable(rows.schema()).add(OUTCOME, DataTypes.StringType)
                .add(SUBJECTS, DataTypes.createArrayType(DataTypes.StringType));
        MapPartitionsFunction<Row, Row> tagger = partition -> new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return partition.hasNext();
            }

            @Override
            public Row next() {
                Row row = partition.next();
                RowErasure.Match match = erasure.match(row, forgotten);
                Object[] values = new Object[row.length() + 2];
                for (int i = 0; i < row.length(); i++) {
                    values[i] = row.get(i);
                }
                values[row.length()] = match.outcome().name();
                values[row.length() + 1] = scala.jdk.javaapi.CollectionConverters.asScala(
                        match.subjects().stream().map(EntityRef::toString).toList()).toSeq();
                return new GenericRowWithSchema(values, schema);
            }
        };
        return rows.mapPartitions(tagger, Encoders.row(schema));
    }

    /** The rows without what the forgotten entities' drop fields remove, their redact fields set to null. */
    static Dataset<Row> erase(Dataset<Row> rows, RowErasure erasure, RowErasure.Forgotten forgotten) {
        MapPartitionsFunction<Row, Row> eraser = partition -> {
            List<Row> out = new ArrayList<>();
            while (partition.hasNext()) {
                Row row = partition.next();
                RowErasure.Outcome outcome = erasure.match(row, forgotten).outcome();
                if (outcome == RowErasure.Outcome.REDACT) {
                    out.add(erasure.redact(row, forgotten));
                } else if (outcome == RowErasure.Outcome.KEEP) {
                    out.add(row);
                }
            }
            return out.iterator();
        };
        return rows.mapPartitions(eraser, Encoders.row(RowErasure.nullable(rows.schema())));
    }

    private static EntityRef parse(String text) {
        int colon = text.indexOf(':');
        return new EntityRef(text.substring(0, colon), text.substring(colon + 1));
    }

    private static PartitionNotice notice(String type, VersionedPartitions.Written version, PartitionNotice.Reason reason) {
        var utc = version.hour().atOffset(ZoneOffset.UTC);
        return new PartitionNotice(PartitionNotice.TIER_ZERO, null, type, utc.toLocalDate(), utc.getHour(),
                version.files(), version.rows(), reason);
    }

    private static PartitionNotice emptied(String type, Instant hour) {
        var utc = hour.atOffset(ZoneOffset.UTC);
        return new PartitionNotice(PartitionNotice.TIER_ZERO, null, type, utc.toLocalDate(), utc.getHour(), List.of(), 0,
                PartitionNotice.Reason.EMPTIED);
    }

    private static byte[] manifest(ErasureBatch.Request request, String run, List<String> objects, long rows) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("request_id", request.id());
        manifest.putObject("subject").put("entity_type", request.subject().type()).put("id", request.subject().id());
        manifest.put("what", "the tier-zero rows this erasure removed or changed, as they were before it, as Parquet "
                + "per event type (tier-zero/<type>/); kept apart from the lake for law enforcement");
        manifest.put("rows", rows);
        objects.forEach(manifest.putArray("objects")::add);
        manifest.put("run", run);
        manifest.put("written_at", Instant.now().toString());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
