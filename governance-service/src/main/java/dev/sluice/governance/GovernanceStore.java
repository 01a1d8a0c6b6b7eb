package dev.sluice.governance;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.sluice.core.cassandra.CqlMigrations;
import dev.sluice.core.policy.Action;
import dev.sluice.core.policy.ReservoirPolicy;
import dev.sluice.core.policy.Selector;
import dev.sluice.governance.grants.StoredGrant;
import dev.sluice.governance.reservoirs.Reservoir;
import dev.sluice.governance.rules.StoredRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import tools.jackson.databind.json.JsonMapper;

/**
 * Governance's tables in Cassandra ({@code cql/governance}): reservoirs, rules and grants. Every statement is
 * prepared; decisions and revisions are conditional writes, so concurrent writers get one winner.
 */
public final class GovernanceStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ALL = "*";

    private final CqlSession session;
    private final String keyspace;
    private final PreparedStatement insertReservoir;
    private final PreparedStatement updateReservoir;
    private final PreparedStatement selectReservoir;
    private final PreparedStatement selectReservoirs;
    private final PreparedStatement deleteReservoir;
    private final PreparedStatement bumpRevision;
    private final PreparedStatement setPublished;
    private final PreparedStatement insertRule;
    private final PreparedStatement selectRule;
    private final PreparedStatement selectRules;
    private final PreparedStatement deleteRule;
    private final PreparedStatement insertGrant;
    private final PreparedStatement selectGrant;
    private final PreparedStatement selectGrants;
    private final PreparedStatement decideGrant;

    private GovernanceStore(CqlSession session, String keyspace) {
        this.session = session;
        this.keyspace = keyspace;
        String k = keyspace + '.';
        insertReservoir = prepare("INSERT INTO " + k + "reservoirs (name, owning_team, members, retention_days, event_types, "
                + "key_version, revision, published_revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "IF NOT EXISTS");
        updateReservoir = prepare("UPDATE " + k + "reservoirs SET owning_team = ?, members = ?, retention_days = ?, "
                + "event_types = ?, key_version = ?, revision = ?, updated_at = ? WHERE name = ? IF revision = ?");
        selectReservoir = prepare("SELECT * FROM " + k + "reservoirs WHERE name = ?");
        selectReservoirs = prepare("SELECT * FROM " + k + "reservoirs");
        deleteReservoir = prepare("DELETE FROM " + k + "reservoirs WHERE name = ? IF EXISTS");
        bumpRevision = prepare("UPDATE " + k + "reservoirs SET revision = ?, updated_at = ? WHERE name = ? IF revision = ?");
        setPublished = prepare("UPDATE " + k + "reservoirs SET published_revision = ? WHERE name = ? IF EXISTS");
        insertRule = prepare("INSERT INTO " + k + "rules (id, scope, selector, action, purpose, expires_at, status, approved, "
                + "replaces, pending_deletion, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        selectRule = prepare("SELECT * FROM " + k + "rules WHERE id = ?");
        selectRules = prepare("SELECT * FROM " + k + "rules");
        deleteRule = prepare("DELETE FROM " + k + "rules WHERE id = ?");
        insertGrant = prepare("INSERT INTO " + k + "grants (id, reservoir, kind, selector, action, purpose, rule_id, "
                + "requested_by, requested_at, requested_expiry, status, decided_by, decided_at, reason, expires_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS");
        selectGrant = prepare("SELECT * FROM " + k + "grants WHERE id = ?");
        selectGrants = prepare("SELECT * FROM " + k + "grants");
        decideGrant = prepare("UPDATE " + k + "grants SET status = ?, decided_by = ?, decided_at = ?, reason = ?, "
                + "expires_at = ? WHERE id = ? IF status = ?");
    }

    /** Creates the keyspace when missing and applies the CQL versions not applied yet. */
    public static GovernanceStore open(CqlSession session, String keyspace, String replication) {
        CqlMigrations.ensureKeyspace(session, keyspace, replication);
        new CqlMigrations("governance", "cql/governance", GovernanceStore.class.getClassLoader()).apply(session, keyspace);
        return new GovernanceStore(session, keyspace);
    }

    private PreparedStatement prepare(String cql) {
        return session.prepare(SimpleStatement.newInstance(cql));
    }

    public CqlSession session() {
        return session;
    }

    public String keyspace() {
        return keyspace;
    }

    // ---- reservoirs

    /** @return false when a reservoir of that name exists */
    public boolean create(Reservoir r) {
        return session.execute(insertReservoir.bind(r.name(), r.owningTeam(), r.members(), r.retentionDays(), r.eventTypes(),
                r.keyVersion(), r.revision(), r.publishedRevision(), r.createdAt(), r.updatedAt())).wasApplied();
    }

    /** Writes the reservoir if its revision is still {@code expectedRevision}; false when someone changed it first. */
    public boolean update(Reservoir r, long expectedRevision) {
        return session.execute(updateReservoir.bind(r.owningTeam(), r.members(), r.retentionDays(), r.eventTypes(),
                r.keyVersion(), r.revision(), r.updatedAt(), r.name(), expectedRevision)).wasApplied();
    }

    public Optional<Reservoir> reservoir(String name) {
        return Optional.ofNullable(session.execute(selectReservoir.bind(name)).one()).map(GovernanceStore::reservoir);
    }

    public List<Reservoir> reservoirs() {
        List<Reservoir> all = new ArrayList<>();
        session.execute(selectReservoirs.bind()).forEach(row -> all.add(reservoir(row)));
        all.sort(java.util.Comparator.comparing(Reservoir::name));
        return all;
    }

    public boolean delete(String reservoir) {
        return session.execute(deleteReservoir.bind(reservoir)).wasApplied();
    }

    /** The next revision of the reservoir, compare-and-set until it wins; empty when it does not exist. */
    public Optional<Long> bumpRevision(String name, Instant now) {
        for (int attempt = 0; attempt < 100; attempt++) {
            Optional<Reservoir> current = reservoir(name);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            long next = current.get().revision() + 1;
            if (session.execute(bumpRevision.bind(next, now, name, current.get().revision())).wasApplied()) {
                return Optional.of(next);
            }
        }
        throw new IllegalStateException("the revision of reservoir " + name + " kept changing under 100 attempts");
    }

    public void published(String name, long revision) {
        session.execute(setPublished.bind(revision, name));
    }

    private static Reservoir reservoir(Row row) {
        return new Reservoir(row.getString("name"), row.getString("owning_team"), row.getSet("members", String.class),
                row.getInt("retention_days"), row.getSet("event_types", String.class), row.getInt("key_version"),
                row.getLong("revision"), row.getLong("published_revision"), row.getInstant("created_at"),
                row.getInstant("updated_at"));
    }

    // ---- rules

    public void save(StoredRule rule) {
        session.execute(insertRule.bind(rule.id(), rule.scope() == null ? ALL : rule.scope(),
                JSON.writeValueAsString(ReservoirPolicy.selector(rule.selector())), rule.action().name(), rule.purpose(),
                rule.expiresAt(), rule.status().name(), rule.approved(), rule.replaces(), rule.pendingDeletion(),
                rule.createdBy(), rule.createdAt(), rule.updatedAt()));
    }

    public Optional<StoredRule> rule(String id) {
        return Optional.ofNullable(session.execute(selectRule.bind(id)).one()).map(GovernanceStore::rule);
    }

    public List<StoredRule> rules() {
        List<StoredRule> all = new ArrayList<>();
        session.execute(selectRules.bind()).forEach(row -> all.add(rule(row)));
        all.sort(java.util.Comparator.comparing(StoredRule::createdAt).thenComparing(StoredRule::id));
        return all;
    }

    public void deleteRule(String id) {
        session.execute(deleteRule.bind(id));
    }

    private static StoredRule rule(Row row) {
        String scope = row.getString("scope");
        return new StoredRule(row.getString("id"), ALL.equals(scope) ? null : scope, selector(row.getString("selector")),
                Action.valueOf(row.getString("action")), row.getString("purpose"), row.getInstant("expires_at"),
                StoredRule.Status.valueOf(row.getString("status")), row.getBoolean("approved"), row.getString("replaces"),
                row.getBoolean("pending_deletion"), row.getString("created_by"), row.getInstant("created_at"),
                row.getInstant("updated_at"));
    }

    // ---- grants

    /** @return false when a grant with that id exists */
    public boolean create(StoredGrant g) {
        return session.execute(insertGrant.bind(g.id(), g.reservoir(), g.kind().name(),
                g.selector() == null ? null : JSON.writeValueAsString(ReservoirPolicy.selector(g.selector())),
                g.action() == null ? null : g.action().name(), g.purpose(), g.ruleId(), g.requestedBy(), g.requestedAt(),
                g.requestedExpiry(), g.status().name(), g.decidedBy(), g.decidedAt(), g.reason(), g.expiresAt())).wasApplied();
    }

    public Optional<StoredGrant> grant(String id) {
        return Optional.ofNullable(session.execute(selectGrant.bind(id)).one()).map(GovernanceStore::grant);
    }

    public List<StoredGrant> grants() {
        List<StoredGrant> all = new ArrayList<>();
        session.execute(selectGrants.bind()).forEach(row -> all.add(grant(row)));
        all.sort(java.util.Comparator.comparing(StoredGrant::requestedAt).thenComparing(StoredGrant::id));
        return all;
    }

    /**
     * Moves a grant from {@code expected} to its new status in one conditional write: of two DPOs deciding at once,
     * one wins and the other gets false.
     */
    public boolean decide(StoredGrant decided, StoredGrant.Status expected) {
        return session.execute(decideGrant.bind(decided.status().name(), decided.decidedBy(), decided.decidedAt(),
                decided.reason(), decided.expiresAt(), decided.id(), expected.name())).wasApplied();
    }

    private static StoredGrant grant(Row row) {
        String selector = row.getString("selector");
        String action = row.getString("action");
        return new StoredGrant(row.getString("id"), row.getString("reservoir"),
                StoredGrant.Kind.valueOf(row.getString("kind")), selector == null ? null : selector(selector),
                action == null ? null : Action.valueOf(action), row.getString("purpose"), row.getString("rule_id"),
                row.getString("requested_by"), row.getInstant("requested_at"), row.getInstant("requested_expiry"),
                StoredGrant.Status.valueOf(row.getString("status")), row.getString("decided_by"),
                row.getInstant("decided_at"), row.getString("reason"), row.getInstant("expires_at"));
    }

    private static Selector selector(String json) {
        return ReservoirPolicy.selector(JSON.readTree(json));
    }

}
