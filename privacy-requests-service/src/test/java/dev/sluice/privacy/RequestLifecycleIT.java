package dev.sluice.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The requests' lifecycle against real Kafka, Cassandra, registry and S3 server, with the service's clock moved by
 * the test: calendar-month deadlines, the one extension, overdue listing, cancel, duplicates, restarts, and a retry
 * after a failed run starting from the failed step.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY, Server.S3})
class RequestLifecycleIT {

    PrivacyTestbed bed;

    @BeforeEach
    void setUp(LocalInfra infra) {
        bed = new PrivacyTestbed(infra);
    }

    @AfterEach
    void tearDown() {
        bed.close();
    }

    @Test
    void deadlinesAreCalendarMonthsExtendedOnceAndOverdueRequestsAreListed() throws Exception {
        Map<String, Object> settings = bed.settings();
        settings.put("sluice.privacy.requests.batch-every", "3650d"); // nothing runs: the requests stay QUEUED
        settings.put("sluice.privacy.requests.batch-size", 1000);
        bed.clock.set(Instant.parse("2027-01-31T12:00:00Z"));
        bed.start(settings);

        JsonNode vader = bed.file("ACCESS", bed.id("vader"), 201);
        String id = vader.path("id").asString();
        assertThat(vader.path("status").asString()).isEqualTo("QUEUED");
        assertThat(vader.path("received").asString()).isEqualTo("2027-01-31T12:00:00Z");
        assertThat(vader.path("deadline").asString()).isEqualTo("2027-02-28T12:00:00Z"); // one calendar month
        JsonNode duplicate = bed.file("ACCESS", bed.id("vader"), 409);
        assertThat(duplicate.path("detail").asString()).contains(id);
        String erasure = bed.file("ERASURE", bed.id("vader"), 201).path("id").asString(); // another type, another request

        // extended once, by two months at most, with a reason
        bed.call("POST", "/requests/" + id + "/extend", Map.of("by", "P3M", "reason", "many stores"), 400);
        bed.call("POST", "/requests/" + id + "/extend", Map.of("by", "P2M", "reason", ""), 400);
        JsonNode extended = bed.call("POST", "/requests/" + id + "/extend", Map.of("by", "P2M",
                "reason", "the subject's data spans three products"), 200);
        assertThat(extended.path("deadline").asString()).isEqualTo("2027-04-28T12:00:00Z");
        bed.call("POST", "/requests/" + id + "/extend", Map.of("by", "P1M", "reason", "again"), 409);

        bed.clock.set(Instant.parse("2027-03-15T00:00:00Z"));
        JsonNode luke = bed.file("ACCESS", bed.id("luke"), 201);
        // the erasure's deadline (02-28) passed; the extended access (04-28) and luke's (04-15) did not
        assertThat(ids(bed.call("GET", "/requests?overdue=true", null, 200))).containsExactly(erasure);
        bed.clock.set(Instant.parse("2027-04-20T00:00:00Z")); // now luke's too, newest first
        assertThat(ids(bed.call("GET", "/requests?overdue=true", null, 200))).containsExactly(luke.path("id").asString(),
                erasure);
        bed.clock.set(Instant.parse("2027-05-01T00:00:00Z"));
        assertThat(ids(bed.call("GET", "/requests?overdue=true&status=QUEUED", null, 200)))
                .contains(luke.path("id").asString(), id);
        assertThat(bed.call("GET", "/requests/" + id, null, 200).path("overdue").asBoolean()).isTrue();

        // canceled while queued; then over: a new one is welcome, and it cannot be canceled twice
        assertThat(bed.call("POST", "/requests/" + id + "/cancel", null, 200).path("status").asString())
                .isEqualTo("CANCELED");
        bed.call("POST", "/requests/" + id + "/cancel", null, 409);
        bed.file("ACCESS", bed.id("vader"), 201);
        assertThat(ids(bed.call("GET", "/requests?overdue=true", null, 200))).doesNotContain(id);

        // every transition, who and when, and all of it survives a restart
        List<JsonNode> history = bed.call("GET", "/requests/" + id, null, 200).path("history").valueStream().toList();
        assertThat(history.stream().map(h -> h.path("to").asString())).containsExactly("RECEIVED", "QUEUED", "QUEUED",
                "CANCELED");
        assertThat(history.get(0).path("actor").asString()).isEqualTo("privacy");
        assertThat(history.get(2).path("detail").asString()).contains("extended by P2M");
        assertThat(history.get(3).path("at").asString()).isEqualTo("2027-05-01T00:00:00Z");
        bed.stop();
        bed.start(settings);
        JsonNode again = bed.call("GET", "/requests/" + id, null, 200);
        assertThat(again.path("status").asString()).isEqualTo("CANCELED");
        assertThat(again.path("deadline").asString()).isEqualTo("2027-04-28T12:00:00Z");
        assertThat(again.path("history").size()).isEqualTo(4);
        bed.file("ACCESS", bed.id("luke"), 409); // luke's is still open after the restart

        // only PRIVACY_OPS files and reads requests
        bed.call("analyst", "GET", "/requests", null, 403);
        bed.call("dpo", "POST", "/requests", Map.of("type", "ACCESS", "subject", Map.of("entity_type", "user/id",
                "id", "x")), 403);
        assertThat(bed.call("POST", "/requests", Map.of("type", "ACCESS", "subject", Map.of("entity_type", "User",
                "id", "x")), 400).path("detail").asString()).contains("entity_type");
        // only a person is erased: a product's events go with the person they name
        assertThat(bed.call("POST", "/requests", Map.of("type", "ERASURE", "subject", Map.of("entity_type", "product/id",
                "id", "p-1")), 400).path("detail").asString()).contains("only a data subject");
    }

