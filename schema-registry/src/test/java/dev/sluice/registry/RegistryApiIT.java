package dev.sluice.registry;

import static dev.sluice.registry.RunningRegistry.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import dev.sluice.registry.RunningRegistry.Answer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every endpoint of the Confluent REST API v1 the registry serves, and its error codes, over real HTTP and Kafka. */
@LocalInfraTest(Server.KAFKA)
class RegistryApiIT {

    static RunningRegistry registry;

    static final String V1 = Schemas.record("Thing", "{\"name\":\"id\",\"type\":\"string\"}");
    static final String V2 = Schemas.record("Thing", "{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"size\",\"type\":[\"null\",\"int\"],\"default\":null}");

    @BeforeAll
    static void start(LocalInfra infra) {
        registry = RunningRegistry.start(infra);
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void registersOnceAndAnswersInTheRegistryContentType() {
        Answer first = registry.post("/subjects/things-value/versions", schemaBody(V1));
        Answer again = registry.post("/subjects/things-value/versions", schemaBody(V1.replace(",", ", ")));

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(again.json().path("id").asInt()).isEqualTo(first.json().path("id").asInt());
        assertThat(registry.get("/subjects/things-value/versions").json().toString()).isEqualTo("[1]");

        // the same schema under another subject keeps its global id
        Answer other = registry.post("/subjects/other-things-value/versions", schemaBody(V1));
        assertThat(other.json().path("id").asInt()).isEqualTo(first.json().path("id").asInt());
    }

    @Test
    void plainJsonIsAcceptedToo() {
        Answer answer = registry.send("GET", "/schemas/types", null, false);
        assertThat(answer.json().toString()).isEqualTo("[\"AVRO\"]");
        assertThat(registry.get("/").status()).isEqualTo(200);
    }

    @Test
    void readsVersionsLatestAndTheSchemaTextAsRegistered() {
        String text = """
                {"type":"record","name":"Annotated","namespace":"test","doc":"kept",
                 "fields":[{"name":"id","type":"string","sluice.entity":"thing/id","confluent:tags":["PII"],"doc":"the id"}]}""";
        int id = registry.register("annotated-value", text);
        registry.register("annotated-value", Schemas.record("Annotated", "{\"name\":\"id\",\"type\":\"string\"},"
                + "{\"name\":\"n\",\"type\":\"int\",\"default\":0}"));

        JsonNode first = registry.get("/subjects/annotated-value/versions/1").json();
        assertThat(first.path("subject").asString()).isEqualTo("annotated-value");
        assertThat(first.path("version").asInt()).isEqualTo(1);
        assertThat(first.path("id").asInt()).isEqualTo(id);
        assertThat(first.path("schema").asString()).isEqualTo(text);
        assertThat(registry.get("/subjects/annotated-value/versions/1/schema").body()).isEqualTo(text);
        assertThat(registry.get("/schemas/ids/" + id).json().path("schema").asString()).isEqualTo(text);
        assertThat(registry.get("/subjects/annotated-value/versions/latest").json().path("version").asInt()).isEqualTo(2);
        assertThat(registry.get("/subjects/annotated-value/versions/-1").json().path("version").asInt()).isEqualTo(2);
        assertThat(registry.get("/schemas/ids/" + id + "/versions").json().toString())
                .isEqualTo("[{\"subject\":\"annotated-value\",\"version\":1}]");
        assertThat(registry.get("/subjects").json().toString()).contains("\"annotated-value\"");
        assertThat(registry.get("/subjects?subjectPrefix=annot").json().toString()).isEqualTo("[\"annotated-value\"]");
    }

    @Test
    void looksUpASchemaInASubject() {
        int id = registry.register("lookup-value", V1);

        Answer found = registry.post("/subjects/lookup-value", schemaBody(V1));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.json().path("id").asInt()).isEqualTo(id);
        assertThat(found.json().path("version").asInt()).isEqualTo(1);

        Answer notInSubject = registry.post("/subjects/lookup-value", schemaBody(Schemas.record("Nope", "")));
        assertThat(notInSubject.status()).isEqualTo(404);
        assertThat(notInSubject.errorCode()).isEqualTo(40403);
        assertThat(registry.post("/subjects/no-such-subject", schemaBody(V1)).errorCode()).isEqualTo(40401);
    }

    @Test
    void notFoundAndInvalidAnswersCarryConfluentsCodes() {
        registry.register("codes-value", V1);

        assertThat(registry.get("/subjects/missing-value/versions").errorCode()).isEqualTo(40401);
        assertThat(registry.get("/subjects/missing-value/versions/1").errorCode()).isEqualTo(40401);
        assertThat(registry.get("/subjects/codes-value/versions/7").errorCode()).isEqualTo(40402);
        assertThat(registry.get("/schemas/ids/999999").errorCode()).isEqualTo(40403);
        Answer badVersion = registry.get("/subjects/codes-value/versions/zero");
        assertThat(badVersion.status()).isEqualTo(422);
        assertThat(badVersion.errorCode()).isEqualTo(42202);
        assertThat(registry.get("/subjects/codes-value/versions/0").errorCode()).isEqualTo(42202);

        Answer invalid = registry.post("/subjects/codes-value/versions", schemaBody("{\"type\":\"record\",\"name\":\"X\"}"));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errorCode()).isEqualTo(42201);
        assertThat(invalid.json().path("message").asString()).contains("fields");

