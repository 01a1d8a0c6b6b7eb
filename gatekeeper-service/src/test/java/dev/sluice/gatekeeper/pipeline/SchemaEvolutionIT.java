package dev.sluice.gatekeeper.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.registry.SchemaRegistryClient;
import dev.sluice.gatekeeper.pipeline.Pipeline.Output;
import dev.sluice.gatekeeper.pipeline.Pipeline.Valid;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** A producer still on v1 while v2 (an added optional field) is registered: both are accepted with the right id. */
@LocalInfraTest(Server.SCHEMA_REGISTRY)
class SchemaEvolutionIT {

    static final String V1 = """
            {"type": "record", "name": "PageViewed", "namespace": "com.example.events", "fields": [
              {"name": "id", "type": "string"},
              {"name": "visitor_id", "type": "string", "sluice.entity": "user/id"},
              {"name": "url", "type": "string"},
              {"name": "viewed_at", "type": "long", "sluice.event_time": true}]}""";
    static final String V2 = V1.replace("{\"name\": \"url\", \"type\": \"string\"},",
            "{\"name\": \"url\", \"type\": \"string\"}, {\"name\": \"referrer\", \"type\": [\"null\", \"string\"], \"default\": null},");

    @Test
    void v1AndV2EventsAreBothAcceptedWithTheirIds(LocalInfra infra) throws Exception {
        Pipeline pipeline = new Pipeline(infra);
        pipeline.latestTtl = "0s"; // the gatekeeper asks the registry for the latest version at every event
        SchemaRegistryClient registry = Pipeline.registry(infra);
        String subject = "events.valid.page_viewed-value";
        int v1 = registry.register(subject, new Schema.Parser().parse(V1));

        try (ConfigurableApplicationContext gatekeeper = pipeline.startInJvm()) {
            pipeline.sendJson(List.of(event("before", 1L, null)));
            Output first = pipeline.readAll(1, Duration.ofSeconds(60));
            assertThat(first.valid).singleElement().satisfies(v -> assertThat(v.schemaId()).isEqualTo(v1));

            int v2 = registry.register(subject, new Schema.Parser().parse(V2));
            pipeline.sendJson(List.of(
                    event("old-client", null, null),          // v1-shaped, no version named: read with the latest, v2
                    event("pinned-v1", 1, null),              // names v1
                    event("new-client", null, "https://example.com"),
                    event("pinned-v1-with-v2-field", 1, "https://example.com")));
            Output output = pipeline.readAll(5, Duration.ofSeconds(60));

            Map<String, Valid> valid = output.valid.stream().collect(Collectors.toMap(Valid::key, v -> v, (a, b) -> a));
            assertThat(valid.get("old-client").schemaId()).isEqualTo(v2);
            assertThat(valid.get("old-client").value().get("referrer")).isNull();
            assertThat(valid.get("pinned-v1").schemaId()).isEqualTo(v1);
            assertThat(valid.get("new-client").schemaId()).isEqualTo(v2);
            assertThat(valid.get("new-client").value().get("referrer")).hasToString("https://example.com");
            // a field v1 does not know, on an event that asks for v1, is schema drift
            assertThat(output.rejected).singleElement().satisfies(r -> {
                assertThat(r.path("reason").asString()).isEqualTo("UNKNOWN_FIELD");
                assertThat(r.path("path").asString()).isEqualTo("$.data.referrer");
            });
        }
    }

    private static String event(String id, Object version, String referrer) {
        return "{\"data\": {\"type\": \"page_viewed\", \"id\": \"" + id + "\""
                + (version == null ? "" : ", \"schema_version\": " + version)
                + ", \"visitor_id\": \"u-1\", \"url\": \"/home\", \"viewed_at\": 1764150000000"
                + (referrer == null ? "" : ", \"referrer\": \"" + referrer + "\"") + "}}";
    }
}
