package dev.sluice.privacy;

import static dev.sluice.privacy.TalkStory.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The talk's erasure through the whole path: luke is erased. His messages and account events are gone, his products'
 * creation events too (the owner is their first subject field), their price changes (which name only the product)
 * stay, han's message to luke stays with luke's id set to null, and everything else of han's is as it was — han's
 * access export before and after. What was removed or changed is in the legal-hold bucket, and the report's
 * verification counted 0 everywhere. Then luke's original events are replayed through {@code events.raw}: nothing
 * lands, nothing is indexed, nothing reaches tier zero.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY, Server.S3, Server.GATEKEEPER, Server.DEDUP,
        Server.DATAPUMP})
class ErasureIT {

    LocalInfra infra;
    PrivacyTestbed bed;
    TalkStory story;

    @BeforeEach
    void setUp(LocalInfra infra) throws Exception {
        this.infra = infra;
        bed = new PrivacyTestbed(infra);
        story = new TalkStory(bed, infra);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void lukeIsErasedHansMessageToHimStaysWithoutHimAndHisReplayedEventsLandNowhere() throws Exception {
        var app = bed.start(bed.settings());
        String luke = story.luke;
        String han = story.han;
        String c1 = UUID.randomUUID().toString();
        String c2 = UUID.randomUUID().toString();
        Instant h10 = TalkStory.DAY.atTime(10, 0).toInstant(ZoneOffset.UTC);
        Instant h11 = h10.plusSeconds(3600);
        Instant h12 = h11.plusSeconds(3600);
        Instant h13 = h12.plusSeconds(3600);
        List<ObjectNode> lukes = List.of(story.account("a-luke-1", luke, h10), story.account("a-luke-2", luke, h12),
                story.product(story.pLuke1, luke, h10), story.product(story.pLuke2, luke, h11),
                story.message("m-1", luke, han, c1, h10), story.message("m-2", han, luke, c1, h11),
                story.message("m-5", luke, han, c1, h13));
        bed.sendRaw(lukes);
        bed.sendRaw(List.of(story.account("a-han-1", han, h10), story.product(story.pHan1, han, h11),
                story.price("pc-1", story.pLuke1, h11), story.price("pc-2", story.pHan1, h12),
                story.price("pc-3", story.pLuke1, h13), story.message("m-3", han, story.leia, c2, h12),
                story.message("m-4", story.leia, han, c2, h13)));
        Set<String> partitions = story.sent.stream().map(story::partition).collect(Collectors.toSet());
        PrivacyStores stores = app.getBean(PrivacyStores.class);
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() ->
                partitions.stream().allMatch(bed::dumped));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() -> stores.isOpen()
                && stores.index().partitions(user(luke)).values().stream().mapToInt(List::size).sum() >= 6
                && stores.index().linked(new EntityRef("product/id", story.pLuke1)).contains(user(luke)));
        Map<String, Map<String, JsonNode>> hanBefore = export(han);
        assertThat(hanBefore.get(story.types.get("message_sent")).keySet()).containsExactlyInAnyOrder("m-1", "m-2",
                "m-3", "m-4", "m-5");

        String id = bed.file("ERASURE", luke, 201).path("id").asString();
        bed.file("ERASURE", luke, 409);
        JsonNode done = completed(id, Duration.ofMinutes(8));
        assertThat(done.path("steps").propertyNames()).containsExactlyInAnyOrder("forget", "scope", "tier-zero",
                "downstream", "verify");
        bed.call("POST", "/requests/" + id + "/cancel", null, 409);

        // the report: what each store lost, and a verification that found nothing
        JsonNode report = bed.call("GET", "/requests/" + id + "/report", null, 200);
        assertThat(report.path("verification").path("result").asString()).isEqualTo("passed");
        report.path("verification").path("counts").properties().forEach(count ->
                assertThat(count.getValue().asLong()).as(count.getKey()).isZero());
        assertThat(report.path("verification").path("counts").has("tier-zero")).isTrue();
        assertThat(report.path("verification").path("counts").has("landing")).isTrue();
        // removed: luke's 2 account events, his 2 products' creation, his 2 messages; redacted: han's message to him
        assertThat(report.path("tier_zero").path("rows_removed").asLong()).isEqualTo(6);
        assertThat(report.path("tier_zero").path("rows_redacted").asLong()).isEqualTo(1);
        assertThat(report.path("legal_hold").path("rows").asLong()).isEqualTo(7);
        assertThat(report.path("index").path("entries_deleted").asLong()).isGreaterThanOrEqualTo(6);
        assertThat(report.path("relations").path("deleted").asLong()).isGreaterThanOrEqualTo(3);

        // the legal-hold copy, beside the lake: a manifest and the rows as they were
        try (S3Client s3 = bed.s3()) {
            List<String> held = s3.listObjectsV2(r -> r.bucket(bed.legalHoldBucket).prefix(id + "/")).contents().stream()
                    .map(o -> o.key()).toList();
            assertThat(held).contains(id + "/manifest.json");
            assertThat(held.stream().filter(k -> k.endsWith(".parquet")).count()).isEqualTo(3); // messages, accounts, products
            JsonNode manifest = TalkStory.JSON.readTree(s3.getObjectAsBytes(r -> r.bucket(bed.legalHoldBucket)
                    .key(id + "/manifest.json")).asByteArray());
            assertThat(manifest.path("rows").asLong()).isEqualTo(7);
        }

