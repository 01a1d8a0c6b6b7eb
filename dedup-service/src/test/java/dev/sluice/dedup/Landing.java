package dev.sluice.dedup;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.sluice.core.lake.DirtyHour;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.serde.AvroWireFormat;
import dev.sluice.core.topics.EventHeaders;
import dev.sluice.spring.runtime.PipelineStages;
import dev.sluice.infra.LocalInfra;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.support.KafkaHeaders;

/**
 * One isolated landing pipeline on the shared servers: its own valid topics (by prefix), dead-letter and
 * dirty-hours topics, consumer group and keyspace, so that test classes do not see each other's events.
 */
final class Landing implements AutoCloseable {

    static final String TYPE = "page_viewed";
    static final Schema SCHEMA = schema();

    final LocalInfra infra;
    final String name = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String validPrefix = name + ".valid.";
    final String deadLetterTopic = validPrefix + "dlt";
    final String dirtyHoursTopic = name + ".dirty-hours";
    final String keyspace = name;
    final int schemaId;
    private final KafkaProducer<byte[], byte[]> producer;
    private CqlSession session;

    Landing(LocalInfra infra) {
        this.infra = infra;
        this.schemaId = SchemaRegistryClient.builder(infra.schemaRegistryUrl()).userInfo(infra.schemaRegistryUserInfo())
                .build().register("events.valid." + TYPE + "-value", SCHEMA);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(validTopic(), 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + validTopic(), e);
        }
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Schema schema() {
        try (InputStream in = Landing.class.getResourceAsStream("/schemas/" + TYPE + ".avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String validTopic() {
        return validPrefix + TYPE;
    }

    /** The service's settings for this pipeline, as command-line arguments. */
    List<String> arguments() {
        return new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--spring.cassandra.contact-points=" + infra.cassandraContactPoint(),
                "--spring.cassandra.local-datacenter=" + infra.cassandraLocalDatacenter(),
                "--sluice.dedup.registry.url=" + infra.schemaRegistryUrl(),
                "--sluice.dedup.valid-topic-prefix=" + validPrefix,
                "--sluice.dedup.dead-letter-topic=" + deadLetterTopic,
                "--sluice.dedup.dirty-hours-topic=" + dirtyHoursTopic,
                "--sluice.dedup.group-id=" + name,
                "--sluice.dedup.topic-discovery-interval=1s",
                "--sluice.dedup.landing.keyspace=" + keyspace,
                "--sluice.runtime.backoff.max=2s",
                "--sluice.security.local-mode=true"));
    }

    ConfigurableApplicationContext startInJvm(String... extra) {
        List<String> arguments = arguments();
        arguments.addAll(List.of(extra));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DedupServiceApplication.class)
                .run(arguments.toArray(String[]::new));
        // landing starts once the table is open: then the test's queries find it
        PipelineStages stages = context.getBean(PipelineStages.class);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> stages.stage("dedup").isReady());
        return context;
    }

    /** A page view with this id, at this event time, in the Confluent wire format. */
    byte[] event(String id, Instant viewedAt) {
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("id", id);
        record.put("user_id", "u-" + Math.floorMod(id.hashCode(), 100));
        record.put("url", "https://example.com/" + id);
        record.put("viewed_at", viewedAt.toEpochMilli());
        return AvroWireFormat.encode(schemaId, new GenericDatumWriter<>(SCHEMA), record);
    }

    void send(List<byte[]> values) {
        send(validTopic(), values);
    }

    /** Records as the gatekeeper writes them: key = event id, the exact event time in a header. */
    void sendAsGatekeeper(Map<String, byte[]> valuesById, Instant eventTime) {
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (Map.Entry<String, byte[]> value : valuesById.entrySet()) {
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(validTopic(),
                        value.getKey().getBytes(StandardCharsets.UTF_8), value.getValue());
                long micros = eventTime.getEpochSecond() * 1_000_000 + eventTime.getNano() / 1000;
                record.headers().add(EventHeaders.EVENT_TIME, EventHeaders.eventTimeValue(micros));
                sent.add(producer.send(record));
            }
            for (Future<?> future : sent) {
                future.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot send the test's events", e);
        }
    }

    void send(String topic, List<byte[]> values) {
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (byte[] value : values) {
                sent.add(producer.send(new ProducerRecord<>(topic, value)));
            }
            for (Future<?> future : sent) {
                future.get(60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot send the test's events", e);
        }
    }

    CqlSession cql() {
        if (session == null) {
            String[] hostPort = infra.cassandraContactPoint().split(":");
            session = CqlSession.builder()
                    .addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
                    .withLocalDatacenter(infra.cassandraLocalDatacenter())
                    .withConfigLoader(DriverConfigLoader.programmaticBuilder()
                            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
                            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2)).build())
                    .build();
        }
        return session;
    }

    /** The event ids landed in one hour of the test's event type. */
    List<String> landedIds(Instant hour) {
        List<String> ids = new ArrayList<>();
        for (Row row : cql().execute(SimpleStatement.newInstance("SELECT event_id FROM " + keyspace
                + ".landing WHERE event_type = ? AND hour = ?", TYPE, hour))) {
            ids.add(row.getString("event_id"));
        }
        return ids;
    }

    /** Every notice on this pipeline's dirty-hours topic, in order per key. */
    List<DirtyHour> dirtyHourNotices() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, name + "-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<DirtyHour> notices = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(dirtyHoursTopic));
            int empty = 0;
            while (empty < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                empty = records.isEmpty() ? empty + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    DirtyHour notice = DirtyHour.fromJson(record.value());
                    if (!notice.key().equals(new String(record.key(), StandardCharsets.UTF_8))) {
                        throw new AssertionError("key " + new String(record.key(), StandardCharsets.UTF_8)
                                + " does not match its notice " + notice);
                    }
                    notices.add(notice);
                }
            }
        }
        return notices;
    }

    /** The dead letters, each with its reason (spring-kafka's exception-message header). */
    Map<String, String> deadLetters(int expected, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, name + "-dlt-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, String> letters = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(deadLetterTopic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (letters.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    letters.put(new String(record.value(), StandardCharsets.ISO_8859_1),
                            new String(record.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(),
                                    StandardCharsets.UTF_8));
                }
            }
        }
        return letters;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        if (session != null) {
            session.close();
        }
    }
}
