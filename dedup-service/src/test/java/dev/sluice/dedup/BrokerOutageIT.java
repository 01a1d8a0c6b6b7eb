package dev.sluice.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The broker away for longer than every client timeout (100 s: the producers' 60 s block and request timeouts, the
 * consumers' session, the gatekeeper's 15 s transactions), with the gatekeeper and the dedup service running from
 * their jars, events in flight before, during and after: both resume by themselves and every event is on its topic
 * and in the landing table exactly once, counted here from the topics and the table, not from the services.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY, Server.GATEKEEPER, Server.DEDUP})
class BrokerOutageIT {

    static final Duration OUTAGE = Duration.ofSeconds(100);
    static final int PER_PHASE = 3000;
    static final Instant HOUR = Instant.parse("2026-11-21T08:00:00Z");
    static final JsonMapper JSON = JsonMapper.builder().build();

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aBrokerAwayForLongerThanEveryTimeoutLosesAndDuplicatesNothing(LocalInfra infra) throws Exception {
        String type = "outage_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Schema schema = new Schema.Parser().parse("""
                {"type": "record", "name": "Clicked", "namespace": "com.example", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "sluice.event_time": true}]}""");
        SchemaRegistryClient.builder(infra.schemaRegistryUrl()).userInfo(infra.schemaRegistryUserInfo()).build()
                .register("events.valid." + type + "-value", schema);
        Map<String, String> endpoints = infra.environment();
        List<String> services = List.of(endpoints.get("GATEKEEPER_URL"), endpoints.get("DEDUP_URL"));

        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        // long enough to wait out the outage: the events sent during it are delivered after it
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 300_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        List<Future<?>> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            send(producer, type, 0, sent);
            await().atMost(Duration.ofMinutes(3)).until(() -> landed(infra, type).size() >= PER_PHASE * 9 / 10);

            java.util.concurrent.CompletableFuture<Void> duringOutage;
            try (LocalInfra.Outage outage = infra.outage(Server.KAFKA)) {
                // sent while the broker is away, from another thread: send() itself blocks while the producer has no
                // metadata of the topic (which it may drop when the broker goes), and the outage must end meanwhile
                duringOutage = java.util.concurrent.CompletableFuture.runAsync(() -> send(producer, type, 1, sent));
                // longer than every client timeout, and neither service dies meanwhile
                await().during(OUTAGE).atMost(OUTAGE.plusSeconds(20)).pollInterval(Duration.ofSeconds(5))
                        .until(() -> services.stream().allMatch(url -> status(url + "/actuator/health/liveness") == 200));
            }
            duringOutage.get(5, TimeUnit.MINUTES);
            send(producer, type, 2, sent);
            for (Future<?> future : sent) {
                future.get(5, TimeUnit.MINUTES);
            }
        }

        int validEvents = 3 * PER_PHASE * 9 / 10;
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(2))
                .until(() -> landed(infra, type).size() >= validEvents);
        services.forEach(url -> await().atMost(Duration.ofMinutes(2))
                .until(() -> status(url + "/actuator/health/readiness") == 200));

        // the topics: each valid event once on its valid topic, each invalid one once on the rejected topic
        List<ConsumerRecord<byte[], byte[]>> valid = readAll(infra, "events.valid." + type, validEvents);
        Set<String> validIds = new HashSet<>();
        valid.forEach(record -> assertThat(validIds.add(new String(record.key(), StandardCharsets.UTF_8)))
                .as("valid event %s once", new String(record.key(), StandardCharsets.UTF_8)).isTrue());
        assertThat(validIds).hasSize(validEvents);
        List<ConsumerRecord<byte[], byte[]>> rejected = readAll(infra, "events.rejected", -1);
        Set<String> rejectedIds = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : rejected) {
            JsonNode rejection = JSON.readTree(record.value());
            String original = rejection.path("original").asString("");
            if (original.contains(type)) {
                String id = JSON.readTree(original).path("data").path("id").asString();
                assertThat(rejectedIds.add(id)).as("rejection of %s once", id).isTrue();
            }
        }
        assertThat(rejectedIds).hasSize(3 * PER_PHASE / 10);
        // the table: every valid event, and nothing else
        Map<String, Integer> rows = landed(infra, type);
        assertThat(rows.keySet()).isEqualTo(validIds);
        assertThat(rows.values()).allMatch(n -> n == 1);
    }

    /** Phase {@code phase}'s events: nine in ten valid, one in ten with a field of the wrong type. */
    static void send(KafkaProducer<byte[], byte[]> producer, String type, int phase, List<Future<?>> sent) {
        for (int i = 0; i < PER_PHASE; i++) {
            int n = phase * PER_PHASE + i;
            String at = i % 10 == 9 ? "\"yesterday\"" : Long.toString(HOUR.toEpochMilli() + n);
            String event = "{\"data\": {\"type\": \"" + type + "\", \"id\": \"o-" + n + "\", \"at\": " + at + "}}";
            sent.add(producer.send(new ProducerRecord<>("events.raw", event.getBytes(StandardCharsets.UTF_8))));
        }
    }

    /** Event id -> rows in the landing table (the services' own keyspace). */
    static Map<String, Integer> landed(LocalInfra infra, String type) {
        Map<String, Integer> rows = new HashMap<>();
        try (var cql = com.datastax.oss.driver.api.core.CqlSession.builder()
                .addContactPoint(new java.net.InetSocketAddress(infra.cassandraContactPoint().split(":")[0],
                        Integer.parseInt(infra.cassandraContactPoint().split(":")[1])))
                .withLocalDatacenter(infra.cassandraLocalDatacenter()).build()) {
            for (Row row : cql.execute(SimpleStatement.newInstance("SELECT event_id FROM sluice.landing WHERE "
                    + "event_type = ? AND hour = ?", type, HOUR))) {
                rows.merge(row.getString("event_id"), 1, Integer::sum);
            }
        }
        return rows;
    }

    /** Every record of a topic, read_committed, until {@code expected} (or, with -1, until it stays quiet). */
    static List<ConsumerRecord<byte[], byte[]>> readAll(LocalInfra infra, String topic, int expected) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            int quiet = 0;
            while (System.nanoTime() < deadline && (expected < 0 ? quiet < 6 : records.size() < expected)) {
                var polled = consumer.poll(Duration.ofMillis(500));
                quiet = polled.isEmpty() ? quiet + 1 : 0;
                polled.forEach(records::add);
            }
            // anything beyond the expected count would be a duplicate: look a little longer
            consumer.poll(Duration.ofSeconds(2)).forEach(records::add);
        }
        return records;
    }

    int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
