package dev.sluice.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.sluice.privacy.TalkStory.user;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.privacy.EntityRef;
import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.core.topics.Topics;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The talk's example through the whole path: luke and han exchange messages, luke creates products whose prices
 * change, han has his own; raw JSON on {@code events.raw}, the real gatekeeper, dedup and datapump from their jars
 * (tier zero in the S3 server), the privacy-requests service here with the real access job in a child JVM. luke's
 * access export holds exactly his messages (sent and received), his account events and his products' events — and
 * the job read exactly the partitions the index names.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY, Server.S3, Server.GATEKEEPER, Server.DEDUP,
        Server.DATAPUMP})
class AccessRequestIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final LocalDate DAY = TalkStory.DAY;

    LocalInfra infra;
    PrivacyTestbed bed;
    TalkStory story;
    String luke;
    String han;
    String leia;
    String pLuke1;
    String pLuke2;
    String pHan1;
    Map<String, String> types;
    List<TalkStory.Sent> sent;
    ConfigurableApplicationContext app;

    @BeforeEach
    void setUp(LocalInfra infra) throws IOException {
        this.infra = infra;
        bed = new PrivacyTestbed(infra);
        story = new TalkStory(bed, infra);
        luke = story.luke;
        han = story.han;
        leia = story.leia;
        pLuke1 = story.pLuke1;
        pLuke2 = story.pLuke2;
        pHan1 = story.pHan1;
        types = story.types;
        sent = story.sent;
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void lukesExportHoldsExactlyHisMessagesAccountAndProductsReadFromTheIndexedPartitionsOnly() throws Exception {
        app = bed.start(bed.settings());
        String c1 = UUID.randomUUID().toString(); // luke and han
        String c2 = UUID.randomUUID().toString(); // han and leia
        Instant h10 = DAY.atTime(10, 0).toInstant(ZoneOffset.UTC);
        Instant h11 = h10.plusSeconds(3600);
        Instant h12 = h11.plusSeconds(3600);
        Instant h13 = h12.plusSeconds(3600);
        bed.sendRaw(List.of(
                story.account("a-luke-1", luke, h10), story.account("a-han-1", han, h10),
                story.account("a-luke-2", luke, h12), story.product(pLuke1, luke, h10), story.product(pHan1, han, h11),
                story.product(pLuke2, luke, h11), story.price("pc-1", pLuke1, h11), story.price("pc-2", pHan1, h12),
                story.price("pc-3", pLuke1, h13), story.message("m-1", luke, han, c1, h10),
                story.message("m-2", han, luke, c1, h11), story.message("m-3", han, leia, c2, h12),
                story.message("m-4", leia, han, c2, h13), story.message("m-5", luke, han, c1, h13)));

        // luke, his products and his conversation (things linked to him), never han or leia (people)
        Set<EntityRef> scope = Set.of(user(luke), new EntityRef("product/id", pLuke1),
                new EntityRef("product/id", pLuke2), new EntityRef("conversation/id", c1));
        Map<String, Set<String>> expectedIds = new TreeMap<>();
        Set<String> expectedPartitions = new TreeSet<>();
        for (TalkStory.Sent event : sent) {
            if (event.mentions().stream().anyMatch(scope::contains)) {
                expectedIds.computeIfAbsent(types.get(event.type()), t -> new TreeSet<>()).add(event.id());
                expectedPartitions.add(story.partition(event));
            }
        }
        assertThat(expectedIds.get(types.get("message_sent"))).containsExactly("m-1", "m-2", "m-5");
        assertThat(expectedIds.get(types.get("product_price_changed"))).containsExactly("pc-1", "pc-3");

        // tier zero has every hour (the datapump), the index every entity (this service)
        PrivacyStores stores = app.getBean(PrivacyStores.class);
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> expectedPartitions.stream()
                .allMatch(bed::dumped));
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() -> stores.isOpen()
                && stores.index().partitions(user(luke)).values().stream().mapToInt(List::size).sum() >= 6
                && stores.index().linked(user(luke)).containsAll(scope.stream().filter(e -> !e.equals(user(luke))).toList()));

        JsonNode filed = call("POST", "/requests", Map.of("type", "ACCESS", "subject", Map.of("entity_type", "user/id",
                "id", luke), "reference", "ticket-42"), 201);
        String id = filed.path("id").asString();
        assertThat(filed.path("status").asString()).isEqualTo("QUEUED");
        assertThat(Instant.parse(filed.path("deadline").asString())).isEqualTo(Instant.parse(filed.path("received")
                .asString()).atOffset(ZoneOffset.UTC).plusMonths(1).toInstant());
        // a second open request of the same type for the same subject is refused, naming the open one
        assertThat(call("POST", "/requests", Map.of("type", "ACCESS", "subject", Map.of("entity_type", "user/id",
                "id", luke)), 409).path("detail").asString()).contains(id);

        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            String status = call("GET", "/requests/" + id, null, 200).path("status").asString();
            assertThat(status).isNotEqualTo("FAILED");
            return status.equals("COMPLETED");
        });
        JsonNode done = call("GET", "/requests/" + id, null, 200);
        assertThat(done.path("steps").path("scope").asString()).contains("4 entities");
        assertThat(done.path("step_times").has("export")).isTrue();
        assertThat(done.path("history").findValuesAsString("to")).containsExactly("RECEIVED", "QUEUED", "RUNNING",
                "COMPLETED");

        // the zip, downloaded through the pre-signed link
        Map<String, byte[]> zip = bed.export(id);
        Map<String, Set<String>> exported = new TreeMap<>();
        for (Map.Entry<String, byte[]> entry : zip.entrySet()) {
            if (entry.getKey().startsWith("events/")) {
                String type = entry.getKey().substring("events/".length(), entry.getKey().length() - ".jsonl".length());
                for (String line : new String(entry.getValue(), StandardCharsets.UTF_8).split("\n")) {
                    JsonNode row = JSON.readTree(line);
                    assertThat(row.has("_sluice_event_id")).isFalse();
                    exported.computeIfAbsent(type, t -> new TreeSet<>()).add(row.path("id").asString());
                }
            }
        }
        assertThat(exported).isEqualTo(expectedIds);
        JsonNode manifest = JSON.readTree(zip.get("manifest.json"));
        assertThat(manifest.path("subject").path("id").asString()).isEqualTo(luke);
        assertThat(manifest.path("reference").asString()).isEqualTo("ticket-42");
        assertThat(manifest.path("linked_entities").findValuesAsString("id")).containsExactlyInAnyOrder(pLuke1,
                pLuke2, c1);
        assertThat(manifest.path("categories").valueStream().map(JsonNode::asString).toList()).contains("PII", "contact");
        assertThat(manifest.path("retention").size()).isGreaterThan(0);
        // the job read exactly the partitions the index names for luke's scope
        assertThat(PrivacyTestbed.scannedTypes(manifest)).doesNotContainAnyElementsOf(types.values());
        assertThat(PrivacyTestbed.indexedSources(manifest)).containsExactlyInAnyOrderElementsOf(expectedPartitions);
        JsonNode fields = JSON.readTree(zip.get("fields/" + types.get("message_sent") + ".json"));
        assertThat(fields.findValuesAsString("description")).contains("What was written");
        String html = new String(zip.get("index.html"), StandardCharsets.UTF_8);
        assertThat(html).contains(luke, "m-5", "What was written").doesNotContain("m-3");
        // a new request is welcome once the last one is over
        call("POST", "/requests", Map.of("type", "ACCESS", "subject", Map.of("entity_type", "user/id", "id", luke)), 201);
    }

    JsonNode call(String method, String path, Object body, int expected) throws Exception {
        return bed.call(method, path, body, expected);
    }
}
