package dev.sluice.governance;

import static dev.sluice.governance.GovernanceApp.field;
import static dev.sluice.governance.GovernanceApp.reservoir;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.sluice.governance.GovernanceApp.As;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The audit's hash chain names an entry edited behind the service's back, in Cassandra itself; and a restart of the
 * service keeps every reservoir, rule, grant and the chain intact.
 */
@LocalInfraTest({Server.KAFKA, Server.CASSANDRA, Server.SCHEMA_REGISTRY})
class AuditAndRestartIT {

    static final As ADMIN = As.user("admin");
    static final As DPO = As.user("dpo");
    static final As ANALYST = As.user("analyst");

    @Test
    void anEditedEntryIsNamedByTheVerificationAndARestartKeepsStateAndChain(LocalInfra infra) {
        String keyspace = "audit_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        MutableClock clock = new MutableClock(Instant.now());
        String reservoir = "kept_" + UUID.randomUUID().toString().replace("-", "").substring(0, 6);
        String grant;
        JsonNode before;
        try (GovernanceApp app = GovernanceApp.start(infra, keyspace, clock)) {
            app.expect(201, app.post("/reservoirs", reservoir(reservoir, "analyst"), ADMIN));
            app.expect(201, app.post("/rules", Map.of("selector", field("product_created", "title"), "action", "DROP"), ADMIN));
            grant = app.expect(201, app.post("/reservoirs/" + reservoir + "/grants", Map.of("selector",
                    field("message_sent", "sender_id"), "action", "HASH", "purpose", "p",
                    "expires_at", clock.instant().plus(Duration.ofDays(3)).toString()), ANALYST)).path("id").asString();
            app.expect(200, app.post("/grants/" + grant + "/approve", Map.of(), DPO));
            before = app.expect(200, app.get("/audit", DPO));
            assertThat(before).hasSize(4);
            JsonNode intact = app.expect(200, app.get("/audit/verify", DPO));
            assertThat(intact.path("intact").asBoolean()).isTrue();
            assertThat(intact.path("entries_checked").asLong()).isEqualTo(4);
            String lines = app.get("/audit/export?action=grant.", DPO).body();
            assertThat(lines.lines().toList()).hasSize(2).allSatisfy(line -> assertThat(line).startsWith("{"));

            // someone with access to Cassandra rewrites what the approval recorded
            try (CqlSession cql = cql(infra)) {
                cql.execute(SimpleStatement.newInstance("UPDATE " + keyspace + ".audit SET actor = 'nobody' "
                        + "WHERE bucket = 0 AND seq = 3"));
                JsonNode broken = app.expect(200, app.get("/audit/verify", DPO));
                assertThat(broken.path("intact").asBoolean()).isFalse();
                assertThat(broken.path("first_bad_seq").asLong()).isEqualTo(3);
                assertThat(broken.path("problem").asString()).contains("does not match its hash");
                // and a removed entry is a gap
                cql.execute(SimpleStatement.newInstance("UPDATE " + keyspace + ".audit SET actor = 'analyst' "
                        + "WHERE bucket = 0 AND seq = 3"));
                assertThat(app.expect(200, app.get("/audit/verify", DPO)).path("intact").asBoolean()).isTrue();
                cql.execute(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".audit WHERE bucket = 0 AND seq = 2"));
                JsonNode gap = app.expect(200, app.get("/audit/verify", DPO));
                assertThat(gap.path("first_bad_seq").asLong()).isEqualTo(2);
                assertThat(gap.path("problem").asString()).contains("missing");
                cql.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".audit (bucket, seq, at, actor, "
                        + "action, target, before, after, reason, prev_hash, hash) VALUES (0, 2, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        Instant.parse(before.get(1).path("at").asString()), text(before.get(1), "actor"),
                        text(before.get(1), "action"), text(before.get(1), "target"), text(before.get(1), "before"),
                        text(before.get(1), "after"), text(before.get(1), "reason"), text(before.get(1), "prev_hash"),
                        text(before.get(1), "hash")));
            }
        }

        try (GovernanceApp restarted = GovernanceApp.start(infra, keyspace, clock)) {
            assertThat(restarted.expect(200, restarted.get("/reservoirs/" + reservoir, ADMIN)).path("revision").asLong())
                    .isGreaterThan(1);
            assertThat(restarted.expect(200, restarted.get("/grants/" + grant, DPO)).path("status").asString())
                    .isEqualTo("APPROVED");
            assertThat(restarted.expect(200, restarted.get("/rules", ADMIN))).hasSize(1);
            JsonNode verified = restarted.expect(200, restarted.get("/audit/verify", DPO));
            assertThat(verified.path("intact").asBoolean()).isTrue();
            assertThat(verified.path("entries_checked").asLong()).isEqualTo(4);
            // the chain goes on from where it was
            restarted.expect(200, restarted.post("/reservoirs/" + reservoir + "/key-rotation", null, ADMIN));
            JsonNode after = restarted.expect(200, restarted.get("/audit/verify", DPO));
            assertThat(after.path("intact").asBoolean()).isTrue();
            assertThat(after.path("entries_checked").asLong()).isEqualTo(5);
            List<String> actions = restarted.expect(200, restarted.get("/audit", DPO)).findValuesAsString("action");
            assertThat(actions).containsExactly("reservoir.create", "rule.create", "grant.request", "grant.approve",
                    "reservoir.rotate-key");
        }
    }

    static String text(JsonNode node, String field) {
        return node.path(field).isNull() || node.path(field).isMissingNode() ? null : node.path(field).asString();
    }

    static CqlSession cql(LocalInfra infra) {
        String[] hostPort = infra.cassandraContactPoint().split(":");
        return CqlSession.builder().addContactPoint(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])))
                .withLocalDatacenter(infra.cassandraLocalDatacenter()).build();
    }
}
