package dev.sluice.datapump.reservoirs;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.sluice.core.policy.Action;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/**
 * The reservoir side of the datapump in Cassandra (cql/datapump V2): the work not done yet, and what was planned for
 * each reservoir and event type. Every statement prepared and idempotent.
 */
public final class ReservoirStore {

    private static final int SHARD = 0;

    private final CqlSession session;
    private final PreparedStatement insertWork;
    private final PreparedStatement deleteWork;
    private final PreparedStatement selectWork;
    private final PreparedStatement insertColumns;
    private final PreparedStatement deleteColumns;
    private final PreparedStatement selectColumns;
    private final PreparedStatement insertPlanned;
    private final PreparedStatement deletePlanned;
    private final PreparedStatement selectPlanned;

    public ReservoirStore(CqlSession session, String keyspace) {
        this.session = session;
        this.insertWork = prepare("INSERT INTO " + keyspace + ".reservoir_work (shard, work_key, work, queued_at) "
                + "VALUES (?, ?, ?, ?)");
        this.deleteWork = prepare("DELETE FROM " + keyspace + ".reservoir_work WHERE shard = ? AND work_key = ?");
        this.selectWork = prepare("SELECT work, queued_at FROM " + keyspace + ".reservoir_work WHERE shard = ?");
        this.insertColumns = prepare("INSERT INTO " + keyspace + ".reservoir_columns (reservoir, event_type, actions, "
                + "revision, planned_at) VALUES (?, ?, ?, ?, ?)");
        this.deleteColumns = prepare("DELETE FROM " + keyspace + ".reservoir_columns WHERE reservoir = ?");
        this.selectColumns = prepare("SELECT event_type, actions FROM " + keyspace + ".reservoir_columns WHERE reservoir = ?");
        this.insertPlanned = prepare("INSERT INTO " + keyspace + ".reservoirs_planned (shard, reservoir, revision, "
                + "retention_days, key_version, planned_at) VALUES (?, ?, ?, ?, ?, ?)");
        this.deletePlanned = prepare("DELETE FROM " + keyspace + ".reservoirs_planned WHERE shard = ? AND reservoir = ?");
        this.selectPlanned = prepare("SELECT reservoir, revision, retention_days, key_version FROM " + keyspace
                + ".reservoirs_planned WHERE shard = ?");
    }

    private PreparedStatement prepare(String cql) {
        return session.prepare(SimpleStatement.newInstance(cql).setIdempotent(true));
    }

    /** Keeps the work (replacing the same work asked for earlier), concurrently; returns once all of it is stored. */
    public void queue(Collection<ReservoirWork> work) {
        List<CompletionStage<AsyncResultSet>> writes = new ArrayList<>();
        for (ReservoirWork item : work) {
            writes.add(session.executeAsync(insertWork.bind(SHARD, item.key(), item.text(), item.queuedAt())));
        }
        writes.forEach(write -> write.toCompletableFuture().join());
    }

    public void done(Collection<ReservoirWork> work) {
        List<CompletionStage<AsyncResultSet>> deletes = new ArrayList<>();
        for (ReservoirWork item : work) {
            deletes.add(session.executeAsync(deleteWork.bind(SHARD, item.key())));
        }
        deletes.forEach(delete -> delete.toCompletableFuture().join());
    }

    /** Every piece of work not done yet. */
    public List<ReservoirWork> work() {
        List<ReservoirWork> work = new ArrayList<>();
        for (Row row : session.execute(selectWork.bind(SHARD))) {
            work.add(ReservoirWork.parse(row.getString("work"), row.getInstant("queued_at")));
        }
        return work;
    }

    /** What was planned of a reservoir: the revision, and the retention and key version it had then (null: unknown). */
    public record Planned(long revision, int retentionDays, Integer keyVersion) {
    }

    /** The reservoirs planned. */
    public Map<String, Planned> planned() {
        Map<String, Planned> planned = new HashMap<>();
        for (Row row : session.execute(selectPlanned.bind(SHARD))) {
            planned.put(row.getString("reservoir"), new Planned(row.getLong("revision"), row.getInt("retention_days"),
                    row.isNull("key_version") ? null : row.getInt("key_version")));
        }
        return planned;
    }

    /** What the reservoir did with each event type's columns when last planned. */
    public Map<String, Map<String, Action>> columns(String reservoir) {
        Map<String, Map<String, Action>> columns = new HashMap<>();
        for (Row row : session.execute(selectColumns.bind(reservoir))) {
            Map<String, Action> actions = new TreeMap<>();
            row.getMap("actions", String.class, String.class).forEach((path, action) -> actions.put(path,
                    Action.valueOf(action)));
            columns.put(row.getString("event_type"), actions);
        }
        return columns;
    }

    public void planned(String reservoir, long revision, int retentionDays, int keyVersion,
            Map<String, Map<String, Action>> changed, Instant now) {
        List<CompletionStage<AsyncResultSet>> writes = new ArrayList<>();
        changed.forEach((type, actions) -> {
            Map<String, String> text = new TreeMap<>();
            actions.forEach((path, action) -> text.put(path, action.name()));
            writes.add(session.executeAsync(insertColumns.bind(reservoir, type, text, revision, now)));
        });
        writes.forEach(write -> write.toCompletableFuture().join());
        session.execute(insertPlanned.bind(SHARD, reservoir, revision, retentionDays, keyVersion, now));
    }

    /** The reservoir is gone: nothing planned for it any more. */
    public void forget(String reservoir) {
        session.execute(deleteColumns.bind(reservoir));
        session.execute(deletePlanned.bind(SHARD, reservoir));
    }
}
