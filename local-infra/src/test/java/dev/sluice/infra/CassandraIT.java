package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.sluice.infra.junit.LocalInfraTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@LocalInfraTest(Server.CASSANDRA)
class CassandraIT {

    private static CqlSession session;

    @BeforeAll
    static void schema(LocalInfra infra) {
        session = Clients.cqlSession(infra);
        session.execute("CREATE KEYSPACE IF NOT EXISTS infra_it WITH replication = "
                + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
        session.execute("CREATE TABLE IF NOT EXISTS infra_it.landing (event_type text, hour text, event_id text, "
                + "payload blob, PRIMARY KEY ((event_type, hour), event_id)) WITH default_time_to_live = 3600");
    }

    @AfterAll
    static void close() {
        session.close();
    }

    @Test
    void insertWithTtlIsReadBackWithItsTtl() {
        PreparedStatement insert = session.prepare("INSERT INTO infra_it.landing (event_type, hour, event_id, payload) "
                + "VALUES (?, ?, ?, textAsBlob(?)) USING TTL ?");
        session.execute(insert.bind("message_sent", "2026-11-26T10", "e-1", "hello", 600));

        Row row = session.execute(session.prepare("SELECT blobAsText(payload) AS payload, TTL(payload) AS ttl "
                + "FROM infra_it.landing WHERE event_type = ? AND hour = ? AND event_id = ?")
                .bind("message_sent", "2026-11-26T10", "e-1")).one();

        assertThat(row).isNotNull();
        assertThat(row.getString("payload")).isEqualTo("hello");
        assertThat(row.getInt("ttl")).isBetween(1, 600);
    }

    @Test
    void tableDefaultTtlAppliesWhenInsertHasNone() {
        session.execute(session.prepare("INSERT INTO infra_it.landing (event_type, hour, event_id, payload) "
                + "VALUES (?, ?, ?, textAsBlob(?))").bind("message_sent", "2026-11-26T11", "e-2", "default"));

        Row row = session.execute(session.prepare("SELECT TTL(payload) AS ttl FROM infra_it.landing "
                + "WHERE event_type = ? AND hour = ? AND event_id = ?").bind("message_sent", "2026-11-26T11", "e-2")).one();

        assertThat(row).isNotNull();
        assertThat(row.getInt("ttl")).isBetween(3000, 3600);
    }

    @Test
    void rowsExpireAfterTheirTtl() {
        session.execute(session.prepare("INSERT INTO infra_it.landing (event_type, hour, event_id, payload) "
                + "VALUES (?, ?, ?, textAsBlob(?)) USING TTL 1").bind("message_sent", "2026-11-26T12", "e-3", "brief"));
        PreparedStatement select = session.prepare("SELECT event_id FROM infra_it.landing WHERE event_type = ? AND hour = ?");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(session.execute(select.bind("message_sent", "2026-11-26T12")).all()).isEmpty());
    }
}
