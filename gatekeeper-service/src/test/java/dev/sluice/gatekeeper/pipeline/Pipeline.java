package dev.sluice.gatekeeper.pipeline;

import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.serde.AvroDeserializer;
import dev.sluice.gatekeeper.GatekeeperServiceApplication;
import dev.sluice.infra.LocalInfra;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import java.util.concurrent.TimeUnit;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One isolated gatekeeper pipeline on the shared servers: its own raw, rejected and valid topics (by prefix) and
 * consumer group, so test classes do not see each other's events. The schemas are the demo's, registered once.
 */
final class Pipeline {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final List<String> TYPES = List.of("message_sent", "account_updated", "product_created");

    final LocalInfra infra;
    final String name = "t" + UUID.randomUUID().toString().substring(0, 8);
    final String rawTopic = name + ".raw";
    final String rejectedTopic = name + ".rejected";
    final String validPrefix = name + ".valid.";
    /** How long the gatekeeper trusts its cached latest schema versions. */
    String latestTtl = "200ms";

    Pipeline(LocalInfra infra) {
        this.infra = infra;
        registerDemoSchemas(infra);
        // the brokers create no topic on first use: producers need the raw topic before the gatekeeper starts
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(rawTopic, 4, (short) 1)
                    .configs(Map.of("max.message.bytes", Integer.toString(16 << 20))))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + rawTopic, e);
        }
    }

    static Schema schema(String type) {
        try (InputStream in = Pipeline.class.getResourceAsStream("/schemas/" + type + ".avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void registerDemoSchemas(LocalInfra infra) {
        SchemaRegistryClient client = registry(infra);
        for (String type : TYPES) {
            client.register("events.valid." + type + "-value", schema(type));
        }
    }

    static SchemaRegistryClient registry(LocalInfra infra) {
        return SchemaRegistryClient.builder(infra.schemaRegistryUrl()).userInfo(infra.schemaRegistryUserInfo())
                .latestTtl(Duration.ofMillis(200)).build();
    }

    /** The gatekeeper's settings for this pipeline, as command-line arguments. */
    List<String> arguments(String transactionalId) {
        return new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + infra.kafkaBootstrapServers(),
                "--sluice.gatekeeper.registry.url=" + infra.schemaRegistryUrl(),
                "--sluice.gatekeeper.registry.latest-ttl=" + latestTtl,
                "--sluice.gatekeeper.raw-topic=" + rawTopic,
                "--sluice.gatekeeper.rejected-topic=" + rejectedTopic,
                "--sluice.gatekeeper.valid-topic-prefix=" + validPrefix,
                "--sluice.gatekeeper.group-id=" + name,
                "--sluice.gatekeeper.transactional-id=" + transactionalId,
                "--sluice.security.local-mode=true",
                "--spring.main.banner-mode=off"));
    }

    ConfigurableApplicationContext startInJvm(String... extra) {
        List<String> arguments = arguments(name + "-gatekeeper");
        arguments.addAll(List.of(extra));
        return new SpringApplicationBuilder(GatekeeperServiceApplication.class).run(arguments.toArray(String[]::new));
    }

    void send(List<byte[]> events) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (byte[] event : events) {
                sent.add(producer.send(new ProducerRecord<>(rawTopic, event)));
            }
            for (java.util.concurrent.Future<?> future : sent) {
                future.get(60, TimeUnit.SECONDS); // a test must not lose its own input
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot send the test's events", e);
        }
    }

    /** How many raw events the gatekeeper has committed (its consumer group's offsets). */
    long committed() {
        return infra.committedOffsets(name);
    }

    /** Offsets of this pipeline's topics, to tell a stalled gatekeeper from a transaction left open. */
    String diagnose() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            StringBuilder text = new StringBuilder("group committed " + committed() + "; ");
            for (String topic : admin.listTopics().names().get(30, TimeUnit.SECONDS)) {
                if (!topic.startsWith(name)) {
                    continue;
                }
                Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
                for (int p = 0; p < 4; p++) {
                    latest.put(new org.apache.kafka.common.TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
                }
                var end = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                var stable = admin.listOffsets(latest, new org.apache.kafka.clients.admin.ListOffsetsOptions(
                        org.apache.kafka.common.IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS);
                text.append(topic).append(": ");
                end.forEach((partition, info) -> text.append(partition.partition()).append('=').append(info.offset())
                        .append("/lso ").append(stable.get(partition).offset()).append(' '));
                text.append("; ");
            }
            try {
                text.append("transactions: ").append(admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                        .filter(t -> t.transactionalId().startsWith(name)).map(t -> t.transactionalId() + " " + t.state()).toList());
            } catch (Exception e) {
                text.append("transactions: ").append(e);
            }
            return text.toString();
        } catch (Exception e) {
            return "cannot diagnose: " + e;
        }
    }

    /** {@code count} events: nine in ten valid product events with ids {@code e-<n>}, one in ten invalid. */
    static List<String> stream(int count) {
        List<String> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String event = GatekeeperIT.PRODUCT.replace("\"id\": \"p-1\"", "\"id\": \"e-" + i + "\"");
            events.add(i % 10 == 9 ? event.replace("\"HOME\"", "\"NOWHERE\"") : event);
        }
        return events;
    }

    void sendJson(List<String> events) {
        send(events.stream().map(e -> e.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** Reads (read_committed) the rejected topic and every valid topic until {@code expected} records arrived. */
    Output readAll(int expected, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, name + "-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        Output output = new Output();
        AvroDeserializer avro = new AvroDeserializer(registry(infra), null);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(name) + "\\.(rejected|valid\\..*)"));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (output.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.topic().equals(rejectedTopic)) {
                        output.rejected.add(JSON.readTree(record.value()));
                    } else {
                        output.valid.add(new Valid(record.topic().substring(validPrefix.length()), record,
                                avro.deserialize(record.topic(), record.value())));
                    }
                }
            }
            // anything beyond the expected count would be a duplicate: look a little longer
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofSeconds(2))) {
                if (record.topic().equals(rejectedTopic)) {
                    output.rejected.add(JSON.readTree(record.value()));
                } else {
                    output.valid.add(new Valid(record.topic().substring(validPrefix.length()), record, null));
                }
            }
        }
        return output;
    }

    record Valid(String type, ConsumerRecord<byte[], byte[]> record, GenericRecord value) {

        String key() {
            return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        }

        int schemaId() {
            return dev.sluice.core.serde.AvroWireFormat.schemaId(record.value());
        }
    }

    static final class Output {
        final List<Valid> valid = new ArrayList<>();
        final List<JsonNode> rejected = new ArrayList<>();

        int size() {
            return valid.size() + rejected.size();
        }

        /** Every valid event once (by id) and every rejection once (by its source partition and offset). */
        void assertEachOnce() {
            java.util.Set<String> ids = new java.util.HashSet<>();
            valid.forEach(v -> org.assertj.core.api.Assertions.assertThat(ids.add(v.key())).as("event %s once", v.key()).isTrue());
            java.util.Set<String> sources = new java.util.HashSet<>();
            for (JsonNode rejection : rejected) {
                String source = rejection.path("source").path("partition").asString() + "@"
                        + rejection.path("source").path("offset").asString();
                org.assertj.core.api.Assertions.assertThat(sources.add(source)).as("rejection of %s once", source).isTrue();
            }
        }
    }
}
