package dev.sluice.datapump.runs;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.sluice.core.cassandra.CqlMigrations;
import dev.sluice.datapump.reservoirs.ReservoirStore;
import dev.sluice.spring.jobs.JobRunStore;
import dev.sluice.spring.jobs.WriterLease;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The datapump's runs (the platform's {@link JobRunStore} on {@code dump_runs}) and each hour's last dump, in
 * Cassandra (cql/datapump). Every statement prepared.
 */
public final class RunStore {

    private final CqlSession session;
    private final JobRunStore runs;
    private final PreparedStatement insertDump;
    private final PreparedStatement selectDump;

    private RunStore(CqlSession session, String keyspace) {
        this.session = session;
        this.runs = new JobRunStore(session, keyspace, "dump_runs");
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
    public ReservoirStore reservoirs(String keyspace) {
        return new ReservoirStore(session, keyspace);
    }

    /** Tier zero's writer lease ({@code lake_writers}), which the erasure rewrites take too. */
    public WriterLease tierZeroLease(String keyspace, java.time.Duration ttl) {
        return new WriterLease(session, keyspace + ".lake_writers", TIER_ZERO, ttl);
    }

    /** The resource of tier zero's writer lease. */
    public static final String TIER_ZERO = "tier-zero";

    /** The runs of both jobs. */
    public JobRunStore runs() {
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
}
