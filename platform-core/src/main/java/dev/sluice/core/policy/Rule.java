package dev.sluice.core.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * A governance rule: for the columns its selector names, in one reservoir or in all, this action.
 *
 * @param reservoir the reservoir it applies to, or null for every reservoir
 * @param approved whether a DPO approved it: a rule that would expose more than the default (a relaxing rule) takes
 *        effect only then, and the engine ignores an unapproved one
 * @param expiresAt when it stops applying, or null
 */
public record Rule(String id, String reservoir, Selector selector, Action action, String purpose, Instant expiresAt,
        boolean approved) {

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(action, "action");
    }

    public boolean appliesTo(String reservoirName, Instant now) {
        return (reservoir == null || reservoir.equals(reservoirName)) && (expiresAt == null || expiresAt.isAfter(now));
    }
}
