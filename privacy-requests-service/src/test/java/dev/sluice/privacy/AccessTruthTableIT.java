package dev.sluice.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A truth table for the right of access: a generated lake — 60 users, 100 products, five event types with entities
 * in nested records and arrays, events over 48 hours — sent raw through the real gatekeeper, dedup and datapump; the
 * test computes each user's rows itself from what it sent (the user's events, and the events of the products linked
 * to the user). Ten random users' requests go in one batch, one run of the access job: every export holds exactly
 * the expected rows (recall and precision 100 %), and the job read exactly the partitions the index names.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY, Server.S3, Server.GATEKEEPER, Server.DEDUP,
        Server.DATAPUMP})
class AccessTruthTableIT {

    static final int USERS = 60;
    static final int PRODUCTS = 100;
    static final int HOURS = 48;
    static final Map<String, String> SCHEMAS = Map.of(
            "signup", """
                    {"type": "record", "name": "Signup", "fields": [
                      {"name": "id", "type": "string"},
                      {"name": "user_id", "type": "string", "sluice.entity": "user/id"},
                      {"name": "email", "type": "string", "sluice.tags": ["PII", "contact"]},
                      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "sluice.event_time": true}]}""",
            "listing", """
                    {"type": "record", "name": "Listing", "fields": [
                      {"name": "id", "type": "string", "sluice.entity": "product/id", "sluice.linked_to": "seller_id"},
                      {"name": "seller_id", "type": "string", "sluice.entity": "user/id"},
                      {"name": "title", "type": "string"},
                      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "sluice.event_time": true}]}""",
            "order", """
                    {"type": "record", "name": "Order", "fields": [
                      {"name": "id", "type": "string"},
                      {"name": "buyer_id", "type": "string", "sluice.entity": "user/id"},
                      {"name": "items", "type": {"type": "array", "items": {"type": "record", "name": "Item", "fields": [
                         {"name": "product_id", "type": "string", "sluice.entity": "product/id", "sluice.linked_to": "seller_id"},
                         {"name": "seller_id", "type": "string", "sluice.entity": "user/id"},
                         {"name": "quantity", "type": "int"}]}}},
                      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "sluice.event_time": true}]}""",
            "chat", """
                    {"type": "record", "name": "Chat", "fields": [
                      {"name": "id", "type": "string"},
                      {"name": "sender_id", "type": "string", "sluice.entity": "user/id"},
                      {"name": "receiver_id", "type": "string", "sluice.entity": "user/id", "sluice.linked_to": "sender_id",
                       "sluice.on_erasure": "redact"},
                      {"name": "text", "type": "string", "sluice.tags": ["free_text"]},
                      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "sluice.event_time": true}]}""",
            "review", """
                    {"type": "record", "name": "Review", "fields": [
                      {"name": "id", "type": "string"},
                      {"name": "author", "type": {"type": "record", "name": "Author", "fields": [
                         {"name": "user_id", "type": "string", "sluice.entity": "user/id"},
                         {"name": "nickname", "type": "string", "sluice.tags": ["PII"]}]}},
                      {"name": "product_id", "type": "string", "sluice.entity": "product/id"},
                      {"name": "mentions", "type": {"type": "array", "items": "string"}, "sluice.entity": "user/id"},
                      {"name": "stars", "type": "int"},
                      {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}, "sluice.event_time": true}]}""");

    PrivacyTestbed bed;
    final Map<String, String> types = new TreeMap<>();
    /** Every event sent: its type (full name), id, partition, the entities it mentions. */
    final List<Sent> sent = new ArrayList<>();

    record Sent(String type, String id, String partition, Set<EntityRef> mentions) {
    }

