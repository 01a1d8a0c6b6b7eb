package dev.sluice.gatekeeper.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.gatekeeper.pipeline.Pipeline.Output;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A generated corpus of malformed and hostile inputs: every one becomes a rejection with a reason, none is lost,
 * and the gatekeeper keeps going (a valid event sent after them arrives).
 */
@LocalInfraTest(Server.SCHEMA_REGISTRY)
class HostileInputIT {

    static List<byte[]> corpus() {
        List<byte[]> inputs = new ArrayList<>();
        Random random = new Random(20261126);
        String valid = GatekeeperIT.PRODUCT;
        byte[] validBytes = valid.getBytes(StandardCharsets.UTF_8);
        // fixed hostile cases
        List<String> fixed = List.of("", " ", "null", "true", "42", "\"data\"", "[]", "{}", "{\"data\": null}",
                "{\"data\": {}}", "{\"data\": {\"type\": null}}", "{\"data\": {\"type\": \"\"}}",
                "{\"data\": {\"type\": \"product_created\", \"id\": NaN}}",
                "{\"data\": {\"type\": \"product_created\", \"quantity\": Infinity}}",
                "{\"data\": {\"type\": \"product_created\", \"quantity\": 1e99999}}",
                "{\"data\": {\"type\": \"product_created\", \"id\": \"p\", \"quantity\": " + "9".repeat(2000) + "}}",
                "{'data': {'type': 'product_created'}}", "{\"data\": {\"type\": \"product_created\"}",
                "{\"data\": {\"type\": \"product_created\"}}}", "{\"data\": {\"type\": \"a b\"}}",
                "{\"data\": {\"type\": \"" + "x".repeat(300) + "\"}}", "\u0000\u0001\u0002",
                "{\"data\": {\"type\": \"product_created\", \"id\": \"dup\", \"id\": \"dup\"}}");
        fixed.forEach(text -> inputs.add(text.getBytes(StandardCharsets.UTF_8)));
        inputs.add(("{\"data\": {\"type\": \"product_created\", \"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}}")
                .getBytes(StandardCharsets.UTF_8));
        inputs.add(("{\"data\": {\"type\": \"product_created\", \"title\": \"" + "a".repeat(10 * 1024 * 1024) + "\"}}")
                .getBytes(StandardCharsets.UTF_8));
        inputs.add(new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'});
        byte[] badUtf8 = valid.replace("Lamp", "L\u00e9mp").getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < badUtf8.length - 1; i++) {
            if (badUtf8[i] == (byte) 0xC3) {
                badUtf8[i + 1] = (byte) 0x28; // an invalid continuation byte
            }
        }
        inputs.add(badUtf8);
        // truncations of a valid event
        for (int cut = 1; cut < validBytes.length; cut += 3) {
            inputs.add(java.util.Arrays.copyOf(validBytes, cut));
        }
        // random byte flips that break the JSON (kept only if they do not happen to stay valid JSON of a valid event)
        while (inputs.size() < 520) {
            byte[] mutated = validBytes.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                mutated[random.nextInt(mutated.length)] = (byte) "{}[]\",:\\ x0".charAt(random.nextInt(11));
            }
            inputs.add(mutated);
        }
        // wrong types for every field
        for (String field : List.of("id", "user_id", "title", "price", "category", "listed_on", "created_at")) {
            for (String value : List.of("{}", "[1]", "true", "null", "-1.5")) {
                inputs.add(valid.replaceFirst("\"" + field + "\": (\"[^\"]*\"|[0-9]+)", "\"" + field + "\": " + value)
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        return inputs;
    }

    @Test
    void everyHostileInputIsRejectedAndNothingIsLost(LocalInfra infra) {
        Pipeline pipeline = new Pipeline(infra);
        List<byte[]> inputs = corpus();
        List<byte[]> all = new ArrayList<>(inputs);
        String after = GatekeeperIT.PRODUCT.replace("\"id\": \"p-1\"", "\"id\": \"after-the-storm\"");
        all.add(after.getBytes(StandardCharsets.UTF_8));
        pipeline.send(all);

        Output output;
        try (ConfigurableApplicationContext gatekeeper = pipeline.startInJvm()) {
            output = pipeline.readAll(all.size(), Duration.ofSeconds(120));
        }

        assertThat(output.size()).as("one output per input, nothing lost or doubled").isEqualTo(all.size());
        // the few byte flips that kept the event valid (inside a string value, say) may pass; everything else is rejected
        Set<String> reasons = new HashSet<>();
        for (JsonNode rejection : output.rejected) {
            assertThat(rejection.path("reason").asString()).isNotBlank();
            assertThat(rejection.path("message").asString()).doesNotStartWith("internal error");
            assertThat(rejection.path("path").asString()).startsWith("$");
            assertThat(rejection.has("original") || rejection.has("original_base64")).isTrue();
            reasons.add(rejection.path("reason").asString());
        }
        assertThat(output.rejected.size()).isGreaterThanOrEqualTo(500);
        assertThat(reasons).contains("MALFORMED_JSON", "NOT_AN_OBJECT", "MISSING_ENVELOPE", "MISSING_TYPE",
                "UNKNOWN_EVENT_TYPE", "WRONG_TYPE", "TOO_LARGE", "TOO_DEEP", "INVALID_VALUE");
        assertThat(output.rejected).anySatisfy(r -> assertThat(r.has("original_base64")).isTrue());
        assertThat(output.valid).anySatisfy(v -> assertThat(v.key()).isEqualTo("after-the-storm"));
        for (JsonNode rejection : output.rejected) {
            if (rejection.has("original_base64")) {
                assertThat(Base64.getDecoder().decode(rejection.path("original_base64").asString())).isNotNull();
            }
        }
    }
}
