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

/**
 * The reverse index (entity → the lake partitions of the events that mention it), the relations graph (entity →
 * the entities linked to it, both directions) and where the indexer began on each topic partition, in Cassandra
 * ({@code cql/privacy/V1.cql}). Every write is an idempotent upsert of a key, so replaying a topic changes nothing;
 * writes go asynchronously, at most {@code maxInFlight} at a time, and {@link #write} returns once all are
 * acknowledged (the listener commits its offsets only then).
 */
public final class EntityIndex {

    /** Statements (each its own partition, mostly) in one unlogged batch at most. */
    static final int BATCH_PARTITIONS = 10;

    private final CqlSession session;
    private final String keyspace;
    private final int maxInFlight;
    private final PreparedStatement insertIndex;
    private final PreparedStatement insertRelation;
    private final PreparedStatement insertCoverage;
    private final PreparedStatement selectIndex;
    private final PreparedStatement selectRelations;
    private final PreparedStatement selectCoverage;
    private final PreparedStatement deleteRelation;
    private final PreparedStatement deleteRelations;
    private final PreparedStatement deleteIndex;

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

    public EntityIndex(CqlSession session, String keyspace, int maxInFlight) {
        this.session = session;
        this.keyspace = keyspace;
        this.maxInFlight = maxInFlight;
        this.insertIndex = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".entity_index "
                + "(entity_type, entity_id, event_type, date, hour) VALUES (?, ?, ?, ?, ?)").setIdempotent(true));
        this.insertRelation = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace
                + ".entity_relations (entity_type, entity_id, linked_type, linked_id) VALUES (?, ?, ?, ?)").setIdempotent(true));
        this.insertCoverage = session.prepare("INSERT INTO " + keyspace + ".index_coverage (event_type, topic_partition, "
                + "first_offset, first_timestamp) VALUES (?, ?, ?, ?) IF NOT EXISTS");
        this.selectIndex = session.prepare("SELECT event_type, date, hour FROM " + keyspace
                + ".entity_index WHERE entity_type = ? AND entity_id = ?");
        this.deleteRelation = session.prepare(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".entity_relations "
                + "WHERE entity_type = ? AND entity_id = ? AND linked_type = ? AND linked_id = ?").setIdempotent(true));
        this.deleteRelations = session.prepare(SimpleStatement.newInstance("DELETE FROM " + keyspace
                + ".entity_relations WHERE entity_type = ? AND entity_id = ?").setIdempotent(true));
        this.deleteIndex = session.prepare(SimpleStatement.newInstance("DELETE FROM " + keyspace
                + ".entity_index WHERE entity_type = ? AND entity_id = ?").setIdempotent(true));
        this.selectRelations = session.prepare("SELECT linked_type, linked_id FROM " + keyspace
                + ".entity_relations WHERE entity_type = ? AND entity_id = ?");
        this.selectCoverage = session.prepare("SELECT topic_partition, first_offset, first_timestamp FROM " + keyspace
                + ".index_coverage WHERE event_type = ?");
    }

    /** Writes the entries and both directions of each relation; returns when every write is acknowledged. */
    public void write(Collection<Entry> entries, Collection<EntityPaths.Link> links) {
        List<BoundStatement> statements = new ArrayList<>(entries.size() + 2 * links.size());
        for (Entry entry : entries) {
            LocalDate date = entry.partition().date();
            statements.add(insertIndex.bind(entry.entity().type(), entry.entity().id(), entry.partition().eventType(),
                    date, entry.partition().hour()));
        }
        for (var link : links) {
            statements.add(insertRelation.bind(link.from().type(), link.from().id(), link.to().type(), link.to().id()));
            statements.add(insertRelation.bind(link.to().type(), link.to().id(), link.from().type(), link.from().id()));
        }
        executeAll(statements);
    }

    /** Records where the indexer began on a topic partition, unless it was recorded before. */
    public void began(Coverage coverage) {
        session.execute(insertCoverage.bind(coverage.eventType(), coverage.partition(), coverage.firstOffset(),
                coverage.firstTimestamp()));
    }

    /** Every hour of every event type that mentions the entity, by event type. */
    public Map<String, List<HourPartition>> partitions(EntityRef entity) {
        Map<String, List<HourPartition>> found = new TreeMap<>();
        for (Row row : session.execute(selectIndex.bind(entity.type(), entity.id()))) {
            String type = row.getString("event_type");
            found.computeIfAbsent(type, t -> new ArrayList<>())
                    .add(new HourPartition(type, row.getLocalDate("date"), row.getInt("hour")));
        }
        return found;
    }

    /** The entities linked to this one (either direction). */
    public Set<EntityRef> linked(EntityRef entity) {
        Set<EntityRef> linked = new LinkedHashSet<>();
        for (Row row : session.execute(selectRelations.bind(entity.type(), entity.id()))) {
            linked.add(new EntityRef(row.getString("linked_type"), row.getString("linked_id")));
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
     * Sends the writes as unlogged batches of statements bound for the same replicas (the driver's token map), at most
     * {@link #BATCH_PARTITIONS} partitions each, at most {@code maxInFlight} batches at a time. One request per batch
     * instead of per row: measured with the index-lag benchmark, where Cassandra's cost per request was what the
     * indexer waited on. Ten partitions at most: Cassandra warns about unlogged batches across more
     * ({@code unlogged_batch_across_partitions_warn_threshold}), and a batch never spans replicas.
     */
    private void executeAll(List<BoundStatement> statements) {
        Semaphore inFlight = new Semaphore(maxInFlight);
        List<CompletableFuture<AsyncResultSet>> writes = new ArrayList<>();
        try {
            for (List<BoundStatement> batch : batches(statements)) {
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

    /** The statements grouped by the replicas of their partition, in batches of at most {@link #BATCH_PARTITIONS}. */
    private List<List<BoundStatement>> batches(List<BoundStatement> statements) {
        Optional<TokenMap> tokens = session.getMetadata().getTokenMap();
        Map<Object, List<BoundStatement>> byReplicas = new LinkedHashMap<>();
        for (BoundStatement statement : statements) {
            Object replicas = statement.getRoutingKey() == null ? "any"
                    : tokens.<Object>map(map -> map.getReplicas(keyspace, statement.getRoutingKey())).orElse("any");
            byReplicas.computeIfAbsent(replicas, r -> new ArrayList<>()).add(statement);
        }
        List<List<BoundStatement>> batches = new ArrayList<>();
        for (List<BoundStatement> group : byReplicas.values()) {
            for (int i = 0; i < group.size(); i += BATCH_PARTITIONS) {
                batches.add(group.subList(i, Math.min(group.size(), i + BATCH_PARTITIONS)));
            }
        }
        return batches;
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
        long entries = 0;
        for (Row ignored : session.execute(selectIndex.bind(entity.type(), entity.id()))) {
            entries++;
        }
        Set<EntityRef> linked = linked(entity);
        for (EntityRef other : linked) {
            session.execute(deleteRelation.bind(other.type(), other.id(), entity.type(), entity.id()));
        }
        session.execute(deleteRelations.bind(entity.type(), entity.id()));
        session.execute(deleteIndex.bind(entity.type(), entity.id()));
        return new Forgotten(entries, linked);
    }

    /** The entity's index entries left, and the relations that still name it (its own, and the others' to it). */
    public Left remaining(EntityRef entity, Collection<EntityRef> formerlyLinked) {
        long entries = 0;
        for (Row ignored : session.execute(selectIndex.bind(entity.type(), entity.id()))) {
            entries++;
        }
        long relations = linked(entity).size();
        for (EntityRef other : formerlyLinked) {
            if (linked(other).contains(entity)) {
                relations++;
            }
        }
        return new Left(entries, relations);
    }
}