        Answer protobuf = registry.post("/subjects/codes-value/versions", "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}");
        assertThat(protobuf.errorCode()).isEqualTo(42201);
        assertThat(protobuf.json().path("message").asString()).contains("PROTOBUF");

        Answer badDefault = registry.post("/subjects/codes-value/versions", schemaBody(
                Schemas.record("X", "{\"name\":\"n\",\"type\":\"int\",\"default\":\"text\"}")));
        assertThat(badDefault.errorCode()).isEqualTo(42201);
    }

    @Test
    void malformedJsonIsA400WithTheParsersMessage() {
        Answer answer = registry.post("/subjects/json-value/versions", "{\"schema\": ");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorCode()).isEqualTo(400);
        assertThat(answer.json().path("message").asString()).startsWith("Malformed JSON").contains("end-of-input");
        assertThat(registry.post("/subjects/json-value/versions", "").status()).isEqualTo(400);
    }

    @Test
    void softDeleteThenPermanentDeleteOfAVersion() {
        registry.register("versions-value", V1);
        registry.register("versions-value", V2);

        assertThat(registry.delete("/subjects/versions-value/versions/2?permanent=true").errorCode()).isEqualTo(40407);
        Answer soft = registry.delete("/subjects/versions-value/versions/2");
        assertThat(soft.body()).isEqualTo("2");
        assertThat(registry.delete("/subjects/versions-value/versions/2").errorCode()).isEqualTo(40406);
        assertThat(registry.get("/subjects/versions-value/versions").json().toString()).isEqualTo("[1]");
        assertThat(registry.get("/subjects/versions-value/versions?deleted=true").json().toString()).isEqualTo("[1,2]");
        assertThat(registry.get("/subjects/versions-value/versions/2").errorCode()).isEqualTo(40402);
        assertThat(registry.get("/subjects/versions-value/versions/2?deleted=true").status()).isEqualTo(200);
        assertThat(registry.get("/subjects/versions-value/versions/latest").json().path("version").asInt()).isEqualTo(1);

        assertThat(registry.delete("/subjects/versions-value/versions/2?permanent=true").body()).isEqualTo("2");
        assertThat(registry.get("/subjects/versions-value/versions?deleted=true").json().toString()).isEqualTo("[1]");

        // registering again after a delete makes a new version; the id of an identical schema stays
        int again = registry.register("versions-value", V2);
        assertThat(registry.get("/subjects/versions-value/versions").json().toString()).isEqualTo("[1,2]");
        assertThat(registry.get("/subjects/versions-value/versions/2").json().path("id").asInt()).isEqualTo(again);
    }

    @Test
    void softDeleteThenPermanentDeleteOfASubject() {
        int id = registry.register("doomed-value", V1);
        registry.register("doomed-value", V2);

        assertThat(registry.delete("/subjects/doomed-value?permanent=true").errorCode()).isEqualTo(40405);
        assertThat(registry.delete("/subjects/doomed-value").json().toString()).isEqualTo("[1,2]");
        assertThat(registry.delete("/subjects/doomed-value").errorCode()).isEqualTo(40404);
        assertThat(registry.get("/subjects").json().toString()).doesNotContain("\"doomed-value\"");
        assertThat(registry.get("/subjects?deleted=true").json().toString()).contains("\"doomed-value\"");
        assertThat(registry.get("/subjects/doomed-value/versions").errorCode()).isEqualTo(40401);
        // a soft-deleted schema is still readable by id: old records on topics must stay decodable
        assertThat(registry.get("/schemas/ids/" + id).status()).isEqualTo(200);

        assertThat(registry.delete("/subjects/doomed-value?permanent=true").json().toString()).isEqualTo("[1,2]");
        assertThat(registry.get("/subjects?deleted=true").json().toString()).doesNotContain("\"doomed-value\"");
        assertThat(registry.delete("/subjects/doomed-value").errorCode()).isEqualTo(40401);
    }

    @Test
    void permanentlyDeletedIdsAreNeverReused() {
        int id = registry.register("reuse-value", Schemas.record("Reuse", "{\"name\":\"a\",\"type\":\"string\"}"));
        registry.delete("/subjects/reuse-value");
        registry.delete("/subjects/reuse-value?permanent=true");
        assertThat(registry.get("/schemas/ids/" + id).errorCode()).isEqualTo(40403);

        int next = registry.register("reuse-value", Schemas.record("Reuse2", "{\"name\":\"a\",\"type\":\"string\"}"));
        assertThat(next).isGreaterThan(id);
    }

    @Test
    void globalAndSubjectCompatibilityConfig() {
        assertThat(registry.get("/config").json().path("compatibilityLevel").asString()).isEqualTo("BACKWARD");
        assertThat(registry.put("/config", "{\"compatibility\":\"FULL\"}").json().path("compatibility").asString())
                .isEqualTo("FULL");
        assertThat(registry.get("/config").json().path("compatibilityLevel").asString()).isEqualTo("FULL");
        assertThat(registry.delete("/config").json().path("compatibilityLevel").asString()).isEqualTo("FULL");
        assertThat(registry.get("/config").json().path("compatibilityLevel").asString()).isEqualTo("BACKWARD");

        Answer invalid = registry.put("/config", "{\"compatibility\":\"SIDEWAYS\"}");
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errorCode()).isEqualTo(42203);

        assertThat(registry.get("/config/cfg-value").errorCode()).isEqualTo(40408);
        assertThat(registry.get("/config/cfg-value?defaultToGlobal=true").json().path("compatibilityLevel").asString())
                .isEqualTo("BACKWARD");
        // event subjects default to FULL_TRANSITIVE without any config of their own
        assertThat(registry.get("/config/events.valid.anything-value").json().path("compatibilityLevel").asString())
                .isEqualTo("FULL_TRANSITIVE");
        registry.put("/config/cfg-value", "{\"compatibility\":\"NONE\"}");
        assertThat(registry.get("/config/cfg-value").json().path("compatibilityLevel").asString()).isEqualTo("NONE");
        assertThat(registry.delete("/config/cfg-value").json().path("compatibilityLevel").asString()).isEqualTo("NONE");
        assertThat(registry.delete("/config/cfg-value").errorCode()).isEqualTo(40408);
    }

    @Test
    void subjectConfigDecidesRegistration() {
        registry.register("strict-value", V1);
        registry.put("/config/strict-value", "{\"compatibility\":\"FORWARD\"}");
        // removing the only field breaks FORWARD: the old schema reads "id", which the new one lacks
        Answer refused = registry.post("/subjects/strict-value/versions",
                schemaBody(Schemas.record("Thing", "{\"name\":\"other\",\"type\":\"string\",\"default\":\"\"}")));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo(409);
        assertThat(refused.json().path("message").asString()).contains("id");
    }

    @Test
    void readOnlyModeRefusesChanges() {
        assertThat(registry.get("/mode").json().path("mode").asString()).isEqualTo("READWRITE");
        assertThat(registry.put("/mode", "{\"mode\":\"SOMETIMES\"}").errorCode()).isEqualTo(42204);
        try {
            assertThat(registry.put("/mode", "{\"mode\":\"READONLY\"}").json().path("mode").asString()).isEqualTo("READONLY");
            Answer refused = registry.post("/subjects/ro-value/versions", schemaBody(V1));
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.errorCode()).isEqualTo(42205);
            assertThat(registry.get("/subjects").status()).isEqualTo(200);
        } finally {
            registry.put("/mode", "{\"mode\":\"READWRITE\"}");
        }
        assertThat(registry.post("/subjects/ro-value/versions", schemaBody(V1)).status()).isEqualTo(200);
    }

    @Test
    void compatibilityEndpointGivesReasonsWhenVerbose() {
        registry.register("compat-value", V1);
        String breaking = Schemas.record("Thing", "{\"name\":\"id\",\"type\":\"int\"}");

        assertThat(registry.post("/compatibility/subjects/compat-value/versions/latest", schemaBody(V2)).json()
                .path("is_compatible").asBoolean()).isTrue();
        JsonNode quiet = registry.post("/compatibility/subjects/compat-value/versions/latest", schemaBody(breaking)).json();
        assertThat(quiet.path("is_compatible").asBoolean()).isFalse();
        assertThat(quiet.has("messages")).isFalse();
        JsonNode verbose = registry.post("/compatibility/subjects/compat-value/versions/1?verbose=true",
                schemaBody(breaking)).json();
        assertThat(verbose.path("is_compatible").asBoolean()).isFalse();
        assertThat(verbose.path("messages").toString()).contains("TYPE_MISMATCH").contains("/fields/0/type");
        assertThat(registry.post("/compatibility/subjects/compat-value/versions/9", schemaBody(V2)).errorCode())
                .isEqualTo(40402);
        assertThat(registry.post("/compatibility/subjects/nothing-value/versions/latest", schemaBody(V2)).errorCode())
                .isEqualTo(40401);
        assertThat(registry.post("/compatibility/subjects/compat-value/versions", schemaBody(V2)).json()
                .path("is_compatible").asBoolean()).isTrue();
    }

    @Test
    void unknownPathsAndMethodsAnswerInTheErrorFormat() {
        assertThat(registry.get("/nowhere").errorCode()).isEqualTo(404);
        assertThat(registry.send("PATCH", "/subjects", "{}", true).status()).isIn(List.of(405, 401));
    }
}
