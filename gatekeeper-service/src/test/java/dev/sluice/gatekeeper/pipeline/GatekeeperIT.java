package dev.sluice.gatekeeper.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gatekeeper.pipeline.Pipeline.Output;
import dev.sluice.gatekeeper.pipeline.Pipeline.Valid;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** The talk's events through a running gatekeeper, its real Kafka and Sluice's registry. */
@LocalInfraTest(Server.SCHEMA_REGISTRY)
class GatekeeperIT {

    static final String MESSAGE = """
            {"data": {"type": "message_sent", "id": "m-1", "sender_id": "u-1", "receiver_id": "u-2",
             "conversation_id": "0b7e6d8e-3c8f-4f3c-9a57-5a0f6c1b2d3e", "message": "hello",
             "attachments": [{"kind": "IMAGE", "size_bytes": 2048}], "sent_at": "2026-11-20T08:00:00Z"}}""";
    static final String ACCOUNT = """
            {"data": {"type": "account_updated", "id": "a-1", "user_id": "u-1", "email": "ann@example.com",
             "address": {"street": "Main St 1", "city": "Lyon", "zip_code": "69001", "country": "FR"},
             "plan": "PRO", "birth_date": "1990-04-01", "changed_fields": ["email", "plan"],
             "preferences": {"lang": "fr"}, "updated_at": 1764000000000}}""";
    static final String PRODUCT = """
            {"data": {"type": "product_created", "id": "p-1", "user_id": "u-1", "title": "Lamp", "price": "19.90",
             "category": "HOME", "listed_on": "2026-11-26", "created_at": 1764150000000}}""";

    /** Each invalid variant, with the reason and path it must get. */
    static final List<Object[]> INVALID = List.of(
            new Object[] {"m-missing", MESSAGE.replace("\"id\": \"m-1\"", "\"id\": \"m-missing\"").replace("\"message\": \"hello\",", ""), "MISSING_FIELD", "$.data.message"},
            new Object[] {"m-type", MESSAGE.replace("\"id\": \"m-1\"", "\"id\": \"m-type\"").replace("\"size_bytes\": 2048", "\"size_bytes\": \"big\""), "WRONG_TYPE", "$.data.attachments[0].size_bytes"},
            new Object[] {"m-enum", MESSAGE.replace("\"id\": \"m-1\"", "\"id\": \"m-enum\"").replace("IMAGE", "GIF"), "INVALID_VALUE", "$.data.attachments[0].kind"},
            new Object[] {"m-uuid", MESSAGE.replace("\"id\": \"m-1\"", "\"id\": \"m-uuid\"").replace("0b7e6d8e-3c8f-4f3c-9a57-5a0f6c1b2d3e", "42"), "INVALID_VALUE", "$.data.conversation_id"},
            new Object[] {"a-unknown", ACCOUNT.replace("\"id\": \"a-1\"", "\"id\": \"a-unknown\", \"nickname\": \"annie\""), "UNKNOWN_FIELD", "$.data.nickname"},
            new Object[] {"a-nested", ACCOUNT.replace("\"id\": \"a-1\"", "\"id\": \"a-nested\"").replace("\"city\": \"Lyon\", ", ""), "MISSING_FIELD", "$.data.address.city"},
            new Object[] {"a-date", ACCOUNT.replace("\"id\": \"a-1\"", "\"id\": \"a-date\"").replace("1990-04-01", "April"), "INVALID_VALUE", "$.data.birth_date"},
            new Object[] {"p-decimal", PRODUCT.replace("\"id\": \"p-1\"", "\"id\": \"p-decimal\"").replace("19.90", "19.999"), "INVALID_VALUE", "$.data.price"},
            new Object[] {"p-range", PRODUCT.replace("\"id\": \"p-1\"", "\"id\": \"p-range\", \"quantity\": 3000000000"), "INVALID_VALUE", "$.data.quantity"},
            new Object[] {"x-type", PRODUCT.replace("product_created", "product_deleted"), "UNKNOWN_EVENT_TYPE", "$.data.type"},
            new Object[] {"x-version", PRODUCT.replace("\"type\": \"product_created\"", "\"type\": \"product_created\", \"schema_version\": 99"), "UNKNOWN_SCHEMA_VERSION", "$.data.schema_version"},
            new Object[] {"x-notype", PRODUCT.replace("\"type\": \"product_created\", ", ""), "MISSING_TYPE", "$.data.type"},
            new Object[] {"x-envelope", "{\"event\": {\"type\": \"product_created\"}}", "MISSING_ENVELOPE", "$"},
            new Object[] {"x-array", "[" + PRODUCT + "]", "NOT_AN_OBJECT", "$"},
            new Object[] {"x-malformed", PRODUCT.substring(0, 40), "MALFORMED_JSON", "$"});

