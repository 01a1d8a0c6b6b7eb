package dev.sluice.datapump;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.sluice.core.cassandra.CqlMigrations;
import dev.sluice.core.lake.DirtyHour;
import dev.sluice.core.topics.Topics;
import dev.sluice.spring.jobs.JobRun;
import dev.sluice.datapump.schedule.Pump;
import dev.sluice.infra.LocalInfra;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the datapump's integration tests share: a name of their own for the keyspace, topics and bucket; the landing
 * table written as dedup writes it; the datapump started in this JVM against local-infra's servers, with the real
 * jobs in child JVMs.
 */
final class PumpTestbed implements AutoCloseable {

    final LocalInfra infra;
    final String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String bucket = "lake-" + name;
    final Path logs = Path.of("target", "it-runs", name).toAbsolutePath(); // kept for a look after a failure
    final CqlSession cql;
    final KafkaProducer<byte[], byte[]> producer;
    private final PreparedStatement insert;
    ConfigurableApplicationContext app;

    PumpTestbed(LocalInfra infra) {
        this.infra = infra;
        String[] hostPort = infra.cassandraContactPoint().split(":");
        cql = CqlSession.builder().addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
                .withLocalDatacenter(infra.cassandraLocalDatacenter()).build();
        CqlMigrations.ensureKeyspace(cql, name, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
        new CqlMigrations("landing", "cql/landing", getClass().getClassLoader()).apply(cql, name);
        insert = cql.prepare("INSERT INTO " + name + ".landing (event_type, hour, event_id, schema_id, payload, "
                + "event_time, landing_time) VALUES (?, ?, ?, ?, ?, ?, ?)");
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        try (S3Client s3 = s3()) {
            s3.createBucket(request -> request.bucket(bucket));
        }
        // the dirty-hours topic is dedup's (its owner creates it); the datapump creates its own at start
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            Topics.DIRTY_HOURS_SPEC.named(name + ".dirty-hours").createIfMissing(admin, 4, (short) 1, Duration.ofSeconds(30));
        }
    }

    /**
     * Lands events in an hour as dedup does: the rows, then the hour's dirty notice.
     *
     * @param event the i-th event, with its {@code id}; its time is the hour plus i seconds
     */
    void land(String type, int schemaId, Instant hour, int events, String prefix, IntFunction<GenericRecord> event) {
        Instant now = Instant.now();
        for (int i = 0; i < events; i++) {
            Instant at = Instant.ofEpochMilli(hour.toEpochMilli() + i * 1000L);
            cql.execute(insert.bind(type, hour, prefix + i, schemaId, ByteBuffer.wrap(avro(event.apply(i))), at, now));
        }
        DirtyHour notice = new DirtyHour(type, hour, now, events);
        try {
            producer.send(new ProducerRecord<>(name + ".dirty-hours", notice.key().getBytes(), notice.toJson()))
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The settings of a datapump of this test bed's own; the test adds or overrides its own. */
    Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("server.port", 0);
        settings.put("spring.kafka.bootstrap-servers", infra.kafkaBootstrapServers());
        settings.put("spring.cassandra.contact-points", infra.cassandraContactPoint());
        settings.put("spring.cassandra.local-datacenter", infra.cassandraLocalDatacenter());
        settings.put("sluice.datapump.dirty-hours-topic", name + ".dirty-hours");
        settings.put("sluice.datapump.partitions-topic", name + ".partitions");
        settings.put("sluice.datapump.dead-letter-topic", name + ".dlt");
        settings.put("sluice.datapump.group-id", name);
        settings.put("sluice.datapump.reservoirs.group-id", name + "-reservoirs");
        settings.put("sluice.datapump.keyspace", name);
        settings.put("sluice.datapump.quiet", "2s");
        settings.put("sluice.datapump.max-delay", "30s");
        settings.put("sluice.datapump.tick", "200ms");
        settings.put("sluice.datapump.backoff.initial", "2s");
        settings.put("sluice.datapump.job.dir", jobDirectory().toString());
        settings.put("sluice.datapump.job.heap", "768m");
        settings.put("sluice.datapump.job.cores", 2);
        settings.put("sluice.datapump.job.logs", logs.toString());
        settings.put("sluice.datapump.job.lake", "s3a://" + bucket + "/tier0");
        settings.put("sluice.datapump.job.tier-one", "s3a://" + bucket + "/tier1");
        settings.put("sluice.datapump.job.registry-url", infra.schemaRegistryUrl());
        hadoop().forEach((key, value) -> settings.put("sluice.datapump.job.hadoop." + key, value));
        settings.put("sluice.datapump.job.s3-access-key", infra.s3AccessKey());
        settings.put("sluice.datapump.job.s3-secret-key", infra.s3SecretKey());
        settings.put("sluice.datapump.job.master-key-file", infra.masterKeyFile().toString());
        settings.put("sluice.security.local-mode", true);
        return settings;
    }

    /** Starts the datapump; as arguments, since they override application.yml, which default properties would not. */
    ConfigurableApplicationContext start(Map<String, Object> settings) {
        app = new SpringApplicationBuilder(DatapumpServiceApplication.class).run(settings.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
        return app;
    }

    Map<String, String> hadoop() {
        return Map.of("fs.s3a.endpoint", infra.s3Endpoint(), "fs.s3a.endpoint.region", infra.s3Region(),
                "fs.s3a.path.style.access", "true", "fs.s3a.connection.ssl.enabled", "false");
    }

    static Path jobDirectory() {
        return Path.of("../lake-jobs/target/job").toAbsolutePath().normalize();
    }

    /** The runs of both jobs in the last two days, newest first. */
    List<JobRun> runs() {
        var store = app.getBean(Pump.class).store();
        return store == null ? List.of() : store.runs().latest(LocalDate.now(ZoneOffset.UTC), 2, 1000);
    }

    /** Reads this test bed's partitions topic from its start. */
    KafkaConsumer<byte[], byte[]> partitionsConsumer() {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(name + ".partitions").stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    S3Client s3() {
        return S3Client.builder().endpointOverride(URI.create(infra.s3Endpoint())).forcePathStyle(true)
                .region(Region.of(infra.s3Region())).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.s3AccessKey(), infra.s3SecretKey()))).build();
    }

    static byte[] avro(GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        producer.close();
        cql.close();
    }
}
