package dev.sluice.registry;

import static dev.sluice.registry.RunningRegistry.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import dev.sluice.registry.RunningRegistry.Answer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The privacy contract at registration: enforce for event subjects, warn and off where configured. */
@LocalInfraTest(Server.KAFKA)
class PrivacyContractIT {

    static RunningRegistry registry;

    @BeforeAll
    static void start(LocalInfra infra) {
        registry = RunningRegistry.start(infra, RunningRegistry.freshTopic(), Map.of(
                "sluice.registry.privacy.modes[0].subjects", "events.valid.*-value",
                "sluice.registry.privacy.modes[0].mode", "ENFORCE",
                "sluice.registry.privacy.modes[1].subjects", "staging.*",
                "sluice.registry.privacy.modes[1].mode", "WARN"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void theTalksAnnotatedProductCreatedRegisters() {
        Answer answer = registry.post("/subjects/events.valid.product_created-value/versions",
                schemaBody(Schemas.PRODUCT_CREATED));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().has("privacy_findings")).isFalse();
        String stored = registry.get("/subjects/events.valid.product_created-value/versions/latest/schema").body();
        assertThat(stored).contains("\"sluice.entity\": \"user/id\"").contains("\"sluice.linked_to\": \"user_id\"");
    }

    @Test
    void withoutAnnotationsItIsRefusedNamingUserId() {
        Answer answer = registry.post("/subjects/events.valid.product_created_bare-value/versions",
                schemaBody(Schemas.PRODUCT_CREATED_BARE));

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.errorCode()).isEqualTo(42201);
        String message = answer.json().path("message").asString();
        assertThat(message).contains("'user_id'").contains("\"sluice.entity\": \"user/id\"");
        assertThat(answer.json().path("details").toString()).contains("user_id");
        assertThat(registry.get("/subjects/events.valid.product_created_bare-value/versions").errorCode()).isEqualTo(40401);
    }

    @Test
    void malformedAnnotationsAndAMissingEventIdAreRefused() {
        String schema = Schemas.record("Bad", """
                {"name": "event_id", "type": "string"},
                {"name": "owner", "type": "string", "sluice.entity": "User"},
                {"name": "buyer", "type": "string", "sluice.entity": "user/id", "sluice.on_erasure": "forget"},
                {"name": "product", "type": "string", "sluice.entity": "product/id", "sluice.linked_to": "seller"},
                {"name": "at", "type": "string", "sluice.event_time": true}""");

        Answer answer = registry.post("/subjects/events.valid.bad-value/versions", schemaBody(schema));

        assertThat(answer.status()).isEqualTo(422);
        JsonNode details = answer.json().path("details");
        assertThat(details.toString()).contains("field 'owner'").contains("type/attribute")
                .contains("field 'buyer'").contains("drop_event")
                .contains("field 'product'").contains("seller")
                .contains("field 'at'").contains("long or timestamp")
                .contains("field 'id'");
    }

    @Test
    void nestedPersonalFieldsNeedAnnotationsOrAnInheritedTag() {
        String untagged = Schemas.record("Order", """
                {"name": "id", "type": "string"},
                {"name": "customer", "type": {"type": "record", "name": "Customer", "fields": [
                   {"name": "email", "type": "string"},
                   {"name": "tier", "type": "string"}]}}""");
        Answer refused = registry.post("/subjects/events.valid.order-value/versions", schemaBody(untagged));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().path("message").asString()).contains("'customer.email'").doesNotContain("'customer.tier'");

        String tagged = untagged.replace("\"type\": {\"type\": \"record\", \"name\": \"Customer\"",
                "\"sluice.tags\": [\"PII\"], \"type\": {\"type\": \"record\", \"name\": \"Customer\"");
        assertThat(registry.post("/subjects/events.valid.order-value/versions", schemaBody(tagged)).status()).isEqualTo(200);
    }

    @Test
    void warnModeRegistersAndReturnsTheFindings() {
        Answer answer = registry.post("/subjects/staging.products-value/versions", schemaBody(Schemas.PRODUCT_CREATED_BARE));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("id").asInt()).isPositive();
        assertThat(answer.json().path("privacy_findings").toString()).contains("user_id");
    }

    @Test
    void subjectsNoRuleMatchesAreNotChecked() {
        Answer answer = registry.post("/subjects/internal-value/versions", schemaBody(Schemas.PRODUCT_CREATED_BARE));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().has("privacy_findings")).isFalse();
    }
}