    @Test
    void validTopicsKeepLateEventsBecauseTheyHaveNoTimeRetention(LocalInfra infra) throws Exception {
        Pipeline pipeline = new Pipeline(infra);
        pipeline.sendJson(List.of(PRODUCT));
        try (ConfigurableApplicationContext gatekeeper = pipeline.startInJvm()) {
            assertThat(pipeline.readAll(1, Duration.ofSeconds(60)).valid).hasSize(1);
        }
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", infra.kafkaBootstrapServers()))) {
            org.apache.kafka.common.config.ConfigResource topic = new org.apache.kafka.common.config.ConfigResource(
                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, pipeline.validPrefix + "product_created");
            org.apache.kafka.clients.admin.Config config = admin.describeConfigs(List.of(topic)).all()
                    .get(30, java.util.concurrent.TimeUnit.SECONDS).get(topic);
            // its records carry event times; PRODUCT's is a year before this test ran
            assertThat(config.get("retention.ms").value()).isEqualTo("-1");
            assertThat(Long.parseLong(config.get("retention.bytes").value())).isPositive();
        }
    }

    @Test
    void validEventsArriveAsAvroAndEachInvalidVariantIsRejectedWithItsReasonAndPath(LocalInfra infra) {
        Pipeline pipeline = new Pipeline(infra);
        List<String> events = new ArrayList<>(List.of(MESSAGE, ACCOUNT, PRODUCT));
        INVALID.forEach(invalid -> events.add((String) invalid[1]));
        pipeline.sendJson(events);

        Output output;
        try (ConfigurableApplicationContext gatekeeper = pipeline.startInJvm()) {
            output = pipeline.readAll(events.size(), Duration.ofSeconds(60));
        }

        assertThat(output.size()).isEqualTo(events.size());
        Map<String, Valid> valid = output.valid.stream().collect(Collectors.toMap(Valid::key, v -> v));
        assertThat(valid).containsOnlyKeys("m-1", "a-1", "p-1");

        GenericRecord message = valid.get("m-1").value();
        assertThat(valid.get("m-1").type()).isEqualTo("message_sent");
        assertThat(message.get("receiver_id")).hasToString("u-2");
        assertThat(message.get("client")).isNull();
        assertThat(message.get("sent_at")).isEqualTo(Instant.parse("2026-11-20T08:00:00Z").toEpochMilli());
        // the Kafka timestamp is the event time the schema marks
        assertThat(valid.get("m-1").record().timestamp()).isEqualTo(Instant.parse("2026-11-20T08:00:00Z").toEpochMilli());
        GenericRecord account = valid.get("a-1").value();
        assertThat(((GenericRecord) account.get("address")).get("city")).hasToString("Lyon");
        assertThat(account.get("plan")).hasToString("PRO");
        assertThat(account.get("marketing_opt_in")).isEqualTo(false);
        assertThat(valid.get("p-1").value().get("currency")).hasToString("EUR");
        assertThat(valid.get("p-1").schemaId()).isEqualTo(Pipeline.registry(infra).latest("events.valid.product_created-value").id());

        Map<String, JsonNode> rejected = output.rejected.stream().collect(Collectors.toMap(
                r -> r.path("original").asString(), r -> r, (a, b) -> a));
        for (Object[] invalid : INVALID) {
            JsonNode rejection = rejected.get((String) invalid[1]);
            assertThat(rejection).as("rejection of %s", invalid[0]).isNotNull();
            assertThat(rejection.path("reason").asString()).as("reason of %s", invalid[0]).isEqualTo(invalid[2]);
            assertThat(rejection.path("path").asString()).as("path of %s", invalid[0]).isEqualTo(invalid[3]);
            assertThat(rejection.path("message").asString()).isNotBlank();
            assertThat(rejection.path("source").path("topic").asString()).isEqualTo(pipeline.rawTopic);
            assertThat(rejection.path("time").asString()).isNotBlank();
        }
    }
}