    @BeforeEach
    void setUp(LocalInfra infra) {
        bed = new PrivacyTestbed(infra);
        SchemaRegistryClient registry = SchemaRegistryClient.builder(infra.schemaRegistryUrl())
                .userInfo(infra.schemaRegistryUserInfo()).build();
        SCHEMAS.forEach((type, schema) -> {
            types.put(type, type + "_" + bed.name);
            registry.register(Topics.eventSubject(types.get(type)), new Schema.Parser().parse(schema));
        });
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void tenUsersExportsHoldExactlyTheirRowsFromOneRunReadingOnlyIndexedPartitions() throws Exception {
        Map<String, Object> settings = bed.settings();
        settings.put("sluice.privacy.requests.batch-size", 10);
        settings.put("sluice.privacy.requests.batch-every", "10m"); // the ten make the batch
        bed.start(settings);

        Random random = new Random(20261129);
        String u = bed.id("u") + "-"; // ids of this test's own, then the number
        String pr = bed.id("p") + "-";
        Instant first = LocalDate.now(ZoneOffset.UTC).minusDays(3).atStartOfDay().toInstant(ZoneOffset.UTC);
        List<ObjectNode> events = new ArrayList<>();
        String[] owner = new String[PRODUCTS];
        for (int n = 0; n < USERS; n++) {
            Instant at = at(random, first);
            events.add(event("signup", "s-" + n, at, Set.of(user(u + n)))
                    .put("user_id", u + n).put("email", "user" + n + "@example.com"));
        }
        for (int p = 0; p < PRODUCTS; p++) {
            owner[p] = u + random.nextInt(USERS);
            events.add(event("listing", pr + p, at(random, first), Set.of(user(owner[p]), product(pr + p)))
                    .put("seller_id", owner[p]).put("title", "product " + p));
        }
        for (int o = 0; o < 400; o++) {
            String buyer = u + random.nextInt(USERS);
            Set<EntityRef> mentions = new HashSet<>(Set.of(user(buyer)));
            ObjectNode order = event("order", "o-" + o, at(random, first), mentions).put("buyer_id", buyer);
            ArrayNode items = order.putArray("items");
            for (int i = random.nextInt(3); i >= 0; i--) {
                int p = random.nextInt(PRODUCTS);
                items.addObject().put("product_id", pr + p).put("seller_id", owner[p]).put("quantity", 1 + i);
                mentions.add(product(pr + p));
                mentions.add(user(owner[p]));
            }
            events.add(order);
        }
        for (int c = 0; c < 400; c++) {
            int from = random.nextInt(USERS);
            String sender = u + from;
            String receiver = u + (from + 1 + random.nextInt(USERS - 1)) % USERS; // never the sender
            events.add(event("chat", "c-" + c, at(random, first), Set.of(user(sender), user(receiver)))
                    .put("sender_id", sender).put("receiver_id", receiver).put("text", "hi " + receiver));
        }
        for (int r = 0; r < 300; r++) {
            String author = u + random.nextInt(USERS);
            int p = random.nextInt(PRODUCTS);
            Set<EntityRef> mentions = new HashSet<>(Set.of(user(author), product(pr + p)));
            ObjectNode review = event("review", "r-" + r, at(random, first), mentions).put("product_id", pr + p)
                    .put("stars", 1 + random.nextInt(5));
            review.putObject("author").put("user_id", author).put("nickname", "nick-" + author);
            ArrayNode mentioned = review.putArray("mentions");
            for (int m = random.nextInt(3); m > 0; m--) {
                String other = u + random.nextInt(USERS);
                mentioned.add(other);
                mentions.add(user(other));
            }
            events.add(review);
        }
        bed.sendRaw(events.stream().map(data -> (JsonNode) PrivacyTestbed.JSON.createObjectNode().set("data", data))
                .toList());
        assertThat(new TreeSet<>(sent.stream().map(Sent::partition).toList()).size()).isGreaterThan(200);

        // ten users; each one's scope: the user and the products linked to them (listed or sold by them)
        List<String> chosen = new ArrayList<>();
        while (chosen.size() < 10) {
            String user = u + random.nextInt(USERS);
            if (!chosen.contains(user)) {
                chosen.add(user);
            }
        }
        Map<String, Set<String>> expectedPartitions = new LinkedHashMap<>();
        Map<String, Map<String, Set<String>>> expectedRows = new LinkedHashMap<>();
        for (String user : chosen) {
            Set<EntityRef> scope = new HashSet<>(Set.of(user(user)));
            for (int p = 0; p < PRODUCTS; p++) {
                if (owner[p].equals(user)) {
                    scope.add(product(pr + p));
                }
            }
            Map<String, Set<String>> rows = new TreeMap<>();
            Set<String> partitions = new TreeSet<>();
            for (Sent event : sent) {
                if (event.mentions().stream().anyMatch(scope::contains)) {
                    rows.computeIfAbsent(event.type(), t -> new TreeSet<>()).add(event.id());
                    partitions.add(event.partition());
                }
            }
            expectedRows.put(user, rows);
            expectedPartitions.put(user, partitions);
        }
        Set<String> needed = new TreeSet<>();
        expectedPartitions.values().forEach(needed::addAll);
        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(5)).until(() ->
                needed.stream().allMatch(bed::dumped));
        PrivacyStores stores = bed.app.getBean(PrivacyStores.class);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> chosen.stream()
                .allMatch(user -> indexed(stores, user).containsAll(direct(user))));

