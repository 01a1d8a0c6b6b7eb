package dev.sluice.dedup.landing;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.sluice.core.cassandra.CqlMigrations;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * The landing table: writes rows asynchronously with bounded concurrency, rows of one partition together in
 * unlogged single-partition batches (one mutation for Cassandra; single-partition batches are exempt from the
 * batch-size limits), every statement prepared and idempotent so the driver may retry it.
 */
public final class LandingTable {

    static final String TABLE = "landing";
    private static final String COLUMNS = "(event_type, hour, event_id, schema_id, payload, event_time, landing_time)";
    private static final String VALUES = " VALUES (?, ?, ?, ?, ?, ?, ?)";

    private final CqlSession session;
    private final String keyspace;
    private final Map<String, Duration> ttlByType;
    private final int batchRows;
    private final int maxInFlight;
    private final Queue<Task> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final PreparedStatement insert;
    private final PreparedStatement insertWithTtl;
    private final PreparedStatement selectHour;

    private LandingTable(CqlSession session, String keyspace, Map<String, Duration> ttlByType, int maxInFlight,
            int batchRows) {
        this.session = session;
        this.keyspace = keyspace;
        this.ttlByType = Map.copyOf(ttlByType);
        this.batchRows = Math.max(1, batchRows);
        this.maxInFlight = maxInFlight;
        String table = keyspace + '.' + TABLE;
        this.insert = session.prepare(SimpleStatement.newInstance("INSERT INTO " + table + ' ' + COLUMNS + VALUES)
                .setIdempotent(true));
        this.insertWithTtl = session.prepare(SimpleStatement.newInstance("INSERT INTO " + table + ' ' + COLUMNS
                + VALUES + " USING TTL ?").setIdempotent(true));
        this.selectHour = session.prepare("SELECT event_id, schema_id, event_time, landing_time, TTL(payload) AS ttl"
                + " FROM " + table + " WHERE event_type = ? AND hour = ?");
    }

    /**
     * Creates the keyspace when missing, applies the CQL versions not applied yet, sets the table's default TTL,
     * and prepares the statements.
     */
    public static LandingTable open(CqlSession session, String keyspace, String replication, Duration defaultTtl,
            Map<String, Duration> ttlByType, int maxInFlight, int batchRows) {
        CqlMigrations.ensureKeyspace(session, keyspace, replication);
        new CqlMigrations("landing", "cql/landing", LandingTable.class.getClassLoader()).apply(session, keyspace);
        setDefaultTtl(session, keyspace, defaultTtl);
        return new LandingTable(session, keyspace, ttlByType, maxInFlight, batchRows);
    }

