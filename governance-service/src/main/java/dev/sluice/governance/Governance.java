package dev.sluice.governance;

import dev.sluice.core.policy.Action;
import dev.sluice.core.policy.Decision;
import dev.sluice.core.policy.Grant;
import dev.sluice.core.policy.PolicyEngine;
import dev.sluice.core.policy.Rule;
import dev.sluice.core.policy.Selector;
import dev.sluice.core.privacy.PrivacyField;
import dev.sluice.core.registry.SchemaRegistryException;
import dev.sluice.governance.audit.AuditLog;
import dev.sluice.governance.changes.ChangeFeed;
import dev.sluice.governance.grants.GrantDecision;
import dev.sluice.governance.grants.GrantRequest;
import dev.sluice.governance.grants.StoredGrant;
import dev.sluice.governance.policy.ColumnPolicy;
import dev.sluice.governance.policy.Schemas;
import dev.sluice.governance.reservoirs.Reservoir;
import dev.sluice.governance.reservoirs.ReservoirRequest;
import dev.sluice.governance.rules.RuleRequest;
import dev.sluice.governance.rules.StoredRule;
import dev.sluice.spring.web.ApiError;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.json.JsonMapper;

/**
 * Governance's decisions: reservoirs, rules, grants and their lives, each written to the store, to the audit and,
 * when a reservoir's effective policy changed, to the change feed. The one rule it keeps above all: nothing exposes
 * more personal data than today without a DPO, and nobody decides their own request.
 */
public final class Governance {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SYSTEM = "system";

    private final GovernanceStore store;
    private final AuditLog audit;
    private final ChangeFeed changes;
    private final Schemas schemas;
    private final GovernanceProperties properties;
    private final Clock clock;

    public Governance(GovernanceStore store, AuditLog audit, ChangeFeed changes, Schemas schemas,
            GovernanceProperties properties, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.changes = changes;
        this.schemas = schemas;
        this.properties = properties;
        this.clock = clock;
    }

    // ---- reservoirs

    public Reservoir createReservoir(Caller caller, ReservoirRequest request) {
        if (request.name() == null) {
            throw ApiError.badRequest("a reservoir needs a name");
        }
        Instant now = clock.instant();
        Reservoir reservoir = new Reservoir(request.name(), request.owningTeam(), request.members(), request.retentionDays(),
                request.eventTypes(), 1, 1, 0, now, now);
        if (!store.create(reservoir)) {
            throw ApiError.conflict("reservoir " + request.name() + " exists");
        }
        record(caller, "reservoir.create", "reservoir/" + reservoir.name(), null, reservoir, null);
        changes.changed(List.of(reservoir.name()));
        return store.reservoir(reservoir.name()).orElse(reservoir);
    }

    public Reservoir updateReservoir(Caller caller, String name, ReservoirRequest request) {
        if (request.name() != null && !request.name().equals(name)) {
            throw ApiError.badRequest("a reservoir cannot be renamed (" + name + " → " + request.name() + ")");
        }
        return changeReservoir(caller, name, "reservoir.update", before -> new Reservoir(name, request.owningTeam(),
                request.members(), request.retentionDays(), request.eventTypes(), before.keyVersion(),
                before.revision() + 1, before.publishedRevision(), before.createdAt(), clock.instant()));
    }

    /** A new version of the reservoir's hashing key: every hashed column of it hashes differently from now on. */
    public Reservoir rotateKey(Caller caller, String name) {
        return changeReservoir(caller, name, "reservoir.rotate-key", before -> new Reservoir(name, before.owningTeam(),
                before.members(), before.retentionDays(), before.eventTypes(), before.keyVersion() + 1,
                before.revision() + 1, before.publishedRevision(), before.createdAt(), clock.instant()));
    }

    private Reservoir changeReservoir(Caller caller, String name, String action, Function<Reservoir, Reservoir> change) {
        for (int attempt = 0; attempt < 20; attempt++) {
            Reservoir before = reservoirOrThrow(name);
            Reservoir after = change.apply(before);
            if (store.update(after, before.revision())) {
                record(caller, action, "reservoir/" + name, before, after, null);
                changes.publishBehind();
                return store.reservoir(name).orElse(after);
            }
        }
        throw ApiError.conflict("reservoir " + name + " keeps changing; try again");
    }

