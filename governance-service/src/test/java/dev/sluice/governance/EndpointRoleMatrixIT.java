package dev.sluice.governance;

import static dev.sluice.governance.GovernanceApp.field;
import static dev.sluice.governance.GovernanceApp.reservoir;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.governance.GovernanceApp.As;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint, called by nobody (401), by each role that must not (403) and by the role that may (success), with
 * real RS256 tokens signed by a key made for the test; one more column with a local user over HTTP basic, and a
 * token signed by another key and an expired one (401).
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY})
class EndpointRoleMatrixIT {

    static final List<String> ROLES = List.of("ANALYST", "DPO", "PRIVACY_OPS", "PLATFORM_ADMIN");
    static GovernanceApp app;
    static String reservoir;

    @BeforeAll
    static void start(LocalInfra infra) {
        app = GovernanceApp.start(infra, "matrix_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8),
                new MutableClock(Instant.now()));
        reservoir = "matrix_" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        app.expect(201, app.post("/reservoirs", reservoir(reservoir, "ann"), As.token("root", "PLATFORM_ADMIN")));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** One endpoint: how to call it (fixtures made fresh for each call), the roles it admits, the success status. */
    record Endpoint(String method, Supplier<String> path, Supplier<Object> body, Set<String> roles, int success) {
        String name() {
            return method + " " + path.get().replaceAll("[a-z]+_[0-9a-f]{6,}|[gr]-[0-9a-f]{12}", "{id}");
        }
    }

    static Endpoint endpoint(String method, Supplier<String> path, Supplier<Object> body, int success, String... roles) {
        return new Endpoint(method, path, body, Set.of(roles), success);
    }

    static String freshReservoir() {
        String name = "m_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        app.expect(201, app.post("/reservoirs", reservoir(name, "ann"), As.token("root", "PLATFORM_ADMIN")));
        return name;
    }

    static String freshRule() {
        return app.expect(201, app.post("/rules", Map.of("reservoir", reservoir, "selector",
                field("product_created", "title"), "action", "DROP"), As.token("root", "PLATFORM_ADMIN")))
                .path("rule").path("id").asString();
    }

    static String pendingGrant() {
        return app.expect(201, app.post("/reservoirs/" + reservoir + "/grants", Map.of("selector",
                field("message_sent", "sender_id"), "action", "HASH", "purpose", "p",
                "expires_at", Instant.now().plusSeconds(86_400).toString()), As.token("ann", "ANALYST")))
                .path("id").asString();
    }

    static String approvedGrant() {
        String id = pendingGrant();
        app.expect(200, app.post("/grants/" + id + "/approve", Map.of(), As.token("dora", "DPO")));
        return id;
    }

    static List<Endpoint> endpoints() {
        Supplier<Object> none = () -> null;
        Supplier<Object> reservoirBody = () -> Map.of("owning_team", "t", "members", List.of("ann"), "retention_days", 7);
        Supplier<Object> ruleBody = () -> Map.of("reservoir", reservoir, "selector", field("product_created", "title"),
                "action", "DROP");
        return List.of(
                endpoint("POST", () -> "/reservoirs", () -> reservoir("m_" + UUID.randomUUID().toString()
                        .replace("-", "").substring(0, 8), "ann"), 201, "PLATFORM_ADMIN"),
                endpoint("GET", () -> "/reservoirs", none, 200, "PLATFORM_ADMIN", "DPO", "ANALYST"),
                endpoint("GET", () -> "/reservoirs/" + reservoir, none, 200, "PLATFORM_ADMIN", "DPO", "ANALYST"),
                endpoint("PUT", () -> "/reservoirs/" + reservoir, reservoirBody, 200, "PLATFORM_ADMIN"),
                endpoint("DELETE", EndpointRoleMatrixIT::freshReservoirPath, none, 204, "PLATFORM_ADMIN"),
                endpoint("POST", () -> "/reservoirs/" + reservoir + "/key-rotation", none, 200, "PLATFORM_ADMIN"),
                endpoint("GET", () -> "/reservoirs/" + reservoir + "/policy?type=message_sent", none, 200,
                        "PLATFORM_ADMIN", "DPO", "ANALYST"),
                endpoint("GET", () -> "/reservoirs/" + reservoir + "/iam-policy", none, 200, "PLATFORM_ADMIN", "DPO"),
                endpoint("GET", () -> "/iam/jobs-policy", none, 200, "PLATFORM_ADMIN"),
                endpoint("POST", () -> "/rules", ruleBody, 201, "PLATFORM_ADMIN"),
                endpoint("GET", () -> "/rules", none, 200, "PLATFORM_ADMIN", "DPO"),
                endpoint("GET", () -> "/rules/" + freshRule(), none, 200, "PLATFORM_ADMIN", "DPO"),
                endpoint("PUT", () -> "/rules/" + freshRule(), ruleBody, 200, "PLATFORM_ADMIN"),
                endpoint("DELETE", () -> "/rules/" + freshRule(), none, 200, "PLATFORM_ADMIN"),
                endpoint("POST", () -> "/reservoirs/" + reservoir + "/grants", () -> Map.of("selector",
                        field("message_sent", "sender_id"), "action", "HASH", "purpose", "p",
                        "expires_at", Instant.now().plusSeconds(86_400).toString()), 201, "ANALYST"),
                endpoint("GET", () -> "/grants", none, 200, "PLATFORM_ADMIN", "DPO", "ANALYST"),
                endpoint("GET", () -> "/grants/" + pendingGrant(), none, 200, "PLATFORM_ADMIN", "DPO", "ANALYST"),
                endpoint("POST", () -> "/grants/" + pendingGrant() + "/approve", () -> Map.of(), 200, "DPO"),
                endpoint("POST", () -> "/grants/" + pendingGrant() + "/deny", () -> Map.of("reason", "no"), 200, "DPO"),
                endpoint("POST", () -> "/grants/" + approvedGrant() + "/revoke", () -> Map.of("reason", "done"), 200, "DPO"),
                endpoint("GET", () -> "/audit", none, 200, "DPO"),
                endpoint("GET", () -> "/audit/export", none, 200, "DPO"),
                endpoint("GET", () -> "/audit/verify", none, 200, "DPO"),
                endpoint("GET", () -> "/v3/api-docs", none, 200, "PLATFORM_ADMIN", "DPO", "ANALYST", "PRIVACY_OPS"));
    }

    static String freshReservoirPath() {
        return "/reservoirs/" + freshReservoir();
    }

    /** The name callers of a role have: the analyst is the reservoir's member and asked for the grants. */
    static String userOf(String role) {
        return switch (role) {
            case "ANALYST" -> "ann";
            case "DPO" -> "dora";
            case "PRIVACY_OPS" -> "pia";
            default -> "root";
        };
    }

    @Test
    void everyEndpointRefusesNobodyAndTheWrongRolesAndServesTheRightOnes() {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (Endpoint endpoint : endpoints()) {
            cases++;
            check(failures, endpoint, "nobody", As.NOBODY, 401);
            for (String role : ROLES) {
                cases++;
                check(failures, endpoint, role, As.token(userOf(role), role),
                        endpoint.roles().contains(role) ? endpoint.success() : 403);
            }
        }
        System.out.printf("endpoint x role matrix: %d endpoints, %d cases%n", endpoints().size(), cases);
        assertThat(failures).isEmpty();
        assertThat(cases).isEqualTo(endpoints().size() * (1 + ROLES.size()));
    }

    @Test
    void localUsersOverBasicAndForeignOrExpiredTokensAreJudgedToo() {
        assertThat(app.get("/rules", As.user("admin")).status()).isEqualTo(200);
        assertThat(app.get("/rules", As.user("analyst")).status()).isEqualTo(403);
        assertThat(app.get("/rules", new As("Basic " + java.util.Base64.getEncoder()
                .encodeToString("admin:wrong".getBytes()))).status()).isEqualTo(401);
        assertThat(app.get("/rules", new As("Bearer " + GovernanceApp.token("root", Instant.now().minusSeconds(600),
                "PLATFORM_ADMIN")))).extracting(GovernanceApp.Answer::status).isEqualTo(401);
        String forged = GovernanceApp.token("root", Instant.now().plusSeconds(600), "PLATFORM_ADMIN");
        String[] parts = forged.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
        assertThat(app.get("/rules", new As("Bearer " + tampered)).status()).isEqualTo(401);
        assertThat(app.get("/actuator/health/readiness", As.NOBODY).status()).isEqualTo(200);
    }

    static void check(List<String> failures, Endpoint endpoint, String who, As as, int expected) {
        String path = endpoint.path().get();
        int status = app.call(endpoint.method(), path, endpoint.body().get(), as).status();
        if (status != expected) {
            failures.add(endpoint.method() + " " + path + " as " + who + ": " + status + ", expected " + expected);
        }
    }
}
