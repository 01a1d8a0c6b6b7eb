package dev.sluice.registry;

import static dev.sluice.registry.RunningRegistry.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void aWrongPasswordIs401() {
        assertThat(registry.send("POST", "/subjects/wrong-value/versions", schemaBody(SCHEMA),
                RunningRegistry.USER + ":not-the-password").status()).isEqualTo(401);
        assertThat(registry.get("/subjects").json().toString()).doesNotContain("wrong-value");
    }

    @Test
    void outsideTheLocalModeTheBuiltInPasswordOrAPlainOneStopsTheStartWithWhatToSet(LocalInfra infra) {
        // the password of application.yml: the hash of the local password sluice-local
        assertThatThrownBy(() -> RunningRegistry.start(infra, RunningRegistry.freshTopic(),
                Map.of("sluice.registry.security.users[0].password",
                        "{bcrypt}$2a$04$bnWORRgNxEBZOxuPYD6lGuJ.LTmQSHzCuRpdemna85Q1/cyX40xRi")).close())
                .hasStackTraceContaining("built-in local password").hasStackTraceContaining("SLUICE_LOCAL_MODE");
        assertThatThrownBy(() -> RunningRegistry.start(infra, RunningRegistry.freshTopic(),
                Map.of("sluice.registry.security.users[0].password", "plain")).close())
                .hasStackTraceContaining("plain-text password");
        // the same plain password is fine on a laptop
        RunningRegistry.start(infra, RunningRegistry.freshTopic(), Map.of("sluice.registry.security.users[0].password",
                "plain", "sluice.security.local-mode", "true")).close();
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