        Map<String, String> requests = new LinkedHashMap<>();
        for (String user : chosen) {
            requests.put(user, bed.file("ACCESS", user, 201).path("id").asString());
        }
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(3)).until(() -> {
            for (String id : requests.values()) {
                String status = bed.call("GET", "/requests/" + id, null, 200).path("status").asString();
                assertThat(status).isNotEqualTo("FAILED");
                if (!status.equals("COMPLETED")) {
                    return false;
                }
            }
            return true;
        });

        for (String user : chosen) {
            Map<String, byte[]> zip = bed.export(requests.get(user));
            Map<String, Set<String>> exported = new TreeMap<>();
            zip.forEach((name, content) -> {
                if (name.startsWith("events/")) {
                    String type = name.substring("events/".length(), name.length() - ".jsonl".length());
                    for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
                        exported.computeIfAbsent(type, t -> new TreeSet<>())
                                .add(PrivacyTestbed.JSON.readTree(line).path("id").asString());
                    }
                }
            });
            assertThat(exported).as("the export of " + user).isEqualTo(expectedRows.get(user));
            JsonNode manifest = PrivacyTestbed.JSON.readTree(zip.get("manifest.json"));
            assertThat(PrivacyTestbed.scannedTypes(manifest)).doesNotContainAnyElementsOf(types.values());
            assertThat(PrivacyTestbed.indexedSources(manifest)).as("the partitions read for " + user)
                    .containsExactlyInAnyOrderElementsOf(expectedPartitions.get(user));
        }
        // one run served the ten
        List<JsonNode> runs = bed.call("GET", "/runs", null, 200).valueStream().toList();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).path("tasks").size()).isEqualTo(10);
        assertThat(runs.get(0).path("state").asString()).isEqualTo("SUCCEEDED");
    }

    /** The partitions of the events that name the user themself. */
    Set<String> direct(String user) {
        Set<String> partitions = new TreeSet<>();
        sent.stream().filter(event -> event.mentions().contains(user(user))).forEach(event -> partitions.add(event.partition()));
        return partitions;
    }

    static Set<String> indexed(PrivacyStores stores, String user) {
        Set<String> partitions = new TreeSet<>();
        stores.index().partitions(user(user)).values().forEach(hours -> hours.forEach(hour -> partitions.add(hour.key())));
        return partitions;
    }

    ObjectNode event(String type, String id, Instant at, Set<EntityRef> mentions) {
        String full = types.get(type);
        sent.add(new Sent(full, id, full + "/" + at.atOffset(ZoneOffset.UTC).toLocalDate() + "/"
                + String.format("%02d", at.atOffset(ZoneOffset.UTC).getHour()), mentions));
        return PrivacyTestbed.JSON.createObjectNode().put("type", full).put("id", id).put("at", at.toString());
    }

    static Instant at(Random random, Instant first) {
        return first.plus(random.nextInt(HOURS * 60), ChronoUnit.MINUTES);
    }

    static EntityRef user(String id) {
        return new EntityRef("user/id", id);
    }

    static EntityRef product(String id) {
        return new EntityRef("product/id", id);
    }
}
