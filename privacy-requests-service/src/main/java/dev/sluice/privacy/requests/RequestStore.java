package dev.sluice.privacy.requests;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import dev.sluice.core.cassandra.CqlMigrations;
import dev.sluice.core.privacy.EntityRef;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The requests, their open-request markers and their transitions, in Cassandra (cql/privacy). Every statement prepared. */
public final class RequestStore {

    private final CqlSession session;
    private final String keyspace;
    private final PreparedStatement claimOpen;
    private final PreparedStatement selectOpen;
    private final PreparedStatement deleteOpen;
    private final PreparedStatement insertRequest;
    private final PreparedStatement updateScope;
    private final PreparedStatement selectRequest;
    private final PreparedStatement selectScope;
    private final PreparedStatement updateReport;
    private final PreparedStatement selectReport;
    private final PreparedStatement insertMonth;
    private final PreparedStatement selectMonth;
    private final PreparedStatement insertEvent;
    private final PreparedStatement selectEvents;

    /** One transition of a request: who moved it from what to what, when, and why. */
    public record Transition(Instant at, String actor, PrivacyRequest.Status from, PrivacyRequest.Status to, String detail) {
    }

    private RequestStore(CqlSession session, String keyspace) {
        this.session = session;
        this.keyspace = keyspace;
        this.claimOpen = session.prepare("INSERT INTO " + keyspace + ".privacy_open_requests (subject_type, subject_id, "
                + "type, id) VALUES (?, ?, ?, ?) IF NOT EXISTS");
        this.selectOpen = session.prepare("SELECT id FROM " + keyspace + ".privacy_open_requests WHERE subject_type = ? "
                + "AND subject_id = ? AND type = ?");
        this.deleteOpen = session.prepare("DELETE FROM " + keyspace + ".privacy_open_requests WHERE subject_type = ? "
                + "AND subject_id = ? AND type = ? IF id = ?");
        this.insertRequest = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".privacy_requests "
                + "(id, type, subject_type, subject_id, reference, status, filed_by, received, deadline, extension_reason, "
                + "updated, steps, step_times, failed_step, error, run_id, export_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, ?)").setIdempotent(true));
        this.updateScope = session.prepare(SimpleStatement.newInstance("UPDATE " + keyspace + ".privacy_requests SET "
                + "scope = ? WHERE id = ?").setIdempotent(true));
        this.selectRequest = session.prepare("SELECT * FROM " + keyspace + ".privacy_requests WHERE id = ?");
        this.updateReport = session.prepare(SimpleStatement.newInstance("UPDATE " + keyspace + ".privacy_requests SET "
                + "report = ? WHERE id = ?").setIdempotent(true));
        this.selectReport = session.prepare("SELECT report FROM " + keyspace + ".privacy_requests WHERE id = ?");
        this.selectScope = session.prepare("SELECT scope FROM " + keyspace + ".privacy_requests WHERE id = ?");
        this.insertMonth = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace
                + ".privacy_requests_by_month (month, id) VALUES (?, ?)").setIdempotent(true));
        this.selectMonth = session.prepare("SELECT id FROM " + keyspace + ".privacy_requests_by_month WHERE month = ?");
        this.insertEvent = session.prepare(SimpleStatement.newInstance("INSERT INTO " + keyspace
                + ".privacy_request_events (id, at, seq, actor, from_status, to_status, detail) VALUES (?, ?, ?, ?, ?, ?, ?)"));
        this.selectEvents = session.prepare("SELECT * FROM " + keyspace + ".privacy_request_events WHERE id = ?");
    }

    /** Creates the keyspace when missing and applies the CQL versions not applied yet. */
    public static RequestStore open(CqlSession session, String keyspace, String replication) {
        CqlMigrations.ensureKeyspace(session, keyspace, replication);
        new CqlMigrations("privacy", "cql/privacy", RequestStore.class.getClassLoader()).apply(session, keyspace);
        return new RequestStore(session, keyspace);
    }

    public CqlSession session() {
        return session;
    }

    public String keyspace() {
        return keyspace;
    }

    /**
     * Marks the request as the subject's open one of its type, unless another is; the other's id then. A
     * lightweight transaction: two requests filed at once for the same subject cannot both win.
     */
    public Optional<String> claimOpen(PrivacyRequest request) {
        Row row = session.execute(claimOpen.bind(request.subject().type(), request.subject().id(), request.type().name(),
                request.id())).one();
        if (row != null && !row.getBoolean("[applied]")) {
            return Optional.of(row.getString("id"));
        }
        return Optional.empty();
    }

    /** The subject's open request of the type, if any. */
    public Optional<String> openRequest(EntityRef subject, PrivacyRequest.Type type) {
        return Optional.ofNullable(session.execute(selectOpen.bind(subject.type(), subject.id(), type.name())).one())
                .map(row -> row.getString("id"));
    }

    /** The request is no longer the open one (it completed or was canceled). */
    public void releaseOpen(PrivacyRequest request) {
        session.execute(deleteOpen.bind(request.subject().type(), request.subject().id(), request.type().name(),
                request.id()));
    }

    public void save(PrivacyRequest request) {
        session.execute(insertRequest.bind(request.id(), request.type().name(), request.subject().type(),
                request.subject().id(), request.reference(), request.status().name(), request.filedBy(), request.received(),
                request.deadline(), request.extensionReason(), request.updated(), request.steps(), request.stepTimes(),
                request.failedStep(), request.error(), request.runId(), request.exportKey()));
    }

    /** A new request: its row, then its month's listing. */
    public void create(PrivacyRequest request) {
        save(request);
        session.execute(insertMonth.bind(month(request.received()), request.id()));
    }

    public Optional<PrivacyRequest> get(String id) {
        return Optional.ofNullable(session.execute(selectRequest.bind(id)).one()).map(RequestStore::request);
    }

    /** Every request received in the last {@code months} months (the current one included). */
    public List<PrivacyRequest> recent(Instant now, int months) {
        List<PrivacyRequest> requests = new ArrayList<>();
        YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        for (int i = 0; i < months; i++) {
            for (Row row : session.execute(selectMonth.bind(month.minusMonths(i).toString()))) {
                get(row.getString("id")).ifPresent(requests::add);
            }
        }
        return requests;
    }

    public void saveScope(String id, String scope) {
        session.execute(updateScope.bind(scope, id));
    }

    /** An erasure's per-store report, JSON. */
    public void saveReport(String id, String report) {
        session.execute(updateReport.bind(report, id));
    }

    public Optional<String> report(String id) {
        return Optional.ofNullable(session.execute(selectReport.bind(id)).one()).map(row -> row.getString("report"));
    }

    public Optional<String> scope(String id) {
        return Optional.ofNullable(session.execute(selectScope.bind(id)).one()).map(row -> row.getString("scope"));
    }

    /** Appends a transition to the request's history (append-only: nothing here updates or deletes one). */
    public void transition(String id, Instant at, String actor, PrivacyRequest.Status from, PrivacyRequest.Status to,
            String detail) {
        session.execute(insertEvent.bind(id, at, Uuids.timeBased(), actor, from == null ? null : from.name(),
                to.name(), detail));
    }

    public List<Transition> history(String id) {
        List<Transition> history = new ArrayList<>();
        for (Row row : session.execute(selectEvents.bind(id))) {
            history.add(new Transition(row.getInstant("at"), row.getString("actor"),
                    row.isNull("from_status") ? null : PrivacyRequest.Status.valueOf(row.getString("from_status")),
                    PrivacyRequest.Status.valueOf(row.getString("to_status")), row.getString("detail")));
        }
        return history;
    }

    static String month(Instant at) {
        return YearMonth.from(at.atOffset(ZoneOffset.UTC)).toString();
    }

    private static PrivacyRequest request(Row row) {
        return new PrivacyRequest(row.getString("id"), PrivacyRequest.Type.valueOf(row.getString("type")),
                new EntityRef(row.getString("subject_type"), row.getString("subject_id")), row.getString("reference"),
                PrivacyRequest.Status.valueOf(row.getString("status")), row.getString("filed_by"), row.getInstant("received"),
                row.getInstant("deadline"), row.getString("extension_reason"), row.getInstant("updated"),
                row.getMap("steps", String.class, String.class), row.getMap("step_times", String.class, Instant.class),
                row.getString("failed_step"), row.getString("error"), row.getString("run_id"), row.getString("export_key"));
    }
}
