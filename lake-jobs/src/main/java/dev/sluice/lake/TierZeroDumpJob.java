package dev.sluice.lake;

import dev.sluice.core.hashing.ReservoirKeys;
import dev.sluice.core.jobs.DumpJobArguments;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.lake.PartitionNotice;
import dev.sluice.core.privacy.ForgetList;
import dev.sluice.core.privacy.PrivacySchema;
import dev.sluice.core.registry.RegisteredSchema;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tier-zero dump: for each dirty hour, the landing partition read from Cassandra (one task per hour), decoded
 * with each event's writer schema, merged with what the hour's partition already holds (one row per hour and event id),
 * and written as a new version of the partition, which then becomes current.
 *
 * <p>Arguments: {@link DumpJobArguments} (platform-core), which the datapump writes: {@code --hours
 * page_viewed/2026-11-20/13,... --lake file:///tmp/lake | s3a://bucket/lake --cassandra host:9042 [--datacenter
 * datacenter1] [--keyspace sluice] --registry http://host:8081 --run ID [--kafka host:9092 [--partitions-topic
 * lake.partitions]] [--master local[*]]} — {@code --master} only when not run by spark-submit; with {@code --kafka},
 * a notice per partition written goes to {@code lake.partitions}.
 *
 * <p>Hadoop settings (the s3a endpoint) come as {@code spark.hadoop.*}: system properties locally, {@code --conf}
 * with spark-submit. S3 keys come from the environment ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY})
 * or the default AWS credential chain, never from the command line.
 */
public final class TierZeroDumpJob {

    private static final Logger log = LoggerFactory.getLogger(TierZeroDumpJob.class);

    public static void main(String[] args) {
        DumpJobArguments arguments = DumpJobArguments.parse(args);
        SparkSession.Builder builder = SparkSession.builder().appName("sluice-tier-zero-dump")
                // event hours are UTC, whatever the machine's zone
                .config("spark.sql.session.timeZone", "UTC");
        if (arguments.master() != null) {
            builder.master(arguments.master()).config("spark.ui.enabled", "false");
        }
        SparkSession spark = builder.getOrCreate();
        try {
            LandingReader reader = new LandingReader(arguments.cassandra(), arguments.datacenter(), arguments.keyspace());
            SchemaRegistryClient registry = SchemaRegistryClient.builder(arguments.registry()).build();
            ForgetList forgotten = forgetList(arguments.kafka(), arguments.forgottenTopic());
            List<PartitionNotice> notices = new ArrayList<>();
            for (Map.Entry<String, List<Instant>> type : hoursByType(arguments.hours()).entrySet()) {
                notices.addAll(dump(spark, reader, registry, arguments.lake(), type.getKey(), type.getValue(),
                        arguments.run(), forgotten));
            }
            if (arguments.kafka() != null) {
                publish(arguments.kafka(), arguments.partitionsTopic(), notices);
            }
        } finally {
            spark.stop();
            LandingReader.closeSessions();
        }
    }

    /**
     * Dumps the hours of one event type; returns a notice for each hour's new version.
     *
     * <p>One pass over the landing rows when the type has one schema version (they are read, decoded and written as
     * they stream); with several, the rows are cached once, since each version's decoding reads them. The writer
     * schemas are every version of the type's subject ({@code events.valid.<type>-value}); a row whose schema id is
     * none of them fails the job instead of being left out.
     */
    static List<PartitionNotice> dump(SparkSession spark, LandingReader reader, SchemaRegistryClient registry, String lake,
            String eventType, List<Instant> hours, String run) {
        return dump(spark, reader, registry, lake, eventType, hours, run, new ForgetList(null, List.of()));
    }

    /** As above, erasing the subjects of the forget-list again (see {@link #forgetList}). */
    static List<PartitionNotice> dump(SparkSession spark, LandingReader reader, SchemaRegistryClient registry, String lake,
            String eventType, List<Instant> hours, String run, ForgetList forgotten) {
        long started = System.nanoTime();
        Map<Integer, String> schemas = writerSchemas(registry, eventType);
        Dataset<Row> landing = reader.read(spark, eventType, hours);
        if (schemas.size() > 1) {
            landing = landing.persist(StorageLevel.MEMORY_AND_DISK());
        }
        try {
            VersionedPartitions partitions = new VersionedPartitions(spark, lake, eventType);
            List<PartitionNotice> notices = write(partitions, partitions.merge(EventDecoding.decode(landing, schemas),
                    hours), schemas, hours, run, forgotten);
            log.info("{}: {} partitions written in {} ms (schema ids {})", eventType, notices.size(),
                    (System.nanoTime() - started) / 1_000_000, schemas.keySet());
            return notices;
        } finally {
            landing.unpersist();
        }
    }

