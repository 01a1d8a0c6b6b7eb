package dev.sluice.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.serde.AvroSerializer;
import dev.sluice.core.topics.EventHeaders;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The reverse index and the relations from a valid topic of events with entities in nested records, arrays and
 * unions, half of them with the gatekeeper's event-time header and half without (another producer's): exactly the
 * rows the test computes from what it sent, and still exactly those after the topic is read again by a new consumer
 * group (a replay) and after a restart.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY, Server.S3})
class IndexIT {

    static final Schema ORDER = new Schema.Parser().parse("""
            {"type": "record", "name": "OrderPlaced", "namespace": "com.example.events", "fields": [
              {"name": "id", "type": "string"},
              {"name": "buyer_id", "type": "string", "sluice.entity": "user/id"},
              {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
                 {"name": "product_id", "type": "string", "sluice.entity": "product/id", "sluice.linked_to": "seller_id"},
                 {"name": "seller_id", "type": "string", "sluice.entity": "user/id"}]}}},
              {"name": "shipping", "type": ["null", {"type": "record", "name": "Shipping", "fields": [
                 {"name": "courier_id", "type": "long", "sluice.entity": "courier/id"}]}], "default": null},
              {"name": "placed_at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "sluice.event_time": true}
            ]}""");

    PrivacyTestbed bed;
    LocalInfra infra;