        // han's data: as before, but luke's messages to him are gone and his message to luke no longer names luke
        Map<String, Map<String, JsonNode>> hanAfter = export(han);
        Map<String, Map<String, JsonNode>> expected = new TreeMap<>();
        hanBefore.forEach((type, rows) -> expected.put(type, new TreeMap<>(rows)));
        Map<String, JsonNode> messages = expected.get(story.types.get("message_sent"));
        messages.remove("m-1");
        messages.remove("m-5");
        ((ObjectNode) messages.get("m-2")).remove("receiver_id"); // null, which the export leaves out
        assertThat(hanAfter).isEqualTo(expected);
        // luke's products: their creation went with him, their price changes (no person in them) stay
        Map<String, Map<String, JsonNode>> product = export("product/id", story.pLuke1);
        assertThat(product.keySet()).containsExactly(story.types.get("product_price_changed"));
        assertThat(product.get(story.types.get("product_price_changed")).keySet()).containsExactlyInAnyOrder("pc-1", "pc-3");
        // and luke himself: nothing is found any more
        assertThat(export(luke)).isEmpty();
        assertThat(stores.index().partitions(user(luke))).isEmpty();
        assertThat(stores.index().linked(new EntityRef("product/id", story.pLuke1))).doesNotContain(user(luke));

        // replayed: luke's original events land nowhere, are indexed nowhere, reach no partition
        bed.sendRaw(lukes);
        bed.sendRaw(List.of(story.account("a-han-2", han, h13))); // han's still land
        awaitConsumed(List.of("dedup", bed.name));
        String hanAccountHour = story.types.get("account_updated") + "/" + TalkStory.DAY + "/13";
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> bed.dumped(hanAccountHour));
        assertThat(landedIds(stores.requests().session())).contains("a-han-2")
                .doesNotContain("a-luke-1", "a-luke-2", story.pLuke1, story.pLuke2, "m-1", "m-2", "m-5");
        assertThat(stores.index().partitions(user(luke))).isEmpty();
        Map<String, Map<String, JsonNode>> hanLast = export(han);
        assertThat(hanLast.get(story.types.get("account_updated"))).containsKey("a-han-2");
        hanLast.get(story.types.get("account_updated")).remove("a-han-2");
        assertThat(hanLast).isEqualTo(expected);
    }

    /** Waits for the request to complete (fails at once if it fails); the request. */
    JsonNode completed(String id, Duration within) {
        await().atMost(within).pollInterval(Duration.ofSeconds(2)).until(() -> {
            JsonNode request = bed.call("GET", "/requests/" + id, null, 200);
            assertThat(request.path("status").asString()).as(request.toString()).isNotEqualTo("FAILED");
            return request.path("status").asString().equals("COMPLETED");
        });
        try {
            return bed.call("GET", "/requests/" + id, null, 200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, Map<String, JsonNode>> export(String user) throws Exception {
        return export("user/id", user);
    }

    /** An access export of the entity, by event type and event id. */
    Map<String, Map<String, JsonNode>> export(String entityType, String entity) throws Exception {
        String id = bed.call("POST", "/requests", Map.of("type", "ACCESS", "subject", Map.of("entity_type", entityType,
                "id", entity)), 201).path("id").asString();
        completed(id, Duration.ofMinutes(4));
        Map<String, Map<String, JsonNode>> rows = new TreeMap<>();
        for (Map.Entry<String, byte[]> entry : bed.export(id).entrySet()) {
            if (entry.getKey().startsWith("events/")) {
                String type = entry.getKey().substring("events/".length(), entry.getKey().length() - ".jsonl".length());
                for (String line : new String(entry.getValue(), StandardCharsets.UTF_8).split("\n")) {
                    JsonNode row = TalkStory.JSON.readTree(line);
                    rows.computeIfAbsent(type, t -> new TreeMap<>()).put(row.path("id").asString(), row);
                }
            }
        }
        return rows;
    }

    /** The event ids in landing for the story's types and hours (read here, not through the service). */
    Set<String> landedIds(CqlSession session) {
        Set<String> ids = new HashSet<>();
        for (String type : story.types.values()) {
            for (int hour = 10; hour <= 13; hour++) {
                for (Row row : session.execute("SELECT event_id FROM sluice.landing WHERE event_type = ? AND hour = ?",
                        type, TalkStory.DAY.atTime(hour, 0).toInstant(ZoneOffset.UTC))) {
                    ids.add(row.getString(0));
                }
            }
        }
        return ids;
    }

    /** Until the consumer groups have committed everything on the story's valid topics. */
    void awaitConsumed(List<String> groups) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                for (String type : story.types.values()) {
                    admin.describeTopics(List.of(Topics.valid(type))).allTopicNames().get().values()
                            .forEach(t -> t.partitions().forEach(p -> latest.put(new TopicPartition(t.name(),
                                    p.partition()), OffsetSpec.latest())));
                }
                var ends = admin.listOffsets(latest).all().get();
                for (String group : groups) {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get();
                    for (var end : ends.entrySet()) {
                        OffsetAndMetadata at = committed.get(end.getKey());
                        // the gatekeeper writes in transactions: a partition's log ends with a commit marker, which
                        // no consumer commits past
                        if (end.getValue().offset() > 0 && (at == null || at.offset() < end.getValue().offset() - 1)) {
                            return false;
                        }
                    }
                }
                return true;
            });
        }
    }
}
