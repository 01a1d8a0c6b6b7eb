package dev.sluice.spring.jobs;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The runs of a service's lake jobs in a Cassandra table of its keyspace, one partition per UTC day, newest first.
 * Each service creates its table in its own versioned CQL with these columns:
 * <pre>{@code
 * CREATE TABLE <runs> (day date, run_id text, kind text, state text, hours list<text>, tasks list<text>,
 *     attempt int, started timestamp, finished timestamp, exit_code int, error text, log text,
 *     PRIMARY KEY (day, run_id)) WITH CLUSTERING ORDER BY (run_id DESC);
 * }</pre>
 * Every statement prepared.
 */
public final class JobRunStore {

    /** Run ids sort by their start time and name their UTC day. */
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final CqlSession session;
    private final PreparedStatement insertRun;
    private final PreparedStatement selectRun;
    private final PreparedStatement selectDay;

    public JobRunStore(CqlSession session, String keyspace, String table) {
        this.session = session;
        this.insertRun = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace + "." + table + " (day, "
                + "run_id, kind, state, hours, tasks, attempt, started, finished, exit_code, error, log) VALUES (?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?, ?, ?)").setIdempotent(true));
        this.selectRun = session.prepare("SELECT * FROM " + keyspace + "." + table + " WHERE day = ? AND run_id = ?");
        this.selectDay = session.prepare("SELECT * FROM " + keyspace + "." + table + " WHERE day = ? LIMIT ?");
    }

    public static String newRunId(Instant now) {
        return RUN_ID.format(now);
    }

    public void save(JobRun run) {
        session.execute(insertRun.bind(day(run.id()), run.id(), run.kind().name(), run.state().name(), run.hours(),
                run.tasks(), run.attempt(), run.started(), run.finished(), run.exitCode(), run.error(), run.log()));
    }

    public Optional<JobRun> run(String id) {
        LocalDate day;
        try {
            day = day(id);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return Optional.ofNullable(session.execute(selectRun.bind(day, id)).one()).map(JobRunStore::run);
    }

    /** The latest runs, newest first, from the given day back as far as {@code days} days. */
    public List<JobRun> latest(LocalDate today, int days, int limit) {
        List<JobRun> runs = new ArrayList<>();
        for (int i = 0; i < days && runs.size() < limit; i++) {
            for (Row row : session.execute(selectDay.bind(today.minusDays(i), limit - runs.size()))) {
                runs.add(run(row));
            }
        }
        return runs;
    }

    /**
     * Runs still RUNNING were left by a start of the service that stopped (its jobs die with it, or are no longer
     * watched); they are recorded as abandoned, and their work is done again.
     */
    public void abandonRunning(Instant now, String why) {
        for (JobRun run : latest(now.atOffset(ZoneOffset.UTC).toLocalDate(), 2, 1000)) {
            if (run.state() == JobRun.State.RUNNING) {
                save(run.finish(JobRun.State.ABANDONED, now, null, why));
            }
        }
    }

    private static LocalDate day(String runId) {
        return LocalDate.parse(runId.substring(0, 8), DateTimeFormatter.BASIC_ISO_DATE);
    }

    private static JobRun run(Row row) {
        // runs recorded before the reservoir job existed have no kind: they are dumps
        JobRun.Kind kind = row.isNull("kind") ? JobRun.Kind.DUMP : JobRun.Kind.valueOf(row.getString("kind"));
        return new JobRun(row.getString("run_id"), kind, JobRun.State.valueOf(row.getString("state")),
                row.getList("hours", String.class), row.getList("tasks", String.class), row.getInt("attempt"),
                row.getInstant("started"), row.getInstant("finished"), row.isNull("exit_code") ? null : row.getInt("exit_code"),
                row.getString("error"), row.getString("log"));
    }
}