    @BeforeEach
    void setUp(LocalInfra infra) {
        this.infra = infra;
        bed = new PrivacyTestbed(infra);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void indexesEveryEntityOnceAndAReplayOrARestartChangesNothing() throws Exception {
        String type = "order_placed_" + bed.name;
        String topic = Topics.VALID_PREFIX + type;
        SchemaRegistryClient registry = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                .userInfo(infra.schemaRegistryUserInfo()).build();
        registry.register(Topics.eventSubject(type), ORDER);
        Set<String> expectedIndex = new TreeSet<>();
        Set<String> expectedRelations = new TreeSet<>();
        Random random = new Random(42);
        Instant start = LocalDate.now(ZoneOffset.UTC).minusDays(2).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        AvroSerializer serializer = new AvroSerializer(registry, false);
        for (int i = 0; i < 400; i++) {
            Instant at = start.plus(random.nextInt(6 * 60), ChronoUnit.MINUTES);
            String hour = type + "/" + at.atOffset(ZoneOffset.UTC).toLocalDate() + "/"
                    + String.format("%02d", at.atOffset(ZoneOffset.UTC).getHour());
            GenericRecord order = new GenericData.Record(ORDER);
            order.put("id", "o-" + i);
            String buyer = bed.id("u" + random.nextInt(30));
            order.put("buyer_id", buyer);
            expectedIndex.add("user/id:" + buyer + "@" + hour);
            List<GenericRecord> items = new ArrayList<>();
            for (int j = random.nextInt(3); j >= 0; j--) {
                GenericRecord item = new GenericData.Record(ORDER.getField("items").schema().getElementType());
                int product = random.nextInt(50);
                String seller = bed.id("s" + product % 7); // each product has one seller
                item.put("product_id", bed.id("p" + product));
                item.put("seller_id", seller);
                items.add(item);
                expectedIndex.add("product/id:" + bed.id("p" + product) + "@" + hour);
                expectedIndex.add("user/id:" + seller + "@" + hour);
                expectedRelations.add("product/id:" + bed.id("p" + product) + "->user/id:" + seller);
                expectedRelations.add("user/id:" + seller + "->product/id:" + bed.id("p" + product));
            }
            order.put("items", items);
            if (random.nextBoolean()) {
                GenericRecord shipping = new GenericData.Record(ORDER.getField("shipping").schema().getTypes().get(1));
                long courier = random.nextInt(5);
                shipping.put("courier_id", courier);
                order.put("shipping", shipping);
                expectedIndex.add("courier/id:" + courier + "@" + hour);
            }
            order.put("placed_at", at.toEpochMilli());
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, ("o-" + i).getBytes(),
                    serializer.serialize(topic, order));
            if (i % 2 == 0) { // as the gatekeeper writes it
                record.headers().add(EventHeaders.EVENT_TIME, EventHeaders.eventTimeValue(
                        ChronoUnit.MICROS.between(Instant.EPOCH, at)));
            }
            records.add(record);
        }
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 3, (short) 1))).all().get();
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (ProducerRecord<byte[], byte[]> record : records) {
                producer.send(record);
            }
            producer.flush();
        }

        Map<String, Object> settings = bed.settings();
        bed.start(settings);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> index(type).size() >= expectedIndex.size());
        assertThat(index(type)).isEqualTo(expectedIndex);
        assertThat(relations()).isEqualTo(expectedRelations);
        assertThat(coverage(type)).allSatisfy(offset -> assertThat(offset).isZero());

        // a replay: the whole topic again, by a new consumer group, after a restart
        bed.stop();
        settings.put("sluice.privacy.index.group-id", bed.name + "-replay");
        bed.start(settings);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() ->
                committed(bed.name + "-replay", topic) == records.size());
        assertThat(index(type)).isEqualTo(expectedIndex);
        assertThat(relations()).isEqualTo(expectedRelations);
        assertThat(coverage(type)).allSatisfy(offset -> assertThat(offset).isZero());
    }

    @Test
    void hoursBeforeWhatTheTopicStillHadAreScannedAndTheRequestSaysSo() throws Exception {
        String type = "order_placed_" + bed.name;
        String topic = Topics.VALID_PREFIX + type;
        SchemaRegistryClient registry = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                .userInfo(infra.schemaRegistryUserInfo()).build();
        registry.register(Topics.eventSubject(type), ORDER);
        AvroSerializer serializer = new AvroSerializer(registry, false);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                    infra.kafkaBootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 20; i++) {
                    GenericRecord order = new GenericData.Record(ORDER);
                    order.put("id", "o-" + i);
                    order.put("buyer_id", bed.id(i < 10 ? "vader" : "luke")); // vader's are the records retention takes
                    order.put("items", List.of());
                    order.put("placed_at", Instant.now().toEpochMilli());
                    producer.send(new ProducerRecord<>(topic, serializer.serialize(topic, order))).get();
                }
            }
            // retention took the first ten before the indexer ever read the topic
            admin.deleteRecords(Map.of(new org.apache.kafka.common.TopicPartition(topic, 0),
                    org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(10))).all().get();
        }
        bed.start(bed.settings());
        PrivacyStores stores = bed.app.getBean(PrivacyStores.class);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> stores.index().indexedFrom(type).isPresent());
        assertThat(coverage(type)).containsExactly(10L);

        assertThat(stores.index().partitions(new dev.sluice.core.privacy.EntityRef("user/id", bed.id("vader")))).isEmpty();
        String id = bed.file("ACCESS", bed.id("vader"), 201).path("id").asString();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() -> !List.of("QUEUED", "RUNNING")
                .contains(bed.call("GET", "/requests/" + id, null, 200).path("status").asString()));
        JsonNode request = bed.call("GET", "/requests/" + id, null, 200);
        assertThat(request.path("status").asString()).as(request.toString()).isEqualTo("COMPLETED");
        assertThat(request.path("steps").path("scope").asString()).contains("the index does not cover " + type)
                .contains("those hours are scanned");
        JsonNode manifest = PrivacyTestbed.JSON.readTree(bed.export(id).get("manifest.json"));
        assertThat(manifest.path("scans").valueStream().map(scan -> scan.path("event_type").asString()).toList())
                .contains(type);
    }

    Set<String> index(String type) {
        Set<String> rows = new TreeSet<>();
        for (Row row : session().execute("SELECT * FROM " + bed.name + ".entity_graph")) {
            if (row.getString("kind").equals("hour") && row.getString("name").equals(type)) {
                String hour = row.getString("value"); // yyyy-MM-ddTHH
                rows.add(row.getString("entity_type") + ":" + row.getString("entity_id") + "@" + type + "/"
                        + hour.substring(0, 10) + "/" + hour.substring(11));
            }
        }
        return rows;
    }

    Set<String> relations() {
        Set<String> rows = new TreeSet<>();
        for (Row row : session().execute("SELECT * FROM " + bed.name + ".entity_graph")) {
            if (row.getString("kind").equals("link")) {
                rows.add(row.getString("entity_type") + ":" + row.getString("entity_id") + "->"
                        + row.getString("name") + ":" + row.getString("value"));
            }
        }
        return rows;
    }

    List<Long> coverage(String type) {
        List<Long> offsets = new ArrayList<>();
        for (Row row : session().execute("SELECT first_offset FROM " + bed.name + ".index_coverage WHERE event_type = ?",
                type)) {
            offsets.add(row.getLong("first_offset"));
        }
        return offsets;
    }

    CqlSession session() {
        return bed.app.getBean(PrivacyStores.class).requests().session();
    }

    /** The records of the topic the group has committed (fails loudly when the group cannot be read). */
    long committed(String group, String topic) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
                infra.kafkaBootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topic)).mapToLong(e -> e.getValue().offset()).sum();
        }
    }
}
