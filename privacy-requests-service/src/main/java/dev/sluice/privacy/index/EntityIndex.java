package dev.sluice.privacy.index;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import dev.sluice.core.lake.HourPartition;
import dev.sluice.core.privacy.EntityPaths;
import dev.sluice.core.privacy.EntityRef;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reverse index (entity → the lake partitions of the events that mention it), the relations graph (entity →
 * the entities linked to it, both directions), both in {@code entity_graph} ({@code cql/privacy/V3.cql}: an entity's
 * hours and links in its one partition), and where the indexer began on each topic partition ({@code index_coverage},
 * V1), in Cassandra. Every write is an idempotent upsert of a key, so replaying a topic changes nothing;
 * writes go asynchronously, at most {@code maxInFlight} at a time, and {@link #write} returns once all are
 * acknowledged (the listener commits its offsets only then).
 */
public final class EntityIndex {

    private static final Logger log = LoggerFactory.getLogger(EntityIndex.class);

    /** The kind of a row of {@code entity_graph}: an hour of an event type that mentions the entity. */
    static final String HOUR = "hour";
    /** The kind of a row of {@code entity_graph}: an entity linked to it. */
    static final String LINK = "link";
    /** A DDL statement waits for the schema's agreement; the driver's 2 s default is too short on a busy node. */
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(60);
    /** Rows copied at a time when V1's tables are moved. */
    static final int COPY_PAGE = 5000;
    /** Partitions in one unlogged batch at most. */
    static final int BATCH_PARTITIONS = 10;
    /** Rows in a batch of several partitions at most (index and relation rows are under 100 bytes each). */
    static final int PACKED_ROWS = 40;
    /** Rows of one partition in one batch at most. */
    static final int PARTITION_ROWS = 1000;

    private final CqlSession session;
    private final String keyspace;
    private final int maxInFlight;
    private final PreparedStatement insert;
    private final PreparedStatement insertCoverage;
    private final PreparedStatement select;
    private final PreparedStatement selectCoverage;
    private final PreparedStatement deleteLink;
    private final PreparedStatement deleteEntity;

    /** An event type's hour that mentions an entity. */
    public record Entry(EntityRef entity, HourPartition partition) {
    }

    /** Where the indexer began reading one partition of a type's topic. */
    public record Coverage(String eventType, int partition, long firstOffset, Instant firstTimestamp) {

        /** Whether records before the first one read had already gone from the topic (so some hours may be missing). */
        public boolean incomplete() {
            return firstOffset > 0;
        }
    }

    EntityIndex(CqlSession session, String keyspace, int maxInFlight) {
        this.session = session;
        this.keyspace = keyspace;
        this.maxInFlight = maxInFlight;
        this.insert = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".entity_graph "
                + "(entity_type, entity_id, kind, name, value) VALUES (?, ?, ?, ?, ?)").setIdempotent(true));
        this.insertCoverage = session.prepare("INSERT INTO " + keyspace + ".index_coverage (event_type, topic_partition, "
                + "first_offset, first_timestamp) VALUES (?, ?, ?, ?) IF NOT EXISTS");
        this.select = session.prepare("SELECT name, value FROM " + keyspace
                + ".entity_graph WHERE entity_type = ? AND entity_id = ? AND kind = ?");
        this.deleteLink = session.prepare(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".entity_graph "
                + "WHERE entity_type = ? AND entity_id = ? AND kind = '" + LINK + "' AND name = ? AND value = ?")
                .setIdempotent(true));
        this.deleteEntity = session.prepare(SimpleStatement.newInstance("DELETE FROM " + keyspace
                + ".entity_graph WHERE entity_type = ? AND entity_id = ?").setIdempotent(true));
        this.selectCoverage = session.prepare("SELECT topic_partition, first_offset, first_timestamp FROM " + keyspace
                + ".index_coverage WHERE event_type = ?");
    }

    /** The index, with V1's tables moved into V3's first ({@link #moveV1Tables}) if they are still there. */
    public static EntityIndex open(CqlSession session, String keyspace, int maxInFlight) {
        EntityIndex index = new EntityIndex(session, keyspace, maxInFlight);
        long moved = index.moveV1Tables();
        if (moved > 0) {
            log.info("moved {} rows of entity_index and entity_relations into {}.entity_graph", moved, keyspace);
        }
        return index;
    }

    /**
     * V1 kept the hours and the relations in two tables ({@code entity_index}, {@code entity_relations}); V3 keeps both
     * in {@code entity_graph}, so that the rows an event adds to an entity are one partition. This copies V1's rows
     * into it, then drops V1's tables, each after its copy: a move cut short is taken up at the next start (every
     * write an upsert). Returns the rows copied; 0 once the tables are gone. No instance of an older version may write
     * V1's tables meanwhile (it would lose what it wrote during the move): the chart replaces the service's pods
     * instead of rolling them.
     */
    long moveV1Tables() {
        long moved = 0;
        if (tableExists("entity_index")) {
            moved += copy("SELECT entity_type, entity_id, event_type, date, hour FROM " + keyspace + ".entity_index",
                    row -> insert.bind(row.getString("entity_type"), row.getString("entity_id"), HOUR,
                            row.getString("event_type"), hourValue(row.getLocalDate("date"), row.getInt("hour"))));
            session.execute(SimpleStatement.newInstance("DROP TABLE IF EXISTS " + keyspace + ".entity_index")
                    .setTimeout(DDL_TIMEOUT));
        }
        if (tableExists("entity_relations")) {
            moved += copy("SELECT entity_type, entity_id, linked_type, linked_id FROM " + keyspace + ".entity_relations",
                    row -> insert.bind(row.getString("entity_type"), row.getString("entity_id"), LINK,
                            row.getString("linked_type"), row.getString("linked_id")));
            session.execute(SimpleStatement.newInstance("DROP TABLE IF EXISTS " + keyspace + ".entity_relations")
                    .setTimeout(DDL_TIMEOUT));
        }
        return moved;
    }

    private boolean tableExists(String table) {
        return session.execute(SimpleStatement.newInstance("SELECT table_name FROM system_schema.tables WHERE "
                + "keyspace_name = ? AND table_name = ?", keyspace, table)).one() != null;
    }

    /** Writes a statement for every row the query reads (the driver pages through it), a page's worth at a time. */
    private long copy(String query, Function<Row, BoundStatement> toInsert) {
        long copied = 0;
        List<BoundStatement> page = new ArrayList<>();
        for (Row row : session.execute(query)) {
            page.add(toInsert.apply(row));
            if (page.size() == COPY_PAGE) {
                executeAll(page);
                copied += page.size();
                page = new ArrayList<>();
            }
        }
        executeAll(page);
        return copied + page.size();
    }

    /** Writes the entries and both directions of each relation; returns when every write is acknowledged. */
    public void write(Collection<Entry> entries, Collection<EntityPaths.Link> links) {
        List<BoundStatement> statements = new ArrayList<>(entries.size() + 2 * links.size());
        for (Entry entry : entries) {
            statements.add(insert.bind(entry.entity().type(), entry.entity().id(), HOUR, entry.partition().eventType(),
                    hourValue(entry.partition().date(), entry.partition().hour())));
        }
        for (var link : links) {
            statements.add(insert.bind(link.from().type(), link.from().id(), LINK, link.to().type(), link.to().id()));
            statements.add(insert.bind(link.to().type(), link.to().id(), LINK, link.from().type(), link.from().id()));
        }
        executeAll(statements);
    }

    /** The clustering value of an hour: {@code yyyy-MM-ddTHH} (UTC), which sorts as the hours do. */
    static String hourValue(LocalDate date, int hour) {
        return date + (hour < 10 ? "T0" : "T") + hour;
    }

    private static HourPartition hourOf(String eventType, String value) {
        return new HourPartition(eventType, LocalDate.parse(value.substring(0, 10)),
                Integer.parseInt(value.substring(11)));
    }

    /** Records where the indexer began on a topic partition, unless it was recorded before. */
    public void began(Coverage coverage) {
        session.execute(insertCoverage.bind(coverage.eventType(), coverage.partition(), coverage.firstOffset(),
                coverage.firstTimestamp()));
    }

    /** Every hour of every event type that mentions the entity, by event type. */
    public Map<String, List<HourPartition>> partitions(EntityRef entity) {
        Map<String, List<HourPartition>> found = new TreeMap<>();
        for (Row row : session.execute(select.bind(entity.type(), entity.id(), HOUR))) {
            String type = row.getString("name");
            found.computeIfAbsent(type, t -> new ArrayList<>()).add(hourOf(type, row.getString("value")));
        }
        return found;
    }

    /** The entities linked to this one (either direction). */
    public Set<EntityRef> linked(EntityRef entity) {
        Set<EntityRef> linked = new LinkedHashSet<>();
        for (Row row : session.execute(select.bind(entity.type(), entity.id(), LINK))) {
            linked.add(new EntityRef(row.getString("name"), row.getString("value")));
        }
        return linked;
    }

    /** Where the indexer began on each partition of the type's topic; empty if it never read the type. */
    public List<Coverage> coverage(String eventType) {
        List<Coverage> coverage = new ArrayList<>();
        for (Row row : session.execute(selectCoverage.bind(eventType))) {
            coverage.add(new Coverage(eventType, row.getInt("topic_partition"), row.getLong("first_offset"),
                    row.getInstant("first_timestamp")));
        }
        return coverage;
    }

    /**
     * The first hour from which the type is fully indexed: empty when every partition was read from its first
     * record ever (all indexed), else the latest first timestamp among partitions that began after records had gone.
     */
    public Optional<Instant> indexedFrom(String eventType) {
        return indexedFrom(eventType, coverage(eventType));
    }

    /** {@link #indexedFrom(String)} of a coverage already read. */
    public static Optional<Instant> indexedFrom(String eventType, List<Coverage> coverage) {
        return coverage.stream().filter(Coverage::incomplete).map(Coverage::firstTimestamp)
                .max(Instant::compareTo).map(at -> HourPartition.holding(eventType, at).start().plusSeconds(3600));
    }

    /**
     * Sends the writes as unlogged batches ({@link #plan}), at most {@code maxInFlight} at a time: one request per
     * batch instead of per row, and one mutation per partition instead of per row (each measured with the index-lag
     * benchmark, benchmarks/README.md).
     */
    private void executeAll(List<BoundStatement> statements) {
        Semaphore inFlight = new Semaphore(maxInFlight);
        List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>();
        try {
            Optional<TokenMap> tokens = session.getMetadata().getTokenMap();
            for (List<BoundStatement> batch : plan(statements, BoundStatement::getRoutingKey, key -> tokens
                    .<Object>map(map -> map.getReplicas(keyspace, (ByteBuffer) key)).orElse("any"))) {
                inFlight.acquire();
                Statement<?> request = batch.size() == 1 ? batch.get(0)
                        : BatchStatement.newInstance(DefaultBatchType.UNLOGGED, batch.toArray(BatchableStatement[]::new))
                                .setIdempotent(true);
                CompletableFuture<AsyncResultSet> write = session.executeAsync(request).toCompletableFuture();
                write.whenComplete((result, failure) -> inFlight.release());
                writes.add(write);
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the index", e);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /** The partition of a write whose key is unknown: its own, on unknown replicas. */
    private static final class Unrouted {
    }

    /**
     * The writes as batches. Every row of a partition key travels in the same batch, so Cassandra applies them as one
     * mutation: the index entry and the relations of an entity share the key {@code (entity_type, entity_id)}, and a
     * busy entity's rows of a whole consumer batch become one. A partition with more than {@link #PACKED_ROWS} rows
     * goes in batches of its own of up to {@link #PARTITION_ROWS} (a single-partition batch is exempt from Cassandra's
     * batch size limits); smaller ones are packed, at most {@link #BATCH_PARTITIONS} partitions and
     * {@link #PACKED_ROWS} rows per batch, only with partitions on the same replicas (so a batch never needs a
     * coordinator to forward it). Cassandra warns about unlogged batches across more than ten partitions
     * ({@code unlogged_batch_across_partitions_warn_threshold}) and beyond 5 KiB ({@code batch_size_warn_threshold}).
     *
     * @param partition a write's partition key (null: unknown, a partition of its own)
     * @param replicas the replicas of a partition key
     */
    static <T> List<List<T>> plan(List<T> writes, Function<T, ?> partition, Function<Object, ?> replicas) {
        Map<Object, List<T>> byPartition = new LinkedHashMap<>();
        for (T write : writes) {
            Object key = partition.apply(write);
            byPartition.computeIfAbsent(key == null ? new Unrouted() : key, k -> new ArrayList<>()).add(write);
        }
        Map<Object, List<List<T>>> byReplicas = new LinkedHashMap<>();
        for (Map.Entry<Object, List<T>> rows : byPartition.entrySet()) {
            Object replicasOf = rows.getKey() instanceof Unrouted ? Unrouted.class : replicas.apply(rows.getKey());
            byReplicas.computeIfAbsent(replicasOf, r -> new ArrayList<>()).add(rows.getValue());
        }
        List<List<T>> batches = new ArrayList<>();
        for (List<List<T>> partitions : byReplicas.values()) {
            List<T> packed = new ArrayList<>();
            int packedPartitions = 0;
            for (List<T> rows : partitions) {
                if (rows.size() > PACKED_ROWS) {
                    for (int i = 0; i < rows.size(); i += PARTITION_ROWS) {
                        batches.add(rows.subList(i, Math.min(rows.size(), i + PARTITION_ROWS)));
                    }
                    continue;
                }
                if (packedPartitions == BATCH_PARTITIONS || packed.size() + rows.size() > PACKED_ROWS) {
                    batches.add(packed);
                    packed = new ArrayList<>();
                    packedPartitions = 0;
                }
                packed.addAll(rows);
                packedPartitions++;
            }
            if (!packed.isEmpty()) {
                batches.add(packed);
            }
        }
        return batches;
    }

    private long entries(EntityRef entity) {
        long entries = 0;
        for (Row ignored : session.execute(select.bind(entity.type(), entity.id(), HOUR))) {
            entries++;
        }
        return entries;
    }

    /** What forgetting an entity deleted: its index entries, and the entities it was linked to (both rows of each go). */
    public record Forgotten(long entries, Set<EntityRef> linked) {
    }

    /** What is left of an entity: its index entries, and the relations that still name it. */
    public record Left(long entries, long relations) {
    }

    /**
     * Deletes the entity's index entries and its relations in both directions (its own row of each linked entity's
     * relations too). Idempotent: a second call deletes nothing and says so.
     */
    public Forgotten forget(EntityRef entity) {
        long entries = entries(entity);
        Set<EntityRef> linked = linked(entity);
        for (EntityRef other : linked) {
            session.execute(deleteLink.bind(other.type(), other.id(), entity.type(), entity.id()));
        }
        session.execute(deleteEntity.bind(entity.type(), entity.id()));
        return new Forgotten(entries, linked);
    }

    /** The entity's index entries left, and the relations that still name it (its own, and the others' to it). */
    public Left remaining(EntityRef entity, Collection<EntityRef> formerlyLinked) {
        long entries = entries(entity);
        long relations = linked(entity).size();
        for (EntityRef other : formerlyLinked) {
            if (linked(other).contains(entity)) {
                relations++;
            }
        }
        return new Left(entries, relations);
    }
}
