package dev.sluice.spring.jobs;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One writer at a time for a part of the lake, by a lightweight transaction on a Cassandra row that expires unless
 * renewed: tier zero's writers are the datapump's dumps and the privacy-requests service's erasure rewrites, and a
 * dump that overlapped a rewrite of the same hour could write back what the rewrite removed, or lose what the other
 * wrote (S3 has no compare-and-swap of the pointer). The datapump owns the table (its {@code V4.cql}):
 * <pre>{@code
 * CREATE TABLE <keyspace>.lake_writers (resource text PRIMARY KEY, holder text, since timestamp);
 * }</pre>
 * A holder renews while its run lasts (every turn of its loop) and releases at its end; a holder that died loses the
 * lease after {@code ttl}. Every statement prepared.
 */
public final class WriterLease {

    private final CqlSession session;
    private final String resource;
    private final int ttlSeconds;
    private final PreparedStatement insert;
    private final PreparedStatement renew;
    private final PreparedStatement release;

    /** @param table {@code <keyspace>.<table>} */
    public WriterLease(CqlSession session, String table, String resource, Duration ttl) {
        this.session = session;
        this.resource = resource;
        this.ttlSeconds = (int) Math.max(1, ttl.toSeconds());
        this.insert = session.prepare("INSERT INTO " + table + " (resource, holder, since) VALUES (?, ?, ?) IF NOT EXISTS "
                + "USING TTL ?");
        this.renew = session.prepare("UPDATE " + table + " USING TTL ? SET holder = ?, since = ? WHERE resource = ? "
                + "IF holder = ?");
        this.release = session.prepare("DELETE FROM " + table + " WHERE resource = ? IF holder = ?");
    }

    /** Takes the lease for the holder, or renews it if the holder has it; empty then, else who holds it. */
    public Optional<String> acquire(String holder, Instant now) {
        Row row = session.execute(insert.bind(resource, holder, now, ttlSeconds)).one();
        if (row == null || row.getBoolean("[applied]")) {
            return Optional.empty();
        }
        String current = row.getString("holder");
        if (holder.equals(current)) {
            return renew(holder, now) ? Optional.empty() : Optional.of("(expired meanwhile)");
        }
        return Optional.ofNullable(current);
    }

    /** Keeps the lease for another {@code ttl}; false if the holder had lost it. */
    public boolean renew(String holder, Instant now) {
        Row row = session.execute(renew.bind(ttlSeconds, holder, now, resource, holder)).one();
        return row == null || row.getBoolean("[applied]");
    }

    /** Gives the lease up, if the holder has it. */
    public void release(String holder) {
        session.execute(release.bind(resource, holder));
    }
}
