package dev.sluice.datapump.runs;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.sluice.core.cassandra.CqlMigrations;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The runs and each hour's last dump, in Cassandra (cql/datapump). Every statement prepared. */
public final class RunStore {

    /** Run ids sort by their start time and name their UTC day. */
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final CqlSession session;
    private final PreparedStatement insertRun;
    private final PreparedStatement selectRun;
    private final PreparedStatement selectDay;
    private final PreparedStatement insertDump;
    private final PreparedStatement selectDump;

    private RunStore(CqlSession session, String keyspace) {
        this.session = session;
        this.insertRun = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".dump_runs (day, "
                + "run_id, kind, state, hours, tasks, attempt, started, finished, exit_code, error, log) VALUES (?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?)").setIdempotent(true));
        this.selectRun = session.prepare("SELECT * FROM " + keyspace + ".dump_runs WHERE day = ? AND run_id = ?");
        this.selectDay = session.prepare("SELECT * FROM " + keyspace + ".dump_runs WHERE day = ? LIMIT ?");
        this.insertDump = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".hour_dumps "
                + "(hour_key, covered_landing_time, run_id, dumped_at) VALUES (?, ?, ?, ?)").setIdempotent(true));
        this.selectDump = session.prepare("SELECT covered_landing_time FROM " + keyspace + ".hour_dumps WHERE hour_key = ?");
    }

    /** Creates the keyspace when missing and applies the CQL versions not applied yet. */
    public static RunStore open(CqlSession session, String keyspace, String replication) {
        CqlMigrations.ensureKeyspace(session, keyspace, replication);
        new CqlMigrations("datapump", "cql/datapump", RunStore.class.getClassLoader()).apply(session, keyspace);
        return new RunStore(session, keyspace);
    }

    /** The reservoir side's tables, on the same session. */
    public dev.sluice.datapump.reservoirs.ReservoirStore reservoirs(String keyspace) {
        return new dev.sluice.datapump.reservoirs.ReservoirStore(session, keyspace);
    }

    public static String newRunId(Instant now) {
        return RUN_ID.format(now);
    }

    public void save(Run run) {
        session.execute(insertRun.bind(day(run.id()), run.id(), run.kind().name(), run.state().name(), run.hours(),
                run.tasks(), run.attempt(),
                run.started(), run.finished(), run.exitCode(), run.error(), run.log()));
    }

    public Optional<Run> run(String id) {
        LocalDate day;
        try {
            day = day(id);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(session.execute(selectRun.bind(day, id)).one()).map(RunStore::run);
    }

    /** The latest runs, newest first, from the given day back as far as {@code days} days. */
    public List<Run> latest(LocalDate today, int days, int limit) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < days && runs.size() < limit; i++) {
            for (Row row : session.execute(selectDay.bind(today.minusDays(i), limit - runs.size()))) {
                runs.add(run(row));
            }
        }
        return runs;
    }

    /** The hours were dumped by the run, up to each one's landing time. One logged batch: all or none. */
    public void dumped(String runId, Map<String, Instant> covers, Instant now) {
        BatchStatement batch = BatchStatement.newInstance(DefaultBatchType.LOGGED);
        for (Map.Entry<String, Instant> hour : covers.entrySet()) {
            batch = batch.add(insertDump.bind(hour.getKey(), hour.getValue(), runId, now));
        }
        session.execute(batch.setIdempotent(true));
    }

    /** What each hour's last dump covered (absent: never dumped), looked up concurrently. */
    public Map<String, Optional<Instant>> covered(Collection<String> keys) {
        Map<String, CompletionStage<AsyncResultSet>> lookups = new HashMap<>();
        keys.forEach(key -> lookups.put(key, session.executeAsync(selectDump.bind(key))));
        Map<String, Optional<Instant>> covered = new HashMap<>();
        lookups.forEach((key, lookup) -> {
            Row row = lookup.toCompletableFuture().join().one();
            covered.put(key, Optional.ofNullable(row).map(r -> r.getInstant("covered_landing_time")));
        });
        return covered;
    }

    private static LocalDate day(String runId) {
        return LocalDate.parse(runId.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
    }

    private static Run run(Row row) {
        // runs recorded before the reservoir job existed have no kind: they are dumps
        Run.Kind kind = row.isNull("kind") ? Run.Kind.DUMP : Run.Kind.valueOf(row.getString("kind"));
        return new Run(row.getString("run_id"), kind, Run.State.valueOf(row.getString("state")),
                row.getList("hours", String.class), row.getList("tasks", String.class), row.getInt("attempt"), row.getInstant("started"), row.getInstant("finished"),
                row.isNull("exit_code") ? null : row.getInt("exit_code"), row.getString("error"), row.getString("log"));
    }
}
