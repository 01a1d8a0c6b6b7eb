package dev.sluice.governance.grants;

import java.time.Instant;

/**
 * A DPO's decision.
 *
 * @param expiresAt on approval: an earlier expiry than the one asked for (absent: as asked)
 * @param reason on denial and revocation: why (required there)
 */
public record GrantDecision(Instant expiresAt, String reason) {
}
