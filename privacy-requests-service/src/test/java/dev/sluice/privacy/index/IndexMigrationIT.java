package dev.sluice.privacy.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.privacy.EntityRef;
import dev.sluice.infra.LocalInfra;
import dev.sluice.infra.Server;
import dev.sluice.infra.junit.LocalInfraTest;
import dev.sluice.privacy.requests.RequestStore;
import java.net.InetSocketAddress;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An index written by a service before V3 (its hours in {@code entity_index}, its relations in
 * {@code entity_relations}) is moved into {@code entity_graph} at the first start after the upgrade, and answers the
 * same lookups; V1's tables are gone, and a second start moves nothing.
 */
@LocalInfraTest({Server.CASSANDRA})
class IndexMigrationIT {

    @Test
    void v1TablesAreMovedIntoTheGraphOnceAndAnswerTheSameLookups(LocalInfra infra) {
        String keyspace = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String[] contact = infra.cassandraContactPoint().split(":");
        try (CqlSession session = CqlSession.builder()
                .addContactPoint(new InetSocketAddress(contact[0], Integer.parseInt(contact[1])))
                .withLocalDatacenter(infra.cassandraLocalDatacenter()).build()) {
            // the schema as the upgraded service finds it: V1's tables, still there, and V3's
            RequestStore.open(session, keyspace, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
            LocalDate day = LocalDate.of(2026, 3, 7);
            for (int hour : List.of(3, 17)) {
                session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".entity_index (entity_type, "
                        + "entity_id, event_type, date, hour) VALUES ('user/id', 'luke', 'message_sent', ?, ?)", day, hour));
            }
            session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".entity_index (entity_type, "
                    + "entity_id, event_type, date, hour) VALUES ('product/id', 'p-1', 'product_created', ?, 9)", day));
            for (String[] link : List.of(new String[] {"user/id", "luke", "product/id", "p-1"},
                    new String[] {"product/id", "p-1", "user/id", "luke"})) {
                session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".entity_relations (entity_type, "
                        + "entity_id, linked_type, linked_id) VALUES (?, ?, ?, ?)", (Object[]) link));
            }

            EntityIndex index = EntityIndex.open(session, keyspace, 8);

            EntityRef luke = new EntityRef("user/id", "luke");
            EntityRef product = new EntityRef("product/id", "p-1");
            assertThat(index.partitions(luke)).isEqualTo(Map.of("message_sent", List.of(
                    new HourPartition("message_sent", day, 3), new HourPartition("message_sent", day, 17))));
            assertThat(index.partitions(product)).isEqualTo(Map.of("product_created", List.of(
                    new HourPartition("product_created", day, 9))));
            assertThat(index.linked(luke)).containsExactly(product);
            assertThat(index.linked(product)).containsExactly(luke);
            assertThat(tables(session, keyspace)).contains("entity_graph")
                    .doesNotContain("entity_index", "entity_relations");
            assertThat(index.moveV1Tables()).isZero();

            // and the moved index forgets as one written after the upgrade does
            assertThat(index.forget(luke).linked()).containsExactly(product);
            assertThat(index.remaining(luke, Set.of(product))).isEqualTo(new EntityIndex.Left(0, 0));
            assertThat(index.partitions(product)).hasSize(1);
        }
    }

    private static List<String> tables(CqlSession session, String keyspace) {
        return session.execute(SimpleStatement.newInstance("SELECT table_name FROM system_schema.tables WHERE "
                + "keyspace_name = ?", keyspace)).all().stream().map(row -> row.getString("table_name")).toList();
    }
}