    /** The table default is where the TTL lives, so an operator sees it in the schema; changed only when it differs. */
    private static void setDefaultTtl(CqlSession session, String keyspace, Duration ttl) {
        long seconds = ttl.toSeconds();
        Object current = session.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable(TABLE))
                .map(TableMetadata::getOptions)
                .map(options -> options.get(CqlIdentifier.fromCql("default_time_to_live")))
                .orElse(null);
        if (current == null || ((Number) current).longValue() != seconds) {
            session.execute(SimpleStatement.newInstance("ALTER TABLE " + keyspace + '.' + TABLE
                    + " WITH default_time_to_live = " + seconds).setTimeout(Duration.ofSeconds(60)));
        }
    }

    public String keyspace() {
        return keyspace;
    }

    /**
     * Starts writing the rows and returns at once; the future completes when Cassandra acknowledged every one, or
     * exceptionally with a {@link LandingUnavailableException} (the batch's statements not yet sent are then
     * skipped; the rows may be written again, they are idempotent). Statements of every batch share one window of
     * {@code maxInFlight} requests, sent in order as earlier ones complete, so the caller can prepare the next
     * batch while this one is written.
     *
     * @param latencyNanos told the latency of every write request
     */
    public CompletableFuture<Void> writeAsync(List<LandingRow> rows, LongConsumer latencyNanos) {
        List<Statement<?>> statements = statements(rows);
        Batch batch = new Batch(statements.size(), latencyNanos);
        if (statements.isEmpty()) {
            batch.done.complete(null);
            return batch.done;
        }
        for (Statement<?> statement : statements) {
            queue.add(new Task(batch, statement));
        }
        pump();
        return batch.done;
    }

    /** Sends queued statements while fewer than maxInFlight are outstanding; called again by every completion. */
    private void pump() {
        while (true) {
            int outstanding = inFlight.get();
            if (outstanding >= maxInFlight) {
                return;
            }
            if (!inFlight.compareAndSet(outstanding, outstanding + 1)) {
                continue;
            }
            Task task = queue.poll();
            if (task == null) {
                inFlight.decrementAndGet();
                if (queue.isEmpty()) {
                    return; // a statement queued after our poll is sent by its own caller's pump
                }
                continue;
            }
            if (task.batch.failure.get() != null) {
                inFlight.decrementAndGet();
                task.batch.settle();
                continue;
            }
            long started = System.nanoTime();
            CompletionStage<AsyncResultSet> result;
            try {
                result = session.executeAsync(task.statement);
            } catch (RuntimeException e) {
                inFlight.decrementAndGet();
                task.batch.failure.compareAndSet(null, e);
                task.batch.settle();
                continue;
            }
            result.whenComplete((ignored, error) -> {
                inFlight.decrementAndGet();
                task.batch.latencyNanos.accept(System.nanoTime() - started);
                if (error != null) {
                    task.batch.failure.compareAndSet(null, error);
                }
                task.batch.settle();
                pump();
            });
        }
    }

    private record Task(Batch batch, Statement<?> statement) {
    }

    /** The statements of one writeAsync call: done when every one succeeded, or was skipped after a failure. */
    private static final class Batch {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicInteger remaining;
        final LongConsumer latencyNanos;

        Batch(int statements, LongConsumer latencyNanos) {
            this.remaining = new AtomicInteger(statements);
            this.latencyNanos = latencyNanos;
        }

        void settle() {
            if (remaining.decrementAndGet() == 0) {
                Throwable error = failure.get();
                if (error == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(new LandingUnavailableException(error));
                }
            }
        }
    }

    /** Rows grouped by partition, in order of first appearance, then cut into batches of at most batchRows. */
    List<Statement<?>> statements(List<LandingRow> rows) {
        Map<PartitionKey, List<BoundStatement>> partitions = new LinkedHashMap<>();
        for (LandingRow row : rows) {
            partitions.computeIfAbsent(new PartitionKey(row.eventType(), row.hour()), k -> new ArrayList<>()).add(bind(row));
        }
        List<Statement<?>> statements = new ArrayList<>();
        for (List<BoundStatement> partition : partitions.values()) {
            for (int from = 0; from < partition.size(); from += batchRows) {
                List<BoundStatement> chunk = partition.subList(from, Math.min(partition.size(), from + batchRows));
                if (chunk.size() == 1) {
                    statements.add(chunk.get(0));
                } else {
                    BatchStatementBuilder batch = BatchStatement.builder(BatchType.UNLOGGED).setIdempotence(true);
                    chunk.forEach(batch::addStatement);
                    statements.add(batch.build());
                }
            }
        }
        return statements;
    }

    private BoundStatement bind(LandingRow row) {
        Duration ttl = ttlByType.get(row.eventType());
        BoundStatement bound = (ttl == null ? insert : insertWithTtl).bind(row.eventType(), row.hour(), row.eventId(),
                row.schemaId(), row.payload(), row.eventTime(), row.landingTime());
        return ttl == null ? bound : bound.setInt(7, (int) ttl.toSeconds());
    }

    /** The rows of one hour of one event type (without payloads), for people and the demo. */
    public List<LandedEvent> hour(String eventType, Instant hour) {
        List<LandedEvent> events = new ArrayList<>();
        for (Row row : session.execute(selectHour.bind(eventType, hour))) {
            events.add(new LandedEvent(row.getString("event_id"), row.getInt("schema_id"), row.getInstant("event_time"),
                    row.getInstant("landing_time"), row.isNull("ttl") ? null : row.getInt("ttl")));
        }
        return events;
    }

    /** @param ttlSeconds what is left of the row's time to live */
    public record LandedEvent(String eventId, int schemaId, Instant eventTime, Instant landingTime, Integer ttlSeconds) {
    }

    private record PartitionKey(String eventType, Instant hour) {
        PartitionKey {
            Objects.requireNonNull(eventType);
            Objects.requireNonNull(hour);
        }
    }

    /** Cassandra did not acknowledge a write (unreachable, overloaded, timed out). */
    public static final class LandingUnavailableException extends Exception {
        LandingUnavailableException(Throwable cause) {
            super(cause.toString(), cause);
        }
    }
}