    public void deleteReservoir(Caller caller, String name) {
        Reservoir before = reservoirOrThrow(name);
        if (!store.delete(name)) {
            throw ApiError.notFound("no reservoir " + name);
        }
        record(caller, "reservoir.delete", "reservoir/" + name, before, null, null);
        changes.deleted(name);
    }

    /** Every reservoir, or for an analyst only the ones they belong to. */
    public List<Reservoir> reservoirs(Caller caller) {
        return store.reservoirs().stream().filter(r -> !caller.onlyAnalyst() || r.members().contains(caller.name())).toList();
    }

    public Reservoir reservoir(Caller caller, String name) {
        Reservoir reservoir = reservoirOrThrow(name);
        if (caller.onlyAnalyst() && !reservoir.members().contains(caller.name())) {
            throw ApiError.forbidden(caller.name() + " is not a member of reservoir " + name);
        }
        return reservoir;
    }

    private Reservoir reservoirOrThrow(String name) {
        return store.reservoir(name).orElseThrow(() -> ApiError.notFound("no reservoir " + name));
    }

    // ---- rules

    /** The outcome of a rule change: in effect at once, or waiting for a DPO because of what it would expose. */
    public record RuleChange(StoredRule rule, String pendingGrant, List<Exposure> exposures) {
    }

    public RuleChange createRule(Caller caller, RuleRequest request) {
        Instant now = clock.instant();
        String scope = scope(request.reservoir());
        StoredRule candidate = new StoredRule(newId("r"), scope, request.selector().toSelector(), request.action(),
                request.purpose(), request.expiresAt(), StoredRule.Status.ACTIVE, false, null, false, caller.name(), now, now);
        List<StoredRule> current = inEffect(store.rules(), now);
        List<Exposure> exposures = exposures(scope, current, plus(current, candidate.with(StoredRule.Status.ACTIVE, true, now)));
        if (!exposures.isEmpty()) {
            return propose(caller, candidate, null, exposures, "rule.propose");
        }
        store.save(candidate);
        record(caller, "rule.create", "rule/" + candidate.id(), null, candidate, request.purpose());
        affected(scope);
        return new RuleChange(candidate, null, List.of());
    }

    public RuleChange updateRule(Caller caller, String id, RuleRequest request) {
        Instant now = clock.instant();
        StoredRule existing = ruleOrThrow(id);
        if (existing.status() != StoredRule.Status.ACTIVE) {
            throw ApiError.conflict("rule " + id + " is " + existing.status() + ": only a rule in effect can be changed");
        }
        String scope = scope(request.reservoir());
        StoredRule candidate = new StoredRule(id, scope, request.selector().toSelector(), request.action(),
                request.purpose(), request.expiresAt(), StoredRule.Status.ACTIVE, existing.approved(), null, false,
                existing.createdBy(), existing.createdAt(), now);
        List<StoredRule> current = inEffect(store.rules(), now);
        List<StoredRule> without = current.stream().filter(r -> !r.id().equals(id)).toList();
        List<Exposure> exposures = exposures(scopes(existing.scope(), scope), current,
                plus(without, candidate.with(StoredRule.Status.ACTIVE, true, now)));
        if (!exposures.isEmpty()) {
            // the rule in effect stays until a DPO approves its replacement
            StoredRule replacement = new StoredRule(newId("r"), scope, candidate.selector(), candidate.action(),
                    candidate.purpose(), candidate.expiresAt(), StoredRule.Status.ACTIVE, false, id, false, caller.name(),
                    now, now);
            return propose(caller, replacement, existing, exposures, "rule.propose-change");
        }
        store.save(candidate);
        record(caller, "rule.update", "rule/" + id, existing, candidate, request.purpose());
        affected(existing.scope(), scope);
        return new RuleChange(candidate, null, List.of());
    }