    @Test
    void aFailedRunIsRetriedFromItsFailedStepWithTheScopeKept() throws Exception {
        Map<String, Object> settings = bed.settings();
        settings.put("sluice.privacy.job.dir", bed.logs.resolve("no-job-here")); // the job cannot start
        bed.start(settings);
        String id = bed.file("ACCESS", bed.id("leia"), 201).path("id").asString();
        await().atMost(Duration.ofMinutes(1)).until(() -> bed.call("GET", "/requests/" + id, null, 200)
                .path("status").asString().equals("FAILED"));
        JsonNode failed = bed.call("GET", "/requests/" + id, null, 200);
        assertThat(failed.path("failed_step").asString()).isEqualTo("extract");
        assertThat(failed.path("error").asString()).contains("could not be started");
        assertThat(failed.path("steps").path("scope").asString()).contains("1 entity");
        bed.file("ACCESS", bed.id("leia"), 409); // a failed request is still open: retry it

        JsonNode retried = bed.call("POST", "/requests/" + id + "/retry", null, 200);
        assertThat(retried.path("status").asString()).isEqualTo("QUEUED");
        assertThat(retried.path("steps").has("scope")).isTrue(); // kept: the retry starts at extract
        String scopeTime = retried.path("step_times").path("scope").asString();
        await().atMost(Duration.ofMinutes(1)).until(() -> bed.call("GET", "/requests/" + id, null, 200)
                .path("status").asString().equals("FAILED"));
        JsonNode again = bed.call("GET", "/requests/" + id, null, 200);
        assertThat(again.path("step_times").path("scope").asString()).isEqualTo(scopeTime);
        assertThat(again.path("history").valueStream().map(h -> h.path("to").asString()).toList())
                .containsExactly("RECEIVED", "QUEUED", "RUNNING", "FAILED", "QUEUED", "RUNNING", "FAILED");
        bed.call("POST", "/requests/" + id + "/retry", null, 200);
        bed.call("POST", "/requests/" + id + "/retry", null, 409); // only a FAILED one
        assertThat(bed.call("GET", "/runs", null, 200).valueStream().map(run -> run.path("state").asString()).toList())
                .contains("FAILED");
    }

    @Test
    void anErasureRewritesTierZeroOnlyOnceTheDumpHoldingItsWriterLeaseIsDone() throws Exception {
        Map<String, Object> settings = bed.settings();
        settings.put("sluice.privacy.job.dir", bed.logs.resolve("no-job-here")); // the job cannot start
        settings.put("sluice.privacy.erasure.writer-lease-table", bed.name + ".lake_writers");
        bed.start(settings);
        var session = bed.app.getBean(PrivacyStores.class).requests().session();
        session.execute("CREATE TABLE " + bed.name + ".lake_writers (resource text PRIMARY KEY, holder text, since "
                + "timestamp)");
        session.execute("INSERT INTO " + bed.name + ".lake_writers (resource, holder, since) VALUES ('tier-zero', "
                + "'datapump dump run 20270101T000000000Z', toTimestamp(now())) USING TTL 600");
        String id = bed.file("ERASURE", bed.id("vader"), 201).path("id").asString();
        // on the forget-list at once; the rewrite waits while the dump holds tier zero
        await().atMost(Duration.ofSeconds(30)).until(() -> bed.call("GET", "/requests/" + id, null, 200).path("steps")
                .has("forget"));
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(20)).until(() -> {
            JsonNode request = bed.call("GET", "/requests/" + id, null, 200);
            return request.path("status").asString().equals("QUEUED") && !request.path("steps").has("tier-zero");
        });
        assertThat(bed.call("GET", "/runs", null, 200).size()).isZero();
        // the dump is over: the rewrite takes the lease (and, the job not starting here, fails at its step)
        session.execute("DELETE FROM " + bed.name + ".lake_writers WHERE resource = 'tier-zero'");
        await().atMost(Duration.ofMinutes(1)).until(() -> bed.call("GET", "/requests/" + id, null, 200)
                .path("status").asString().equals("FAILED"));
        JsonNode failed = bed.call("GET", "/requests/" + id, null, 200);
        assertThat(failed.path("failed_step").asString()).isEqualTo("tier-zero");
        assertThat(failed.path("error").asString()).contains("could not be started");
        assertThat(session.execute("SELECT holder FROM " + bed.name + ".lake_writers WHERE resource = 'tier-zero'")
                .one()).as("the lease is released with the run").isNull();
        bed.call("POST", "/requests/" + id + "/cancel", null, 409); // forgotten already: an erasure is not undone
    }

    static List<String> ids(JsonNode requests) {
        return requests.valueStream().map(r -> r.path("id").asString()).toList();
    }
}
