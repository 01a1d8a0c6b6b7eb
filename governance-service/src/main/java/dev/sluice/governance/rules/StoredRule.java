package dev.sluice.governance.rules;

import dev.sluice.core.policy.Action;
import dev.sluice.core.policy.Rule;
import dev.sluice.core.policy.Selector;
import java.time.Instant;

/**
 * A rule as governance keeps it: the engine's {@link Rule} plus its life.
 *
 * @param scope the reservoir it applies to, or null for every reservoir
 * @param approved whether it took effect through a DPO's approval
 * @param replaces for a pending change of another rule: the rule it replaces once approved
 * @param pendingDeletion its deletion awaits a DPO
 */
public record StoredRule(String id, String scope, Selector selector, Action action, String purpose, Instant expiresAt,
        Status status, boolean approved, String replaces, boolean pendingDeletion, String createdBy, Instant createdAt,
        Instant updatedAt) {

    public enum Status {
        /** In effect. */
        ACTIVE,
        /** It would expose more personal data: a DPO decides first. */
        PENDING_APPROVAL,
        /** A DPO refused it. */
        DENIED,
        /** It expired. */
        EXPIRED
    }

    public Rule toRule() {
        return new Rule(id, scope, selector, action, purpose, expiresAt, approved);
    }

    public boolean inEffect(Instant now) {
        return status == Status.ACTIVE && (expiresAt == null || expiresAt.isAfter(now));
    }

    public boolean appliesTo(String reservoir) {
        return scope == null || scope.equals(reservoir);
    }

    public StoredRule with(Status newStatus, boolean nowApproved, Instant at) {
        return new StoredRule(id, scope, selector, action, purpose, expiresAt, newStatus, nowApproved, replaces,
                pendingDeletion, createdBy, createdAt, at);
    }

    public StoredRule markedForDeletion(boolean pending, Instant at) {
        return new StoredRule(id, scope, selector, action, purpose, expiresAt, status, approved, replaces, pending,
                createdBy, createdAt, at);
    }
}
