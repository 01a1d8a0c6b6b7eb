package dev.sluice.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.hashing.ReservoirKeys;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import dev.sluice.spring.jobs.JobLauncher;
import dev.sluice.spring.jobs.RunningJob;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
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
        Server.DATAPUMP, Server.GOVERNANCE})
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
    void tenUsersExportsHoldExactlyTheirRowsThenFiveErasedLeaveNoTraceInAnyStore() throws Exception {
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

        eraseFiveOfThem(settings, chosen.subList(0, 5), requests);
    }

    /**
     * Five of the ten are erased, from a lake that also feeds a reservoir hashing every person's id. Then a scan that
     * is not the service's — lake-jobs' {@code PartitionRows}, parquet-avro on every current partition — finds none of
     * their ids in tier zero, in clear or hashed in the reservoir; landing's payloads, the index and the relations
     * hold none; their earlier access exports are gone; and every other user owns as many rows as before.
     */
    void eraseFiveOfThem(Map<String, Object> settings, List<String> erased, Map<String, String> exports)
            throws Exception {
        LocalInfra infra = bed.infra;
        String reservoir = "r_" + bed.name;
        governance("POST", "/reservoirs", Map.of("name", reservoir, "owning_team", "team-" + bed.name, "members",
                List.of("analyst"), "retention_days", 30, "event_types", new ArrayList<>(types.values())), "admin");
        // every field that names a person, hashed (a grant per field, each approved by the DPO)
        for (String[] field : new String[][] {{"signup", "user_id"}, {"listing", "seller_id"}, {"order", "buyer_id"},
                {"order", "items.seller_id"}, {"chat", "sender_id"}, {"chat", "receiver_id"}, {"review", "author.user_id"},
                {"review", "mentions"}}) {
            JsonNode grant = governance("POST", "/reservoirs/" + reservoir + "/grants", Map.of("selector", Map.of("kind",
                    "field", "event_type", types.get(field[0]), "path", field[1]), "action", "HASH", "purpose",
                    "the erasure truth table", "expires_at", Instant.now().plus(Duration.ofDays(30)).toString()), "analyst");
            governance("POST", "/grants/" + grant.path("id").asString() + "/approve", Map.of(), "dpo");
        }
        await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(5)).until(() -> types.values().stream()
                .allMatch(type -> pointers("tier1/" + reservoir + "/events/" + type + "/") == pointers("tier0/events/"
                        + type + "/")));
        ReservoirKeys keys = new ReservoirKeys(infra.masterKey());
        Map<String, String> hashed = new LinkedHashMap<>();
        erased.forEach(user -> hashed.put(user, keys.hasher(reservoir, 1).hash(user)));

        List<String> tierZeroBefore = scan("s3a://sluice-lake/tier0");
        List<String> reservoirBefore = scan("s3a://sluice-lake/tier1/" + reservoir);
        Map<String, Long> ownedBefore = owners(tierZeroBefore);
        for (String user : erased) { // the scan sees them before: it is not blind
            assertThat(tierZeroBefore).anyMatch(line -> line.contains("\"" + user + "\""));
            assertThat(reservoirBefore).anyMatch(line -> line.contains(hashed.get(user)));
        }
        PrivacyStores stores = bed.app.getBean(PrivacyStores.class);
        Map<String, Long> landingBefore = landing(stores, erased);
        assertThat(landingBefore.values().stream().mapToLong(Long::longValue).sum()).isPositive();

        bed.stop(); // five make a batch now
        settings.put("sluice.privacy.requests.batch-size", 5);
        bed.start(settings);
        Map<String, String> requests = new LinkedHashMap<>();
        for (String user : erased) {
            requests.put(user, bed.file("ERASURE", user, 201).path("id").asString());
        }
        await().atMost(Duration.ofMinutes(12)).pollInterval(Duration.ofSeconds(5)).until(() -> {
            for (String id : requests.values()) {
                JsonNode request = bed.call("GET", "/requests/" + id, null, 200);
                assertThat(request.path("status").asString()).as(request.toString()).isNotEqualTo("FAILED");
                if (!request.path("status").asString().equals("COMPLETED")) {
                    return false;
                }
            }
            return true;
        });

        List<String> tierZero = scan("s3a://sluice-lake/tier0");
        List<String> reservoirRows = scan("s3a://sluice-lake/tier1/" + reservoir);
        for (String user : erased) {
            assertThat(tierZero).as("tier zero holds " + user).noneMatch(line -> line.contains("\"" + user + "\""));
            assertThat(reservoirRows).as("the reservoir holds " + user).noneMatch(line -> line.contains("\"" + user + "\"")
                    || line.contains(hashed.get(user)));
        }
        Map<String, Long> owned = owners(tierZero);
        Map<String, Long> expected = new TreeMap<>(ownedBefore);
        erased.forEach(expected::remove);
        assertThat(owned).isEqualTo(expected);
        assertThat(landing(stores, erased).values()).allMatch(count -> count == 0);
        for (String user : erased) {
            assertThat(stores.index().partitions(user(user))).isEmpty();
            assertThat(stores.index().linked(user(user))).isEmpty();
            assertThat(bed.call("GET", "/requests/" + requests.get(user) + "/report", null, 200).path("verification")
                    .path("result").asString()).isEqualTo("passed");
            String export = bed.call("GET", "/requests/" + exports.get(user), null, 200).path("export_key").asString();
            try (S3Client s3 = bed.s3()) {
                assertThat(s3.listObjectsV2(r -> r.bucket(bed.exportsBucket).prefix(export)).contents())
                        .as("the earlier export of " + user).isEmpty();
            }
        }
    }

    /** The pointers (current partitions) under a prefix of the lake's bucket. */
    int pointers(String prefix) {
        try (S3Client s3 = bed.s3()) {
            return (int) s3.listObjectsV2Paginator(r -> r.bucket("sluice-lake").prefix(prefix)).contents().stream()
                    .filter(object -> object.key().endsWith("/_current")).count();
        }
    }

    /** Every current row of the test's types under a root, as lake-jobs' PartitionRows prints them. */
    List<String> scan(String root) throws Exception {
        JobLauncher launcher = new JobLauncher(bed.app.getBean(PrivacyProperties.class).job().toLaunchSettings());
        String run = "scan-" + UUID.randomUUID();
        List<String> arguments = List.of("--root", root, "--type", String.join(",", types.values()), "--limit",
                "100000000");
        RunningJob job = launcher.start(run, "dev.sluice.lake.PartitionRows", arguments, arguments, Instant.now());
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() ->
                job.poll(Instant.now()).map(outcome -> {
                    assertThat(outcome.error()).isNull();
                    return true;
                }).orElse(false));
        return Files.readAllLines(launcher.log(run)).stream().filter(line -> line.contains("\t{\"")).toList();
    }

    /** How many tier-zero rows each user owns (names in the field an erasure drops the event by). */
    Map<String, Long> owners(List<String> rows) {
        Map<String, java.util.regex.Pattern> owner = Map.of(types.get("signup"), java.util.regex.Pattern.compile(
                "\"user_id\": \"([^\"]+)\""), types.get("listing"), java.util.regex.Pattern.compile(
                "\"seller_id\": \"([^\"]+)\""), types.get("order"), java.util.regex.Pattern.compile(
                "\"buyer_id\": \"([^\"]+)\""), types.get("chat"), java.util.regex.Pattern.compile(
                "\"sender_id\": \"([^\"]+)\""), types.get("review"), java.util.regex.Pattern.compile(
                "\"author\": \\{\"user_id\": \"([^\"]+)\""));
        Map<String, Long> owned = new TreeMap<>();
        for (String line : rows) {
            String type = line.substring(0, line.indexOf('\t'));
            java.util.regex.Matcher matcher = owner.get(type).matcher(line);
            assertThat(matcher.find()).as(line).isTrue();
            owned.merge(matcher.group(1), 1L, Long::sum);
        }
        return owned;
    }

    /** Per user, the landing rows of the test's types whose payload holds the id (as Avro writes a string). */
    Map<String, Long> landing(PrivacyStores stores, List<String> users) {
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        for (String user : users) {
            byte[] text = user.getBytes(StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            long zigzag = (long) text.length << 1;
            while ((zigzag & ~0x7FL) != 0) {
                bytes.write((int) ((zigzag & 0x7F) | 0x80));
                zigzag >>>= 7;
            }
            bytes.write((int) zigzag);
            bytes.writeBytes(text);
            encoded.put(user, bytes.toByteArray());
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        users.forEach(user -> counts.put(user, 0L));
        Set<Instant> hours = new TreeSet<>();
        sent.forEach(event -> {
            String[] parts = event.partition().split("/");
            hours.add(LocalDate.parse(parts[1]).atTime(Integer.parseInt(parts[2]), 0).toInstant(ZoneOffset.UTC));
        });
        for (String type : types.values()) {
            for (Instant hour : hours) {
                for (com.datastax.oss.driver.api.core.cql.Row row : stores.requests().session().execute(
                        "SELECT payload FROM sluice.landing WHERE event_type = ? AND hour = ?", type, hour)) {
                    byte[] payload = new byte[row.getByteBuffer(0).remaining()];
                    row.getByteBuffer(0).duplicate().get(payload);
                    encoded.forEach((user, needle) -> {
                        if (contains(payload, needle)) {
                            counts.merge(user, 1L, Long::sum);
                        }
                    });
                }
            }
        }
        return counts;
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    JsonNode governance(String method, String path, Object body, String user) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(bed.infra.governanceUrl() + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":sluice-local")
                        .getBytes(StandardCharsets.UTF_8)))
                .method(method, HttpRequest.BodyPublishers.ofString(PrivacyTestbed.JSON.writeValueAsString(body))).build();
        HttpResponse<String> response = bed.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode() / 100).as(method + " " + path + ": " + response.body()).isEqualTo(2);
        return PrivacyTestbed.JSON.readTree(response.body());
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