    public RuleChange deleteRule(Caller caller, String id) {
        Instant now = clock.instant();
        StoredRule existing = ruleOrThrow(id);
        if (existing.status() != StoredRule.Status.ACTIVE) {
            store.deleteRule(id); // a proposal or a denied rule: nothing in effect changes
            record(caller, "rule.delete", "rule/" + id, existing, null, null);
            return new RuleChange(existing, null, List.of());
        }
        List<StoredRule> current = inEffect(store.rules(), now);
        List<Exposure> exposures = exposures(existing.scope(), current,
                current.stream().filter(r -> !r.id().equals(id)).toList());
        if (!exposures.isEmpty()) {
            StoredRule marked = existing.markedForDeletion(true, now);
            store.save(marked);
            String grant = grantFor(caller, marked, "delete rule " + id);
            record(caller, "rule.propose-deletion", "rule/" + id, existing, marked, "exposes " + exposures.size()
                    + " columns: awaits grant " + grant);
            return new RuleChange(marked, grant, exposures);
        }
        store.deleteRule(id);
        record(caller, "rule.delete", "rule/" + id, existing, null, null);
        affected(existing.scope());
        return new RuleChange(existing, null, List.of());
    }

    private RuleChange propose(Caller caller, StoredRule rule, StoredRule replaced, List<Exposure> exposures, String action) {
        StoredRule pending = rule.with(StoredRule.Status.PENDING_APPROVAL, false, rule.updatedAt());
        store.save(pending);
        String grant = grantFor(caller, pending, replaced == null ? pending.purpose() : "change rule " + replaced.id());
        record(caller, action, "rule/" + pending.id(), replaced, pending, "exposes " + exposures.size()
                + " columns more: awaits grant " + grant);
        return new RuleChange(pending, grant, exposures);
    }

    /** The DPO's request for a rule change: it carries the rule's selector and action for the DPO to read. */
    private String grantFor(Caller caller, StoredRule rule, String purpose) {
        StoredGrant grant = new StoredGrant(newId("g"), rule.scope() == null ? "*" : rule.scope(), StoredGrant.Kind.RULE,
                rule.selector(), rule.pendingDeletion() ? null : rule.action(), purpose, rule.id(), caller.name(),
                clock.instant(), rule.expiresAt(), StoredGrant.Status.PENDING, null, null, null, null);
        store.create(grant);
        return grant.id();
    }

    public List<StoredRule> rules() {
        return store.rules();
    }

    public StoredRule rule(String id) {
        return ruleOrThrow(id);
    }

    private StoredRule ruleOrThrow(String id) {
        return store.rule(id).orElseThrow(() -> ApiError.notFound("no rule " + id));
    }

    private String scope(String reservoir) {
        if (reservoir == null || reservoir.isBlank() || reservoir.equals("*")) {
            return null;
        }
        reservoirOrThrow(reservoir);
        return reservoir;
    }

    // ---- grants

    public StoredGrant requestGrant(Caller caller, String reservoirName, GrantRequest request) {
        Reservoir reservoir = reservoirOrThrow(reservoirName);
        if (!reservoir.members().contains(caller.name())) {
            throw ApiError.forbidden(caller.name() + " is not a member of reservoir " + reservoirName);
        }
        Selector selector = request.selector().toSelector();
        if (!(selector instanceof Selector.Field || selector instanceof Selector.Tag)) {
            throw ApiError.badRequest("a grant is for a field or a tag, not " + selector.describe());
        }
        if (request.action() == Action.DROP) {
            throw ApiError.badRequest("a grant asks for more: HASH or SHOW (DROP needs no approval: ask for a rule)");
        }
        Instant now = clock.instant();
        if (!request.expiresAt().isAfter(now) || request.expiresAt().isAfter(now.plus(properties.maxGrantDuration()))) {
            throw ApiError.badRequest("expires_at must be in the future and at most " + properties.maxGrantDuration().toDays()
                    + " days ahead");
        }
        StoredGrant grant = new StoredGrant(newId("g"), reservoirName, StoredGrant.Kind.COLUMNS, selector, request.action(),
                request.purpose(), null, caller.name(), now, request.expiresAt(), StoredGrant.Status.PENDING, null, null,
                null, null);
        store.create(grant);
        record(caller, "grant.request", "grant/" + grant.id(), null, grant, request.purpose());
        return grant;
    }

