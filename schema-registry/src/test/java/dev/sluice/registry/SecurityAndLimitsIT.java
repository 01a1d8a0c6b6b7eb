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

@LocalInfraTest(Server.KAFKA)
class SecurityAndLimitsIT {

    static RunningRegistry registry;
    static final String SCHEMA = Schemas.record("Secure", "{\"name\":\"id\",\"type\":\"string\"}");

    @BeforeAll
    static void start(LocalInfra infra) {
        registry = RunningRegistry.start(infra, RunningRegistry.freshTopic(),
                Map.of("sluice.registry.max-request-size", "10KB"));
    }

    @AfterAll
    static void stop() {
        registry.close();
    }

    @Test
    void changesNeedAnAuthenticatedCaller() {
        Answer anonymous = registry.send("POST", "/subjects/secure-value/versions", schemaBody(SCHEMA), false);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.errorCode()).isEqualTo(401);
        assertThat(registry.send("PUT", "/config", "{\"compatibility\":\"NONE\"}", false).status()).isEqualTo(401);
        assertThat(registry.send("PUT", "/mode", "{\"mode\":\"READONLY\"}", false).status()).isEqualTo(401);
        assertThat(registry.send("DELETE", "/subjects/secure-value", null, false).status()).isEqualTo(401);
        assertThat(registry.get("/subjects").json().toString()).doesNotContain("secure-value");
    }

    @Test
    void readsAndLookupsAreOpenToServices() {
        int id = registry.register("open-value", SCHEMA);

        assertThat(registry.send("GET", "/schemas/ids/" + id, null, false).status()).isEqualTo(200);
        assertThat(registry.send("POST", "/subjects/open-value", schemaBody(SCHEMA), false).status()).isEqualTo(200);
        assertThat(registry.send("POST", "/compatibility/subjects/open-value/versions/latest", schemaBody(SCHEMA), false)
                .status()).isEqualTo(200);
        assertThat(registry.send("GET", "/actuator/health", null, false).status()).isEqualTo(200);
    }

    @Test
    void bodiesOverTheLimitAre413() {
        String big = Schemas.record("Big", "{\"name\":\"id\",\"type\":\"string\",\"doc\":\"" + "x".repeat(20_000) + "\"}");

        Answer answer = registry.post("/subjects/big-value/versions", schemaBody(big));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.errorCode()).isEqualTo(413);
        assertThat(registry.get("/subjects").json().toString()).doesNotContain("big-value");
    }
}
