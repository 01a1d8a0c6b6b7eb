package dev.sluice.lake;

import static org.apache.spark.sql.functions.udf;

import dev.sluice.core.hashing.KeyedHash;
import dev.sluice.core.hashing.ReservoirKeys;
import dev.sluice.core.jobs.ReservoirJobArguments;
import dev.sluice.core.jobs.ReservoirTask;
import dev.sluice.core.lake.LakeLayout;
import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.core.policy.EffectiveColumns;
import dev.sluice.core.policy.PolicyEngine;
import dev.sluice.core.policy.ReservoirPolicy;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.avro.SchemaConverters;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reservoirs of tier one: each task recomputes a reservoir's partitions of an event type from tier zero's current
 * versions, anonymized by the reservoir's policy (platform-core's {@link PolicyEngine}, the code the governance
 * service explains policies with), or deletes what a reservoir no longer keeps. A reservoir partition is a pure
 * function of the tier-zero partition and the policy: it is rewritten whole, as a new version behind the same
 * atomic pointer as tier zero ({@link VersionedPartitions}), never merged.
 *
 * <p>The policies are the latest of each reservoir on the compacted {@code governance.changes}, read here; the
 * reservoir keys are derived from the master key in this JVM's environment ({@code SLUICE_MASTER_KEY} or
 * {@code SLUICE_MASTER_KEY_FILE}) and go nowhere but into the hashing function's closure. Arguments:
 * {@link ReservoirJobArguments}.
 */
public final class ReservoirPublishJob {

    private static final Logger log = LoggerFactory.getLogger(ReservoirPublishJob.class);

    public static void main(String[] args) {
        ReservoirJobArguments arguments = ReservoirJobArguments.parse(args);
        SparkSession.Builder builder = SparkSession.builder().appName("sluice-reservoir-publish")
                .config("spark.sql.session.timeZone", "UTC");
        if (arguments.master() != null) {
            builder.master(arguments.master()).config("spark.ui.enabled", "false");
        }
        SparkSession spark = builder.getOrCreate();
        try {
            ReservoirKeys keys = ReservoirKeys.fromEnvironment(System.getenv());
            Map<String, ReservoirPolicy> policies = policies(arguments.kafka(), arguments.changesTopic());
            SchemaRegistryClient registry = SchemaRegistryClient.builder(arguments.registry()).build();
            List<PartitionNotice> notices = new ReservoirPublishJob(spark, arguments, keys, registry).run(policies);
            TierZeroDumpJob.publish(arguments.kafka(), arguments.partitionsTopic(), notices);
        } finally {
            spark.stop();
        }
    }

    private final SparkSession spark;
    private final ReservoirJobArguments arguments;
    private final ReservoirKeys keys;
    private final SchemaRegistryClient registry;

    ReservoirPublishJob(SparkSession spark, ReservoirJobArguments arguments, ReservoirKeys keys,
            SchemaRegistryClient registry) {
        this.spark = spark;
        this.arguments = arguments;
        this.keys = keys;
        this.registry = registry;
    }