    public StoredGrant approve(Caller caller, String id, GrantDecision decision) {
        StoredGrant grant = pendingDecidableBy(caller, id);
        Instant now = clock.instant();
        Instant until = grant.requestedExpiry();
        if (decision != null && decision.expiresAt() != null) {
            if (until != null && decision.expiresAt().isAfter(until)) {
                throw ApiError.badRequest("the approval may shorten the expiry, not extend it beyond " + until);
            }
            if (!decision.expiresAt().isAfter(now)) {
                throw ApiError.badRequest("expires_at must be in the future");
            }
            until = decision.expiresAt();
        }
        StoredGrant approved = grant.decided(StoredGrant.Status.APPROVED, caller.name(), now,
                decision == null ? null : decision.reason(), until);
        decide(grant, approved);
        record(caller, "grant.approve", "grant/" + id, grant, approved, approved.reason());
        if (grant.kind() == StoredGrant.Kind.RULE) {
            applyRuleChange(caller, grant, true);
        } else {
            affected(grant.reservoir());
        }
        return approved;
    }

    public StoredGrant deny(Caller caller, String id, GrantDecision decision) {
        if (decision == null || decision.reason() == null || decision.reason().isBlank()) {
            throw ApiError.badRequest("a denial needs a reason");
        }
        StoredGrant grant = pendingDecidableBy(caller, id);
        StoredGrant denied = grant.decided(StoredGrant.Status.DENIED, caller.name(), clock.instant(), decision.reason(), null);
        decide(grant, denied);
        record(caller, "grant.deny", "grant/" + id, grant, denied, decision.reason());
        if (grant.kind() == StoredGrant.Kind.RULE) {
            applyRuleChange(caller, grant, false);
        }
        return denied;
    }

    /** Ends an approved grant at once. */
    public StoredGrant revoke(Caller caller, String id, GrantDecision decision) {
        if (decision == null || decision.reason() == null || decision.reason().isBlank()) {
            throw ApiError.badRequest("a revocation needs a reason");
        }
        StoredGrant grant = grantOrThrow(id);
        if (grant.status() != StoredGrant.Status.APPROVED || grant.kind() != StoredGrant.Kind.COLUMNS) {
            throw ApiError.conflict("grant " + id + " is " + grant.status() + ": only an approved grant of columns can be revoked");
        }
        StoredGrant revoked = grant.decided(StoredGrant.Status.REVOKED, caller.name(), clock.instant(), decision.reason(),
                grant.expiresAt());
        if (!store.decide(revoked, StoredGrant.Status.APPROVED)) {
            throw ApiError.conflict("grant " + id + " changed meanwhile: " + grantOrThrow(id).status());
        }
        record(caller, "grant.revoke", "grant/" + id, grant, revoked, decision.reason());
        affected(grant.reservoir());
        return revoked;
    }

    private StoredGrant pendingDecidableBy(Caller caller, String id) {
        StoredGrant grant = grantOrThrow(id);
        if (grant.requestedBy().equals(caller.name())) {
            throw ApiError.forbidden("nobody decides their own request: " + id + " was asked for by " + caller.name());
        }
        if (grant.status() != StoredGrant.Status.PENDING) {
            throw ApiError.conflict("grant " + id + " is " + grant.status() + " already");
        }
        return grant;
    }

    /** The one conditional write of a decision: of two DPOs deciding at once, one wins, the other gets 409. */
    private void decide(StoredGrant before, StoredGrant after) {
        if (!store.decide(after, StoredGrant.Status.PENDING)) {
            StoredGrant now = grantOrThrow(before.id());
            throw ApiError.conflict("grant " + before.id() + " was decided meanwhile: " + now.status() + " by " + now.decidedBy());
        }
    }

