package dev.sluice.governance.audit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The append-only audit in Cassandra, a hash chain: every entry carries the hash of the entry before it. An entry
 * takes the next sequence number with a conditional insert ({@code IF NOT EXISTS}), so concurrent appenders (two
 * instances) never share a number, and the head row then moves forward. {@link #verify()} recomputes the chain and
 * names the first entry that does not match.
 */
public final class AuditLog {

    static final int BUCKET_SIZE = 10_000;

    private final CqlSession session;
    private final PreparedStatement insert;
    private final PreparedStatement selectBucket;
    private final PreparedStatement selectAfter;
    private final PreparedStatement selectOne;
    private final PreparedStatement head;
    private final PreparedStatement createHead;
    private final PreparedStatement moveHead;

    public AuditLog(CqlSession session, String keyspace) {
        this.session = session;
        String k = keyspace + '.';
        insert = session.prepare(SimpleStatement.newInstance("INSERT INTO " + k + "audit (bucket, seq, at, actor, action, "
                + "target, before, after, reason, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS"));
        selectBucket = session.prepare("SELECT * FROM " + k + "audit WHERE bucket = ?");
        selectAfter = session.prepare("SELECT * FROM " + k + "audit WHERE bucket = ? AND seq > ? LIMIT 100");
        selectOne = session.prepare("SELECT * FROM " + k + "audit WHERE bucket = ? AND seq = ?");
        head = session.prepare("SELECT seq, hash FROM " + k + "audit_head WHERE id = 'head'");
        createHead = session.prepare("INSERT INTO " + k + "audit_head (id, seq, hash) VALUES ('head', 0, ?) IF NOT EXISTS");
        // the head only moves forward: a slower appender never moves it back
        moveHead = session.prepare("UPDATE " + k + "audit_head SET seq = ?, hash = ? WHERE id = 'head' IF seq < ?");
    }

    /** Appends an entry after the last one; returns it sealed with its sequence number and hash. */
    public synchronized AuditEntry append(Instant time, String actor, String action, String target, String before,
            String after, String reason) {
        Instant at = time.truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // what Cassandra keeps, and the hash covers
        for (int attempt = 0; attempt < 1000; attempt++) {
            AuditEntry last = last();
            long seq = last == null ? 1 : last.seq() + 1;
            AuditEntry entry = new AuditEntry(seq, at, actor, action, target, before, after, reason,
                    last == null ? AuditEntry.GENESIS : last.hash(), null).sealed();
            if (session.execute(insert.bind(bucket(seq), seq, at, actor, action, target, before, after, reason,
                    entry.prevHash(), entry.hash())).wasApplied()) {
                session.execute(moveHead.bind(seq, entry.hash(), seq));
                return entry;
            }
        }
        throw new IllegalStateException("could not append to the audit: the sequence kept moving");
    }

    /** The last entry: from the head row, then past it (an appender may have inserted without moving it yet). */
    private AuditEntry last() {
        Row headRow = session.execute(head.bind()).one();
        if (headRow == null) {
            session.execute(createHead.bind(AuditEntry.GENESIS));
        }
        long seq = headRow == null || headRow.isNull("seq") ? 0 : headRow.getLong("seq");
        AuditEntry last = seq == 0 ? null : entry(seq).orElse(null);
        while (true) {
            long from = last == null ? 0 : last.seq();
            List<AuditEntry> after = new ArrayList<>();
            session.execute(selectAfter.bind(bucket(from + 1), from)).forEach(row -> after.add(entry(row)));
            if (after.isEmpty()) {
                return last;
            }
            last = after.get(after.size() - 1);
        }
    }

    private Optional<AuditEntry> entry(long seq) {
        return Optional.ofNullable(session.execute(selectOne.bind(bucket(seq), seq)).one()).map(AuditLog::entry);
    }

    /** Every entry in order, to {@code visit}, until it returns false. */
    public void forEach(Predicate<AuditEntry> visit) {
        for (int bucket = 0; ; bucket++) {
            List<Row> rows = session.execute(selectBucket.bind(bucket)).all();
            if (rows.isEmpty()) {
                return;
            }
            for (Row row : rows) {
                if (!visit.test(entry(row))) {
                    return;
                }
            }
        }
    }

    public void forEach(Consumer<AuditEntry> visit) {
        forEach((Predicate<AuditEntry>) entry -> {
            visit.accept(entry);
            return true;
        });
    }

    /**
     * The chain recomputed: the first entry whose hash is not the hash of its content and predecessor, or whose
     * predecessor hash is not the previous entry's, or whose number leaves a gap.
     */
    public Verification verify() {
        long[] checked = {0};
        String[] previous = {AuditEntry.GENESIS};
        Verification[] broken = {null};
        forEach((Predicate<AuditEntry>) entry -> {
            long expectedSeq = checked[0] + 1;
            String problem = entry.seq() != expectedSeq ? "entry " + expectedSeq + " is missing"
                    : !entry.prevHash().equals(previous[0]) ? "its previous-hash is not the hash of entry " + (entry.seq() - 1)
                    : !entry.computeHash().equals(entry.hash()) ? "its content does not match its hash" : null;
            if (problem != null) {
                broken[0] = new Verification(false, checked[0], Math.min(entry.seq(), expectedSeq), problem);
                return false;
            }
            checked[0]++;
            previous[0] = entry.hash();
            return true;
        });
        return broken[0] != null ? broken[0] : new Verification(true, checked[0], null, null);
    }

    /**
     * @param firstBadSeq the first entry that does not match, or null when the whole chain does
     */
    public record Verification(boolean intact, long entriesChecked, Long firstBadSeq, String problem) {
    }

    static int bucket(long seq) {
        return (int) (seq / BUCKET_SIZE);
    }

    private static AuditEntry entry(Row row) {
        return new AuditEntry(row.getLong("seq"), row.getInstant("at"), row.getString("actor"), row.getString("action"),
                row.getString("target"), row.getString("before"), row.getString("after"), row.getString("reason"),
                row.getString("prev_hash"), row.getString("hash"));
    }
}
