package dev.sluice.governance;

import static dev.sluice.governance.GovernanceApp.field;
import static dev.sluice.governance.GovernanceApp.reservoir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.policy.Action;
import dev.sluice.core.policy.ReservoirPolicy;
import dev.sluice.governance.GovernanceApp.Answer;
import dev.sluice.governance.GovernanceApp.As;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The governance service against real Kafka, Cassandra and the registry, with the demo event types: the talk's story
 * (an analyst asks for hashed user ids, the DPO approves, the policy names the grant), the whole life of a grant on a
 * clock the test moves, rules that wait for the DPO and rules that do not, and the change feed and audit of each step.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY})
class GovernanceIT {

    static final As ADMIN = As.user("admin");
    static final As DPO = As.user("dpo");
    static final As DPO2 = As.user("dpo2");
    static final As ANALYST = As.user("analyst");
    static final As ANALYST2 = As.user("analyst2");

    static GovernanceApp app;
    static MutableClock clock = new MutableClock(Instant.now());

    @BeforeAll
    static void start(LocalInfra infra) {
        app = GovernanceApp.start(infra, "gov_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8), clock);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String name(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
    }

    /** The column's decision in the reservoir's policy view. */
    static JsonNode column(String reservoir, String type, String path, As as) {
        JsonNode view = app.expect(200, app.get("/reservoirs/" + reservoir + "/policy?type=" + type, as));
        for (JsonNode column : view.path("event_types").get(0).path("columns")) {
            if (column.path("path").asString().equals(path)) {
                return column;
            }
        }
        throw new AssertionError(path + " not in " + view);
    }

    @Test
    void anAnalystAsksForHashedUserIdsTheDpoApprovesAndThePolicyNamesTheGrant() {
        String marketing = name("marketing");
        app.expect(201, app.post("/reservoirs", reservoir(marketing, "analyst"), ADMIN));
        JsonNode before = column(marketing, "message_sent", "sender_id", ANALYST);
        assertThat(before.path("action").asString()).isEqualTo("DROP");
        assertThat(before.path("basis").path("kind").asString()).isEqualTo("DEFAULT");
        // what the column holds, from the schema's annotations, next to the decision
        assertThat(before.path("doc").asString()).isEqualTo("Who sent it");
        assertThat(before.path("entity").asString()).isEqualTo("user/id");
        assertThat(before.path("personal").asBoolean()).isTrue();
        JsonNode ip = column(marketing, "message_sent", "client.ip_address", ANALYST);
        assertThat(ip.path("tags").get(0).asString()).isEqualTo("PII");
        assertThat(column(marketing, "message_sent", "client.platform", ANALYST).path("personal").asBoolean()).isFalse();

        JsonNode grant = app.expect(201, app.post("/reservoirs/" + marketing + "/grants", Map.of(
                "selector", field("message_sent", "sender_id"), "action", "HASH", "purpose", "campaign attribution",
                "expires_at", clock.instant().plus(Duration.ofDays(30)).toString()), ANALYST));
        assertThat(grant.path("status").asString()).isEqualTo("PENDING");
        assertThat(column(marketing, "message_sent", "sender_id", ANALYST).path("action").asString())
                .as("nothing changes before the DPO decides").isEqualTo("DROP");
        String id = grant.path("id").asString();
        assertThat(app.expect(200, app.get("/grants?status=PENDING", DPO)).findValuesAsString("id")).contains(id);

        app.expect(200, app.post("/grants/" + id + "/approve", Map.of(), DPO));
        JsonNode after = column(marketing, "message_sent", "sender_id", ANALYST);
        assertThat(after.path("action").asString()).isEqualTo("HASH");
        assertThat(after.path("basis").path("kind").asString()).isEqualTo("GRANT");
        assertThat(after.path("basis").path("id").asString()).isEqualTo(id);
        assertThat(column(marketing, "message_sent", "receiver_id", ANALYST).path("action").asString()).isEqualTo("DROP");

        // the change feed has the reservoir's whole policy with the grant, and no key
        ReservoirPolicy published = await().atMost(Duration.ofSeconds(30)).until(() -> latest(marketing),
                p -> p != null && !p.grants().isEmpty());
        assertThat(published.grants()).extracting(g -> g.id()).containsExactly(id);
        assertThat(published.keyVersion()).isEqualTo(1);
        // and the audit has every step
        assertThat(app.expect(200, app.get("/audit?target=grant/" + id, DPO)).findValuesAsString("action"))
                .containsExactly("grant.request", "grant.approve");
        // an analyst who is not a member sees neither the reservoir nor its policy
        assertThat(app.get("/reservoirs/" + marketing + "/policy", ANALYST2).status()).isEqualTo(403);
        assertThat(app.expect(200, app.get("/reservoirs", ANALYST2)).findValuesAsString("name")).doesNotContain(marketing);
    }

    @Test
    void aGrantIsApprovedShortenedActiveExpiredRevokedOrDeniedAndNobodyDecidesTheirOwn() {
        String reservoir = name("lifecycle");
        app.expect(201, app.post("/reservoirs", reservoir(reservoir, "analyst", "both"), ADMIN));
        Instant asked = clock.instant().plus(Duration.ofDays(10));
        String id = request(reservoir, "sender_id", "HASH", asked, ANALYST);

        // approved with an earlier expiry than asked: active until then
        Instant shortened = clock.instant().plus(Duration.ofDays(2));
        assertThat(app.post("/grants/" + id + "/approve", Map.of("expires_at", asked.plusSeconds(1).toString()), DPO)
                .status()).as("an approval may not extend").isEqualTo(400);
        JsonNode approved = app.expect(200, app.post("/grants/" + id + "/approve",
                Map.of("expires_at", shortened.toString()), DPO));
        assertThat(approved.path("status").asString()).isEqualTo("APPROVED");
        assertThat(Instant.parse(approved.path("expires_at").asString())).isEqualTo(shortened);
        assertThat(column(reservoir, "message_sent", "sender_id", ANALYST).path("action").asString()).isEqualTo("HASH");
        long revisionWhileActive = latest(reservoir).revision();

        // the clock passes the expiry: the upkeep reverts it by itself, and publishes
        clock.advance(Duration.ofDays(3));
        await().atMost(Duration.ofSeconds(30)).until(() -> app.expect(200, app.get("/grants/" + id, DPO))
                .path("status").asString().equals("EXPIRED"));
        assertThat(column(reservoir, "message_sent", "sender_id", ANALYST).path("action").asString()).isEqualTo("DROP");
        await().atMost(Duration.ofSeconds(30)).until(() -> latest(reservoir).revision() > revisionWhileActive
                && latest(reservoir).grants().isEmpty());

        // revocation is immediate
        String revocable = request(reservoir, "receiver_id", "HASH", clock.instant().plus(Duration.ofDays(5)), ANALYST);
        app.expect(200, app.post("/grants/" + revocable + "/approve", Map.of(), DPO2));
        assertThat(column(reservoir, "message_sent", "receiver_id", ANALYST).path("action").asString()).isEqualTo("HASH");
        assertThat(app.post("/grants/" + revocable + "/revoke", Map.of(), DPO).status()).as("a reason is needed").isEqualTo(400);
        app.expect(200, app.post("/grants/" + revocable + "/revoke", Map.of("reason", "campaign over"), DPO));
        assertThat(column(reservoir, "message_sent", "receiver_id", ANALYST).path("action").asString()).isEqualTo("DROP");

        // a denial needs a reason and changes nothing
        String denied = request(reservoir, "message", "SHOW", clock.instant().plus(Duration.ofDays(5)), ANALYST);
        assertThat(app.post("/grants/" + denied + "/deny", Map.of(), DPO).status()).isEqualTo(400);
        app.expect(200, app.post("/grants/" + denied + "/deny", Map.of("reason", "free text is not needed"), DPO));
        assertThat(app.post("/grants/" + denied + "/approve", Map.of(), DPO2).status()).as("decided already").isEqualTo(409);
        assertThat(column(reservoir, "message_sent", "message", ANALYST).path("action").asString()).isEqualTo("DROP");

        // nobody decides their own request, a DPO included
        As both = As.token("both", "ANALYST", "DPO");
        String own = request(reservoir, "sender_id", "HASH", clock.instant().plus(Duration.ofDays(5)), both);
        Answer self = app.post("/grants/" + own + "/approve", Map.of(), both);
        assertThat(self.status()).isEqualTo(403);
        assertThat(self.body()).contains("nobody decides their own request");

        // two DPOs at once: one decision wins, the other gets 409
        String contested = request(reservoir, "receiver_id", "SHOW", clock.instant().plus(Duration.ofDays(5)), ANALYST);
        List<Integer> statuses = concurrently(
                () -> app.post("/grants/" + contested + "/approve", Map.of(), DPO).status(),
                () -> app.post("/grants/" + contested + "/deny", Map.of("reason", "not needed"), DPO2).status());
        assertThat(statuses).containsExactlyInAnyOrder(200, 409);
        JsonNode decided = app.expect(200, app.get("/grants/" + contested, DPO));
        assertThat(decided.path("status").asString()).isIn("APPROVED", "DENIED");
        assertThat(app.expect(200, app.get("/audit?target=grant/" + contested, DPO)).findValuesAsString("action"))
                .as("one decision in the audit").containsExactly("grant.request",
                        decided.path("status").asString().equals("APPROVED") ? "grant.approve" : "grant.deny");

        // the audit has every step of every grant, the expiry by the system
        List<String> actions = app.expect(200, app.get("/audit?target=grant/" + id, DPO)).findValuesAsString("action");
        assertThat(actions).containsExactly("grant.request", "grant.approve", "grant.expire");
        assertThat(app.expect(200, app.get("/audit?target=grant/" + id + "&action=grant.expire", DPO))
                .findValuesAsString("actor")).containsExactly("system");
        assertThat(app.expect(200, app.get("/audit?target=grant/" + revocable, DPO)).findValuesAsString("action"))
                .containsExactly("grant.request", "grant.approve", "grant.revoke");
        // analysts see their own requests only
        assertThat(app.expect(200, app.get("/grants?reservoir=" + reservoir, ANALYST)).findValuesAsString("requested_by"))
                .containsOnly("analyst");
    }

    @Test
    void aRuleThatExposesPersonalDataWaitsForTheDpoAStricterOneAppliesAtOnce() {
        String reservoir = name("rules");
        app.expect(201, app.post("/reservoirs", reservoir(reservoir, "analyst"), ADMIN));
        // stricter: the description of products (free text, not personal) is dropped at once
        Answer strict = app.post("/rules", Map.of("reservoir", reservoir, "selector", field("product_created", "description"),
                "action", "DROP", "purpose", "no free text"), ADMIN);
        assertThat(strict.status()).isEqualTo(201);
        assertThat(strict.json().path("rule").path("status").asString()).isEqualTo("ACTIVE");
        assertThat(column(reservoir, "product_created", "description", ANALYST).path("action").asString()).isEqualTo("DROP");

        // exposing: messages hashed instead of dropped waits for a DPO
        Answer relaxing = app.post("/rules", Map.of("reservoir", reservoir, "selector", field("message_sent", "message"),
                "action", "HASH", "purpose", "count repeated messages"), ADMIN);
        assertThat(relaxing.status()).isEqualTo(202);
        assertThat(relaxing.json().path("rule").path("status").asString()).isEqualTo("PENDING_APPROVAL");
        assertThat(relaxing.json().path("exposures").findValuesAsString("path")).containsExactly("message");
        String grant = relaxing.json().path("pending_grant").asString();
        assertThat(column(reservoir, "message_sent", "message", ANALYST).path("action").asString()).isEqualTo("DROP");
        assertThat(app.post("/grants/" + grant + "/approve", Map.of(), ADMIN).status()).as("not a DPO").isEqualTo(403);

        app.expect(200, app.post("/grants/" + grant + "/approve", Map.of(), DPO));
        JsonNode message = column(reservoir, "message_sent", "message", ANALYST);
        assertThat(message.path("action").asString()).isEqualTo("HASH");
        assertThat(message.path("basis").path("kind").asString()).isEqualTo("RULE");
        String ruleId = relaxing.json().path("rule").path("id").asString();
        assertThat(message.path("basis").path("id").asString()).isEqualTo(ruleId);
        assertThat(app.expect(200, app.get("/rules/" + ruleId, DPO)).path("approved").asBoolean()).isTrue();

        // deleting the stricter rule exposes nothing personal: at once; the approved one can be tightened at once
        String strictId = strict.json().path("rule").path("id").asString();
        app.expect(200, app.call("DELETE", "/rules/" + strictId, null, ADMIN));
        assertThat(column(reservoir, "product_created", "description", ANALYST).path("action").asString()).isEqualTo("SHOW");
        app.expect(200, app.call("PUT", "/rules/" + ruleId, Map.of("reservoir", reservoir, "selector",
                field("message_sent", "message"), "action", "DROP", "purpose", "done counting"), ADMIN));
        assertThat(column(reservoir, "message_sent", "message", ANALYST).path("action").asString()).isEqualTo("DROP");
        assertThat(app.expect(200, app.get("/audit?target=rule/" + ruleId, DPO)).findValuesAsString("action"))
                .containsExactly("rule.propose", "rule.activate", "rule.update");
    }

    @Test
    void badRequestsAreProblemDetailsThatSayWhatIsWrong() {
        Answer invalid = app.post("/reservoirs", Map.of("name", "Bad-Name", "owning_team", "", "retention_days", 0), ADMIN);
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.json().path("errors").has("name")).as(invalid.body()).isTrue();
        assertThat(invalid.json().path("errors").has("owning_team")).isTrue();
        Answer missing = app.get("/reservoirs/nope", ADMIN);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("detail").asString()).contains("no reservoir nope");
        assertThat(app.post("/rules", Map.of("selector", Map.of("kind", "everything"), "action", "DROP"), ADMIN).status())
                .isEqualTo(400);
    }

    static String request(String reservoir, String path, String action, Instant until, As as) {
        return app.expect(201, app.post("/reservoirs/" + reservoir + "/grants", Map.of("selector",
                field("message_sent", path), "action", action, "purpose", "analysis", "expires_at", until.toString()), as))
                .path("id").asString();
    }

    @SafeVarargs
    static <T> List<T> concurrently(Callable<T>... calls) {
        ExecutorService pool = Executors.newFixedThreadPool(calls.length);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(pool.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The latest policy of the reservoir on the change feed (read from the start of the compacted topic). */
    static ReservoirPolicy latest(String reservoir) {
        return publishedPolicies().get(reservoir);
    }

    static Map<String, ReservoirPolicy> publishedPolicies() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, app.infra.kafkaBootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, ReservoirPolicy> latest = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(app.changesTopic()));
            int quiet = 0;
            while (quiet < 3) {
                var records = consumer.poll(Duration.ofMillis(400));
                quiet = records.isEmpty() ? quiet + 1 : 0;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    String key = new String(record.key(), StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        latest.remove(key);
                    } else {
                        ReservoirPolicy policy = ReservoirPolicy.fromJson(record.value());
                        assertThat(new String(record.value(), StandardCharsets.UTF_8)).doesNotContainIgnoringCase("secret");
                        latest.merge(key, policy, (a, b) -> b.revision() >= a.revision() ? b : a);
                    }
                }
            }
        }
        return latest;
    }

    static Action action(String name) {
        return Action.valueOf(name);
    }
}