    private void applyRuleChange(Caller caller, StoredGrant grant, boolean approved) {
        StoredRule rule = store.rule(grant.ruleId()).orElse(null);
        if (rule == null) {
            return;
        }
        Instant now = clock.instant();
        if (rule.pendingDeletion()) {
            if (approved) {
                store.deleteRule(rule.id());
                record(caller, "rule.delete", "rule/" + rule.id(), rule, null, "approved in grant " + grant.id());
                affected(rule.scope());
            } else {
                store.save(rule.markedForDeletion(false, now));
            }
            return;
        }
        StoredRule decided = rule.with(approved ? StoredRule.Status.ACTIVE : StoredRule.Status.DENIED, approved, now);
        store.save(decided);
        record(caller, approved ? "rule.activate" : "rule.deny", "rule/" + rule.id(), rule, decided,
                "grant " + grant.id());
        if (approved) {
            Set<String> scopes = new LinkedHashSet<>();
            scopes.add(rule.scope());
            if (rule.replaces() != null) {
                store.rule(rule.replaces()).ifPresent(old -> {
                    scopes.add(old.scope());
                    store.deleteRule(old.id());
                    record(caller, "rule.replace", "rule/" + old.id(), old, null, "replaced by " + rule.id());
                });
            }
            affected(scopes.toArray(String[]::new));
        }
    }

    /** Every grant, or for an analyst only their own requests; optionally of one status or reservoir. */
    public List<StoredGrant> grants(Caller caller, StoredGrant.Status status, String reservoir) {
        return store.grants().stream()
                .filter(g -> !caller.onlyAnalyst() || g.requestedBy().equals(caller.name()))
                .filter(g -> status == null || g.status() == status)
                .filter(g -> reservoir == null || g.reservoir().equals(reservoir))
                .toList();
    }

    public StoredGrant grant(Caller caller, String id) {
        StoredGrant grant = grantOrThrow(id);
        if (caller.onlyAnalyst() && !grant.requestedBy().equals(caller.name())) {
            throw ApiError.forbidden("grant " + id + " is not " + caller.name() + "'s request");
        }
        return grant;
    }

    private StoredGrant grantOrThrow(String id) {
        return store.grant(id).orElseThrow(() -> ApiError.notFound("no grant " + id));
    }

    // ---- expiry (the upkeep)

    /** Grants and rules past their expiry revert by themselves: each is marked, audited, and its reservoirs republished. */
    public int expire() {
        Instant now = clock.instant();
        int expired = 0;
        for (StoredGrant grant : store.grants()) {
            if (grant.status() == StoredGrant.Status.APPROVED && grant.expiresAt() != null && !grant.expiresAt().isAfter(now)) {
                StoredGrant ended = grant.decided(StoredGrant.Status.EXPIRED, grant.decidedBy(), grant.decidedAt(),
                        grant.reason(), grant.expiresAt());
                if (store.decide(ended, StoredGrant.Status.APPROVED)) {
                    record(new Caller(SYSTEM, Set.of()), "grant.expire", "grant/" + grant.id(), grant, ended, null);
                    affected(grant.reservoir());
                    expired++;
                }
            }
        }
        for (StoredRule rule : store.rules()) {
            if (rule.status() == StoredRule.Status.ACTIVE && rule.expiresAt() != null && !rule.expiresAt().isAfter(now)) {
                StoredRule ended = rule.with(StoredRule.Status.EXPIRED, rule.approved(), now);
                store.save(ended);
                record(new Caller(SYSTEM, Set.of()), "rule.expire", "rule/" + rule.id(), rule, ended, null);
                affected(rule.scope());
                expired++;
            }
        }
        return expired;
    }

    // ---- the effective policy

    /** A column whose action a change would make less strict, in one reservoir. */
    public record Exposure(String reservoir, String eventType, String path, Action from, Action to) {
    }

    /** The effective policy of one event type in one reservoir, column by column. */
    public record TypePolicy(String eventType, int schemaVersion, int schemaId, List<ColumnPolicy> columns) {
    }

    public List<TypePolicy> policy(Caller caller, String reservoirName, String type, Integer version) {
        Reservoir reservoir = reservoir(caller, reservoirName);
        Instant now = clock.instant();
        List<Rule> rules = inEffect(store.rules(), now).stream().map(StoredRule::toRule).toList();
        List<Grant> grants = store.grants().stream().filter(g -> g.inEffect(now)).map(StoredGrant::toGrant).toList();
        List<String> types = type != null ? List.of(type) : eventTypes(reservoir);
        List<TypePolicy> policies = new ArrayList<>();
        for (String eventType : types) {
            Schemas.Versioned schema = schema(eventType, version);
            policies.add(new TypePolicy(eventType, schema.version(), schema.schemaId(), ColumnPolicy.of(schema.schema(),
                    PolicyEngine.decide(eventType, schema.schema(), reservoir.name(), rules, grants, now))));
        }
        return policies;
    }

