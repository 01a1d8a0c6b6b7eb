package dev.sluice.core.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class PrivacySchemaTest {

    static Schema schema(String resource) throws IOException {
        try (InputStream in = PrivacySchemaTest.class.getResourceAsStream("/schemas/" + resource)) {
            return new Schema.Parser().parse(in);
        }
    }

    static PrivacySchema fields(String json) {
        return PrivacySchema.of(new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"E\",\"fields\":[" + json + "]}"));
    }

    @Test
    void readsTheTalksProductCreated() throws IOException {
        PrivacySchema privacy = PrivacySchema.of(schema("product-created.avsc"));

        assertThat(privacy.problems()).isEmpty();
        assertThat(privacy.hasEventId()).isTrue();
        assertThat(privacy.fields()).containsOnlyKeys("id", "user_id", "title", "created_at");
        PrivacyField id = privacy.field("id").orElseThrow();
        assertThat(id.entity()).isEqualTo("product/id");
        assertThat(id.entityType()).contains("product");
        assertThat(id.linkedTo()).isEqualTo("user_id");
        assertThat(id.personal()).isFalse();
        PrivacyField owner = privacy.field("user_id").orElseThrow();
        assertThat(owner.personal()).isTrue();
        assertThat(owner.identifiesSubject()).isTrue();
        assertThat(owner.onErasure()).isEqualTo(OnErasure.DROP_EVENT);
        assertThat(owner.tags()).containsExactly("PII");
        assertThat(privacy.field("title").orElseThrow().personal()).isFalse();
        assertThat(privacy.eventTimeField()).map(PrivacyField::path).contains("created_at");
    }

    @Test
    void walksNestedRecordsUnionsArraysAndInheritsTags() throws IOException {
        PrivacySchema privacy = PrivacySchema.of(schema("message-sent.avsc"));

        assertThat(privacy.problems()).isEmpty();
        assertThat(privacy.fields()).containsKeys("device.device_id", "device.os", "shipping.street",
                "shipping.city", "attachments.owner_id", "attachments.size");
        assertThat(privacy.subjectFields()).extracting(PrivacyField::path)
                .containsExactly("sender_id", "receiver_id", "attachments.owner_id");
        // the first subject field drops the event by default, later ones are redacted unless they say otherwise
        assertThat(privacy.field("sender_id").orElseThrow().onErasure()).isEqualTo(OnErasure.DROP_EVENT);
        assertThat(privacy.field("receiver_id").orElseThrow().onErasure()).isEqualTo(OnErasure.REDACT);
        assertThat(privacy.field("attachments.owner_id").orElseThrow().onErasure()).isEqualTo(OnErasure.DROP_EVENT);
        assertThat(privacy.field("receiver_id").orElseThrow().linkedTo()).isEqualTo("sender_id");
        assertThat(privacy.field("device.device_id").orElseThrow().tags()).containsExactly("PII");
        assertThat(privacy.field("shipping.city").orElseThrow().tags()).containsExactlyInAnyOrder("PII", "location");
        assertThat(privacy.field("shipping.city").orElseThrow().personal()).isTrue();
        assertThat(privacy.field("device.os").orElseThrow().personal()).isFalse();
        assertThat(privacy.personalFields()).extracting(PrivacyField::path).contains("body", "device.device_id");
        assertThat(privacy.eventTimeField()).map(PrivacyField::path).contains("sent_at");
    }

    @Test
    void subjectPrefixesAreConfigurable() throws IOException {
        PrivacySchema privacy = PrivacySchema.of(schema("product-created.avsc"), java.util.Set.of("user/", "product/"));

        assertThat(privacy.field("id").orElseThrow().identifiesSubject()).isTrue();
        assertThat(privacy.field("id").orElseThrow().onErasure()).isEqualTo(OnErasure.DROP_EVENT);
        assertThat(privacy.field("user_id").orElseThrow().onErasure()).isEqualTo(OnErasure.REDACT);
    }

    @Test
    void listsMalformedAnnotationsWithTheirFields() {
        PrivacySchema privacy = fields("""
                {"name": "id", "type": "string"},
                {"name": "a", "type": "string", "sluice.entity": "User"},
                {"name": "b", "type": "string", "sluice.entity": "user/id", "sluice.on_erasure": "delete"},
                {"name": "c", "type": "string", "sluice.entity": "order/id", "sluice.linked_to": "nope"},
                {"name": "d", "type": "string", "sluice.linked_to": "b"},
                {"name": "e", "type": "string", "sluice.event_time": true},
                {"name": "f", "type": "long", "sluice.event_time": true},
                {"name": "g", "type": "long", "sluice.event_time": true},
                {"name": "h", "type": "string", "sluice.tags": "PII"},
                {"name": "i", "type": "string", "sluice.on_erasure": "redact"},
                {"name": "j", "type": "string", "sluice.entity": "order/id", "sluice.linked_to": "title"},
                {"name": "title", "type": "string"}
                """);

        assertThat(privacy.problems()).extracting(AnnotationProblem::path)
                .containsExactly("a", "b", "c", "d", "e", "g", "h", "i", "j");
        assertThat(privacy.problems()).extracting(AnnotationProblem::annotation).containsExactly(
                "sluice.entity", "sluice.on_erasure", "sluice.linked_to", "sluice.linked_to", "sluice.event_time",
                "sluice.event_time", "sluice.tags", "sluice.on_erasure", "sluice.linked_to");
        assertThat(privacy.problems().get(0).message()).contains("type/attribute").contains("\"User\"");
        assertThat(privacy.eventTimeField()).map(PrivacyField::path).contains("f");
    }

    @Test
    void eventIdMustBeATopLevelString() {
        assertThat(fields("{\"name\": \"id\", \"type\": \"long\"}").hasEventId()).isFalse();
        assertThat(fields("{\"name\": \"event_id\", \"type\": \"string\"}").hasEventId()).isFalse();
        assertThat(fields("{\"name\": \"id\", \"type\": \"string\"}").hasEventId()).isTrue();
    }

    @Test
    void recursiveTypesEndTheWalk() {
        PrivacySchema privacy = PrivacySchema.of(new Schema.Parser().parse("""
                {"type": "record", "name": "Node", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "next", "type": ["null", "Node"], "default": null}]}
                """));

        assertThat(privacy.fields()).containsOnlyKeys("id", "next");
    }
}
