package dev.sluice.privacy.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the index's writes are grouped into batches ({@link EntityIndex#plan}). */
class WritePlanTest {

    /** A row of the index: its partition key and which replicas hold it. */
    record Row(String partition, String replicas, int n) {
    }

    private static List<List<Row>> plan(List<Row> rows) {
        return EntityIndex.plan(rows, Row::partition, key -> rows.stream().filter(r -> key.equals(r.partition()))
                .findFirst().orElseThrow().replicas());
    }

    @Test
    void everyRowOfAPartitionIsInOneBatchAndEveryRowOnce() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(new Row("order-" + i, "node-" + (i % 3), i)); // its index entry ...
            rows.add(new Row("order-" + i, "node-" + (i % 3), i)); // ... and its relation to the user
            rows.add(new Row("user-1", "node-0", i)); // the user's relation to it
        }
        List<List<Row>> batches = plan(rows);

        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(rows.size());
        Map<String, Integer> batchOf = new HashMap<>();
        for (int b = 0; b < batches.size(); b++) {
            for (Row row : batches.get(b)) {
                Integer before = batchOf.putIfAbsent(row.partition(), b);
                if (!row.partition().equals("user-1")) {
                    assertThat(before).as(row.partition()).isIn(null, b);
                }
            }
        }
        // the busy partition (300 rows) alone, in one batch: Cassandra applies it as one mutation
        List<List<Row>> userBatches = batches.stream().filter(b -> b.get(0).partition().equals("user-1")).toList();
        assertThat(userBatches).hasSize(1);
        assertThat(userBatches.get(0)).hasSize(300).allMatch(r -> r.partition().equals("user-1"));
    }

    @Test
    void packedBatchesStayOnOneReplicaSetWithinTheLimits() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(new Row("p-" + i, "node-" + (i % 2), i));
            rows.add(new Row("p-" + i, "node-" + (i % 2), i));
        }
        List<List<Row>> batches = plan(rows);

        assertThat(batches).allSatisfy(batch -> {
            Set<String> partitions = new HashSet<>();
            batch.forEach(row -> partitions.add(row.partition()));
            assertThat(partitions).hasSizeLessThanOrEqualTo(EntityIndex.BATCH_PARTITIONS);
            assertThat(batch).hasSizeLessThanOrEqualTo(EntityIndex.PACKED_ROWS);
            assertThat(batch.stream().map(Row::replicas).distinct()).hasSize(1);
        });
        assertThat(batches).hasSize(10); // 50 partitions per replica set, ten per batch
    }

    @Test
    void aPartitionLargerThanABatchIsSplitIntoBatchesOfItsOwn() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            rows.add(new Row("user-1", "node-0", i));
        }
        rows.add(new Row("user-2", "node-0", 0));

        List<List<Row>> batches = plan(rows);

        assertThat(batches).extracting(List::size).containsExactly(EntityIndex.PARTITION_ROWS, EntityIndex.PARTITION_ROWS,
                500, 1);
    }

    @Test
    void writesWithoutAKnownPartitionGoOneByOneIntoPackedBatches() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            rows.add(new Row(null, "unknown", i));
        }
        List<List<Row>> batches = EntityIndex.plan(rows, Row::partition, key -> {
            throw new AssertionError("no replicas are looked up without a key");
        });

        assertThat(batches).extracting(List::size).containsExactly(10, 10, 5);
    }
}