    /**
     * Does every task; returns a notice for each partition written or removed. The publications come first, one per
     * reservoir and event type with the hours of all its tasks (one read of tier zero, one write), then the removals
     * in the tasks' order.
     */
    List<PartitionNotice> run(Map<String, ReservoirPolicy> policies) {
        Map<String, Map<Instant, PartitionNotice.Reason>> hours = new LinkedHashMap<>();
        Map<String, ReservoirTask> firstTask = new LinkedHashMap<>();
        for (ReservoirTask task : arguments.tasks()) {
            if (task.kind() != ReservoirTask.Kind.PUBLISH) {
                continue;
            }
            String key = task.reservoir() + "/" + task.eventType();
            firstTask.putIfAbsent(key, task);
            Map<Instant, PartitionNotice.Reason> reasons = hours.computeIfAbsent(key, k -> new TreeMap<>());
            List<Instant> asked = task.hour() != null
                    ? List.of(task.from().atTime(task.hour(), 0).toInstant(ZoneOffset.UTC))
                    : new VersionedPartitions(spark, arguments.tierZero(), task.eventType()).hours(task.from(), task.to());
            // an erasure's hour stays one whatever else asked for it: its older versions must go
            asked.forEach(hour -> reasons.merge(hour, task.reason(), (a, b) ->
                    a == PartitionNotice.Reason.ERASURE || b == PartitionNotice.Reason.ERASURE
                            ? PartitionNotice.Reason.ERASURE : a));
        }
        List<PartitionNotice> notices = new ArrayList<>();
        hours.forEach((key, reasons) -> {
            ReservoirTask task = firstTask.get(key);
            ReservoirPolicy policy = policies.get(task.reservoir());
            if (policy == null) {
                log.warn("reservoir {} has no policy on the change feed (deleted?): {} not published", task.reservoir(), key);
                return;
            }
            long started = System.nanoTime();
            List<PartitionNotice> done = publish(policy, task.eventType(), reasons);
            log.info("{}: {} hours asked, {} partitions written or removed in {} ms", key, reasons.size(), done.size(),
                    (System.nanoTime() - started) / 1_000_000);
            notices.addAll(done);
        });
        for (ReservoirTask task : arguments.tasks()) {
            long started = System.nanoTime();
            List<PartitionNotice> done = switch (task.kind()) {
                case PUBLISH -> List.of();
                case RETENTION -> remove(LakeLayout.reservoirRoot(arguments.tierOne(), task.reservoir()), task.reservoir(),
                        task.from(), PartitionNotice.Reason.RETENTION);
                case DELETE -> remove(LakeLayout.reservoirRoot(arguments.tierOne(), task.reservoir()), task.reservoir(),
                        null, PartitionNotice.Reason.RESERVOIR_DELETED);
                case TIER_ZERO_RETENTION -> remove(arguments.tierZero(), null, task.from(), PartitionNotice.Reason.RETENTION);
            };
            if (task.kind() != ReservoirTask.Kind.PUBLISH) {
                log.info("{}: {} partitions removed in {} ms", task.toArg(), done.size(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            notices.addAll(done);
        }
        return notices;
    }

    /**
     * The reservoir's partitions of the hours, recomputed from tier zero's current versions. An hour tier zero does
     * not have (any more) is skipped; an hour whose rows are all gone (erased) is removed from the reservoir.
     *
     * @param reasons each hour with why it is published
     */
    List<PartitionNotice> publish(ReservoirPolicy policy, String eventType, Map<Instant, PartitionNotice.Reason> reasons) {
        if (!policy.receives(eventType)) {
            return List.of();
        }
        VersionedPartitions tierZero = new VersionedPartitions(spark, arguments.tierZero(), eventType);
        Map<Instant, String> current = tierZero.currentVersions(new ArrayList<>(reasons.keySet()));
        List<String> sources = new ArrayList<>(current.values());
        List<Instant> present = new ArrayList<>(current.keySet());
        VersionedPartitions reservoir = new VersionedPartitions(spark,
                LakeLayout.reservoirRoot(arguments.tierOne(), policy.reservoir()), eventType);
        List<PartitionNotice> notices = new ArrayList<>();
        reasons.forEach((hour, reason) -> {
            boolean erased = reason == PartitionNotice.Reason.ERASURE || reason == PartitionNotice.Reason.EMPTIED;
            if (erased && !current.containsKey(hour) && reservoir.current(hour).isPresent()) {
                reservoir.remove(hour); // tier zero's hour was erased whole: so is the reservoir's
                notices.add(notice(policy.reservoir(), eventType, hour, List.of(), 0, PartitionNotice.Reason.EMPTIED));
            }
        });
        if (sources.isEmpty()) {
            return notices;
        }
        Dataset<Row> partitions = spark.read().option("mergeSchema", "true").parquet(sources.toArray(String[]::new));
        ReservoirColumns columns = new ReservoirColumns(EffectiveColumns.of(registry, eventType, policy, Instant.now()),
                hashFunction(policy));
        Set<Instant> written = new HashSet<>();
        List<Instant> erased = present.stream().filter(hour -> reasons.get(hour) == PartitionNotice.Reason.ERASURE).toList();
        List<Instant> other = present.stream().filter(hour -> reasons.get(hour) != PartitionNotice.Reason.ERASURE).toList();
        List<VersionedPartitions.Written> versions = new ArrayList<>();
        StructType table = columns.apply(allVersions(eventType)).schema();
        Dataset<Row> anonymized = columns.apply(partitions);
        Map<Instant, String> sourceVersions = new HashMap<>();
        current.forEach((hour, version) -> sourceVersions.put(hour, version.substring(version.lastIndexOf('/') + 1)));
        if (!other.isEmpty()) {
            versions.addAll(reservoir.write(erased.isEmpty() ? anonymized : only(anonymized, other), other,
                    arguments.run(), table, false, sourceVersions));
        }
        if (!erased.isEmpty()) {
            // an erasure leaves no earlier version behind: they hold the erased subject's hashed forms
            versions.addAll(reservoir.write(other.isEmpty() ? anonymized : only(anonymized, erased), erased,
                    arguments.run(), table, true, sourceVersions));
        }
        for (VersionedPartitions.Written version : versions) {
            written.add(version.hour());
            notices.add(notice(policy.reservoir(), eventType, version.hour(), version.files(), version.rows(),
                    reasons.get(version.hour())));
        }
        for (Instant hour : present) {
            if (!written.contains(hour) && reservoir.current(hour).isPresent()) {
                reservoir.remove(hour); // tier zero's hour has no row left: neither has the reservoir's
                notices.add(notice(policy.reservoir(), eventType, hour, List.of(), 0, PartitionNotice.Reason.EMPTIED));
            }
        }
        return notices;
    }

    /** The rows of some of the hours (by the time column the reservoir keeps: the event time). */
    private static Dataset<Row> only(Dataset<Row> rows, List<Instant> hours) {
        Object[] starts = hours.stream().map(java.sql.Timestamp::from).toArray();
        return rows.filter(org.apache.spark.sql.functions.date_trunc("hour",
                org.apache.spark.sql.functions.col(PolicyEngine.EVENT_TIME)).isin(starts));
    }

    /**
     * No row, but every column of every schema version of the type, as tier zero has them (the Avro fields as Spark
     * reads them, united by name, then the internal columns): what the reservoir's whole table is made from.
     */
    Dataset<Row> allVersions(String eventType) {
        String subject = Topics.eventSubject(eventType);
        Dataset<Row> all = null;
        for (int version : registry.versions(subject)) {
            StructType fields = (StructType) SchemaConverters.toSqlType(registry.version(subject, version).schema())
                    .dataType();
            StructType columns = fields.add(PolicyEngine.EVENT_ID, DataTypes.StringType)
                    .add(PolicyEngine.SCHEMA_ID, DataTypes.IntegerType)
                    .add(PolicyEngine.EVENT_TIME, DataTypes.TimestampType)
                    .add(PolicyEngine.LANDING_TIME, DataTypes.TimestampType);
            Dataset<Row> empty = spark.createDataFrame(List.<Row>of(), columns);
            all = all == null ? empty : all.unionByName(empty, true);
        }
        if (all == null) {
            throw new IllegalStateException("no schema registered for " + subject);
        }
        return all;
    }

    private static PartitionNotice notice(String reservoir, String eventType, Instant hour, List<String> files, long rows,
            PartitionNotice.Reason reason) {
        var utc = hour.atOffset(ZoneOffset.UTC);
        return new PartitionNotice(reservoir == null ? PartitionNotice.TIER_ZERO : PartitionNotice.TIER_ONE, reservoir,
                eventType, utc.toLocalDate(), utc.getHour(), files, rows, reason);
    }

    /** HMAC-SHA-256 with the reservoir's key at its key version; null stays null. */
    UserDefinedFunction hashFunction(ReservoirPolicy policy) {
        KeyedHash hash = keys.hasher(policy.reservoir(), policy.keyVersion());
        return udf((UDF1<String, String>) value -> value == null ? null : hash.hash(value), DataTypes.StringType);
    }

    /**
     * Deletes the partitions under a root (a reservoir's, or tier zero's) dated before a day, or all of them; a
     * notice per partition removed.
     *
     * @param reservoirName null for tier zero
     */
    List<PartitionNotice> remove(String root, String reservoirName, LocalDate firstDayKept, PartitionNotice.Reason reason) {
        List<PartitionNotice> notices = new ArrayList<>();
        for (String type : VersionedPartitions.eventTypes(spark, root)) {
            VersionedPartitions partitions = new VersionedPartitions(spark, root, type);
            LocalDate last = firstDayKept == null ? LocalDate.of(9999, 12, 31) : firstDayKept.minusDays(1);
            for (Instant hour : partitions.hours(LocalDate.of(1, 1, 1), last)) {
                partitions.remove(hour);
                notices.add(notice(reservoirName, type, hour, List.of(), 0, reason));
            }
        }
        return notices;
    }

    /** The latest policy of every reservoir: the compacted topic read from its start to its end. */
    static Map<String, ReservoirPolicy> policies(String bootstrapServers, String topic) {
        Map<String, ReservoirPolicy> policies = new HashMap<>();
        CompactedTopics.read(bootstrapServers, topic, record -> {
            String reservoir = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                policies.remove(reservoir);
            } else {
                ReservoirPolicy policy = ReservoirPolicy.fromJson(record.value());
                policies.merge(reservoir, policy, (a, b) -> b.revision() >= a.revision() ? b : a);
            }
        });
        return policies;
    }
}
