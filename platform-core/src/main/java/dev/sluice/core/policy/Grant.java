package dev.sluice.core.policy;

import java.time.Instant;
import java.util.Objects;

/**
 * An exception a DPO approved: one reservoir sees more of the columns a selector names (a field or a tag) than its
 * rules or the default allow, until it expires or is revoked. Only active grants are given to the engine.
 *
 * @param requestedBy who asked (an analyst, or the admin whose relaxing rule needed approval)
 * @param approvedBy the DPO who approved it
 */
public record Grant(String id, String reservoir, Selector selector, Action action, String purpose, Instant expiresAt,
        String requestedBy, String approvedBy) {

    public Grant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reservoir, "reservoir");
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(action, "action");
    }

    public boolean appliesTo(String reservoirName, Instant now) {
        return reservoir.equals(reservoirName) && (expiresAt == null || expiresAt.isAfter(now));
    }
}