    /**
     * What a change of the rules would expose: in each reservoir the scope reaches (every reservoir for null), for
     * each event type it receives (the latest schema), every personal-data column whose action becomes less strict.
     */
    List<Exposure> exposures(String scope, List<StoredRule> before, List<StoredRule> after) {
        return exposures(scope == null ? null : Set.of(scope), before, after);
    }

    private List<Exposure> exposures(Set<String> scopes, List<StoredRule> before, List<StoredRule> after) {
        Instant now = clock.instant();
        List<Grant> grants = store.grants().stream().filter(g -> g.inEffect(now)).map(StoredGrant::toGrant).toList();
        List<Rule> rulesBefore = before.stream().map(StoredRule::toRule).toList();
        List<Rule> rulesAfter = after.stream().map(StoredRule::toRule).toList();
        List<Exposure> exposures = new ArrayList<>();
        for (Reservoir reservoir : store.reservoirs()) {
            if (scopes != null && !scopes.contains(reservoir.name())) {
                continue;
            }
            for (String eventType : eventTypes(reservoir)) {
                Schemas.Versioned schema = schema(eventType, null);
                Map<String, Action> was = actions(PolicyEngine.decide(eventType, schema.schema(), reservoir.name(),
                        rulesBefore, grants, now));
                for (Decision decision : PolicyEngine.decide(eventType, schema.schema(), reservoir.name(), rulesAfter,
                        grants, now)) {
                    PrivacyField column = schema.schema().field(decision.path()).orElse(null);
                    Action previous = was.get(decision.path());
                    if (column != null && column.personal() && previous != null && previous.exposesMoreThan(decision.action())) {
                        exposures.add(new Exposure(reservoir.name(), eventType, decision.path(), previous, decision.action()));
                    }
                }
            }
        }
        return exposures;
    }

    private static Set<String> scopes(String... scopes) {
        Set<String> all = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (scope == null) {
                return null;
            }
            all.add(scope);
        }
        return all;
    }

    private static Map<String, Action> actions(List<Decision> decisions) {
        return decisions.stream().collect(Collectors.toMap(Decision::path, Decision::action));
    }

    private List<String> eventTypes(Reservoir reservoir) {
        try {
            return schemas.eventTypes().stream().filter(reservoir::receives).toList();
        } catch (SchemaRegistryException e) {
            throw ApiError.unavailable("the schema registry does not answer: " + e.getMessage());
        }
    }

    private Schemas.Versioned schema(String eventType, Integer version) {
        try {
            return schemas.schema(eventType, version);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw ApiError.notFound("no schema for event type " + eventType + (version == null ? "" : " version " + version));
            }
            throw ApiError.unavailable("the schema registry does not answer: " + e.getMessage());
        }
    }

    private static List<StoredRule> inEffect(Collection<StoredRule> rules, Instant now) {
        return rules.stream().filter(r -> r.inEffect(now)).toList();
    }

    private static List<StoredRule> plus(List<StoredRule> rules, StoredRule rule) {
        List<StoredRule> all = new ArrayList<>(rules);
        all.add(rule);
        return all;
    }

    /** The reservoirs whose policy a change of these scopes touched get a new revision (null: all of them). */
    private void affected(String... scopes) {
        Set<String> names = scopes(scopes);
        if (names == null) {
            changes.changedAll();
        } else {
            names.remove("*");
            changes.changed(names);
        }
    }

    private void record(Caller caller, String action, String target, Object before, Object after, String reason) {
        audit.append(clock.instant(), caller.name(), action, target, json(before), json(after), reason);
    }

    private static String json(Object value) {
        return value == null ? null : JSON.writeValueAsString(value);
    }

    private static String newId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }
}