    /**
     * The forget-list as it is now ({@code privacy.forgotten}, compacted, read to its end), read before any landing
     * row: a dump and an erasure's rewrite never run at once (tier zero's writer lease, which the datapump takes for
     * the dump), and every dump after the entry erases the subject again. The master key is needed only when the
     * list has entries.
     * Without Kafka (a dump run by hand), or without the topic (no erasure ever), the list is empty.
     */
    static ForgetList forgetList(String bootstrapServers, String topic) {
        if (bootstrapServers == null) {
            log.warn("no Kafka given: the forget-list is not read, the dump does not erase forgotten subjects again");
            return new ForgetList(null, List.of());
        }
        List<String> entries = new ArrayList<>();
        CompactedTopics.read(bootstrapServers, topic, record -> {
            if (record.key() != null && record.value() != null) {
                entries.add(new String(record.key(), StandardCharsets.UTF_8));
            }
        });
        if (entries.isEmpty()) {
            return new ForgetList(null, List.of());
        }
        log.info("{} subjects on the forget-list", entries.size());
        return new ForgetList(ReservoirKeys.fromEnvironment(System.getenv()).forgetListHash(), entries);
    }

    static List<PrivacySchema> privacyViews(Map<Integer, String> schemas) {
        return schemas.values().stream().map(text -> PrivacySchema.of(new Schema.Parser().parse(text))).toList();
    }

    /**
     * The dump's second half: what the hours hold, merged, with the forget-list's subjects erased again (defence in
     * depth: what landed of an erased subject before the forget-list named it), written as new versions; a notice
     * for each.
     */
    static List<PartitionNotice> write(VersionedPartitions partitions, Dataset<Row> merged, Map<Integer, String> schemas,
            List<Instant> hours, String run, ForgetList forgotten) {
        Dataset<Row> kept = forgotten.isEmpty() ? merged
                : ErasureJob.erase(merged, RowErasure.of(privacyViews(schemas)), forgotten::contains);
        List<PartitionNotice> notices = new ArrayList<>();
        for (VersionedPartitions.Written written : partitions.write(kept, hours, run)) {
            var utc = written.hour().atOffset(ZoneOffset.UTC);
            notices.add(new PartitionNotice("zero", null, partitions.eventType(), utc.toLocalDate(), utc.getHour(),
                    written.files(), written.rows(),
                    written.replaced() ? PartitionNotice.Reason.LATE_EVENTS : PartitionNotice.Reason.NEW));
        }
        return notices;
    }

    /** Every version of the event type's subject, by schema id. */
    static Map<Integer, String> writerSchemas(SchemaRegistryClient registry, String eventType) {
        String subject = Topics.VALID_PREFIX + eventType + "-value";
        Map<Integer, String> schemas = new TreeMap<>();
        for (int version : registry.versions(subject)) {
            RegisteredSchema schema = registry.version(subject, version);
            schemas.put(schema.id(), schema.schema().toString());
        }
        if (schemas.isEmpty()) {
            throw new IllegalStateException("the registry has no schema for " + subject);
        }
        return schemas;
    }

    /** Sends the notices and waits until Kafka acknowledged every one (the job fails otherwise, and is run again). */
    static void publish(String bootstrapServers, String topic, List<PartitionNotice> notices) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (PartitionNotice notice : notices) {
                sent.add(producer.send(new ProducerRecord<>(topic, notice.key().getBytes(StandardCharsets.UTF_8),
                        notice.toJson())));
            }
            for (java.util.concurrent.Future<?> future : sent) {
                future.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("the partition notices were not acknowledged", e);
        }
    }

    /** The hours grouped by event type, in their order. */
    static Map<String, List<Instant>> hoursByType(List<HourPartition> hours) {
        Map<String, List<Instant>> byType = new LinkedHashMap<>();
        hours.forEach(hour -> byType.computeIfAbsent(hour.eventType(), t -> new ArrayList<>()).add(hour.start()));
        return byType;
    }
}
