package dev.sluice.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.serde.AvroDeserializer;
import dev.sluice.core.serde.AvroSerializer;
import dev.sluice.core.serde.SerdeConfig;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Confluent's official Node client ({@code @confluentinc/schemaregistry}, installed by the build from
 * {@code src/test/node/package-lock.json}) and Sluice's registry and Java serde understand each other: the Node
 * client registers and serializes, the Java deserializer reads it off Kafka; the Java serializer writes, the Node
 * client reads it.
 */
@LocalInfraTest(Server.KAFKA)
class NodeClientInteropIT {

    static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
    static final Path SCHEMA_FILE = Path.of("src", "test", "resources", "schemas", "product-created.avsc").toAbsolutePath();
    static final String TOPIC = "events.valid.product_created";

    static RunningRegistry registry;
    static LocalInfra infra;

    @BeforeAll
    static void start(LocalInfra localInfra) throws Exception {
        infra = localInfra;
        registry = RunningRegistry.start(infra);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void nodeSerializesAndTheJavaDeserializerReadsItFromKafka() throws Exception {
        JsonNode produced = node("produce", registry.url, RunningRegistry.USER + ":" + RunningRegistry.PASSWORD, TOPIC,
                SCHEMA_FILE.toString(), "{\"id\":\"p-1\",\"user_id\":\"u-1\",\"title\":\"Lamp\",\"color\":\"red\","
                        + "\"tags\":[\"home\",\"light\"],\"created_at\":1764150000000}");
        byte[] payload = Base64.getDecoder().decode(produced.path("payload").asString());

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, "p-1", payload)).get();
        }
        GenericRecord record = consumeOne();

        assertThat(produced.path("id").asInt()).isPositive();
        assertThat(record.getSchema().getField("user_id").getObjectProp("sluice.entity")).isEqualTo("user/id");
        assertThat(record.get("id")).hasToString("p-1");
        assertThat(record.get("user_id")).hasToString("u-1");
        assertThat(record.get("title")).hasToString("Lamp");
        assertThat(record.get("color")).hasToString("red");
        assertThat(record.get("tags").toString()).isEqualTo("[home, light]");
        assertThat(record.get("created_at")).isEqualTo(1764150000000L);
    }

    @Test
    void theJavaSerializerWritesAndNodeReadsIt() throws Exception {
        SchemaRegistryClient client = SchemaRegistryClient.builder(registry.url)
                .userInfo(RunningRegistry.USER + ":" + RunningRegistry.PASSWORD).build();
        Schema schema = new Schema.Parser().parse(SCHEMA_FILE.toFile());
        GenericRecord record = new GenericData.Record(schema);
        record.put("id", "p-2");
        record.put("user_id", "u-2");
        record.put("title", "Chair");
        record.put("color", null);
        record.put("tags", List.of("office"));
        record.put("created_at", 1764150123456L);

        byte[] payload;
        try (AvroSerializer serializer = new AvroSerializer(client, true)) {
            payload = serializer.serialize(TOPIC, record);
        }
        JsonNode read = node("consume", registry.url, TOPIC, Base64.getEncoder().encodeToString(payload));

        assertThat(read.path("id").asString()).isEqualTo("p-2");
        assertThat(read.path("user_id").asString()).isEqualTo("u-2");
        assertThat(read.path("title").asString()).isEqualTo("Chair");
        assertThat(read.path("color").isNull()).isTrue();
        assertThat(read.path("tags").toString()).isEqualTo("[\"office\"]");
        assertThat(read.path("created_at").asLong()).isEqualTo(1764150123456L);
    }

    @Test
    void nodeAsksTheRegistryAboutCompatibility() throws Exception {
        registry.register("interop-compat-value", Files.readString(SCHEMA_FILE));
        Path evolved = Files.createTempFile("evolved", ".avsc");
        Files.writeString(evolved, Files.readString(SCHEMA_FILE).replace("\"tags\": [\"PII\"]},",
                "\"tags\": [\"PII\"]},\n   {\"name\": \"stock\", \"type\": \"int\", \"default\": 0},"));
        Path broken = Files.createTempFile("broken", ".avsc");
        Files.writeString(broken, Files.readString(SCHEMA_FILE).replace("{\"name\": \"title\", \"type\": \"string\"}",
                "{\"name\": \"title\", \"type\": \"int\"}"));

        assertThat(node("compatible", registry.url, "interop-compat-value", evolved.toString())
                .path("compatible").asBoolean()).isTrue();
        assertThat(node("compatible", registry.url, "interop-compat-value", broken.toString())
                .path("compatible").asBoolean()).isFalse();
    }

    private GenericRecord consumeOne() {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "interop",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                SerdeConfig.REGISTRY_URL, registry.url);
        AvroDeserializer deserializer = new AvroDeserializer();
        deserializer.configure(config, false);
        try (KafkaConsumer<String, GenericRecord> consumer = new KafkaConsumer<>(config, new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, GenericRecord> record : consumer.poll(Duration.ofMillis(500))) {
                    if ("p-1".equals(record.key())) {
                        return record.value();
                    }
                }
            }
        }
        throw new AssertionError("the record Node serialized did not arrive");
    }

    private static JsonNode node(String... arguments) throws IOException, InterruptedException {
        assertThat(NODE_DIR.resolve("node_modules").resolve("@confluentinc").resolve("schemaregistry"))
                .as("the Node client, installed by the build's npm step (npm install in %s)", NODE_DIR).exists();
        List<String> command = new ArrayList<>(List.of("node", NODE_DIR.resolve("interop.mjs").toString()));
        command.addAll(List.of(arguments));
        Path errors = Files.createTempFile("node-interop", ".err");
        Process process = new ProcessBuilder(command).directory(NODE_DIR.toFile())
                .redirectError(errors.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("node %s failed: %s", arguments[0], Files.readString(errors)).isZero();
        return RunningRegistry.JSON.readTree(out);
    }
}
