package dev.sluice.governance.grants;

import dev.sluice.core.policy.Action;
import dev.sluice.core.policy.Grant;
import dev.sluice.core.policy.Selector;
import java.time.Instant;

/**
 * A request for more exposure and its decision. An analyst asks for columns of a reservoir ({@link Kind#COLUMNS});
 * an admin's rule change that would expose more personal data waits here too ({@link Kind#RULE}), and its approval
 * puts the rule in effect.
 *
 * @param reservoir the reservoir; {@code *} for a change of an all-reservoirs rule
 * @param ruleId for {@link Kind#RULE}: the rule whose change awaits approval
 * @param requestedExpiry until when the requester asked for it
 * @param expiresAt until when it was approved (the DPO may shorten it)
 */
public record StoredGrant(String id, String reservoir, Kind kind, Selector selector, Action action, String purpose,
        String ruleId, String requestedBy, Instant requestedAt, Instant requestedExpiry, Status status, String decidedBy,
        Instant decidedAt, String reason, Instant expiresAt) {

    public enum Kind { COLUMNS, RULE }

    public enum Status { PENDING, APPROVED, DENIED, REVOKED, EXPIRED }

    /** The engine's grant, for an approved request for columns that has not expired. */
    public boolean inEffect(Instant now) {
        return kind == Kind.COLUMNS && status == Status.APPROVED && (expiresAt == null || expiresAt.isAfter(now));
    }

    public Grant toGrant() {
        return new Grant(id, reservoir, selector, action, purpose, expiresAt, requestedBy, decidedBy);
    }

    public StoredGrant decided(Status newStatus, String by, Instant at, String why, Instant until) {
        return new StoredGrant(id, reservoir, kind, selector, action, purpose, ruleId, requestedBy, requestedAt,
                requestedExpiry, newStatus, by, at, why, until);
    }
}
