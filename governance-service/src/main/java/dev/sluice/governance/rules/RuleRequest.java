package dev.sluice.governance.rules;

import dev.sluice.core.policy.Action;
import dev.sluice.governance.policy.SelectorBody;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;

/**
 * A rule to create, or a rule's new content.
 *
 * @param reservoir the reservoir it is for; absent: every reservoir
 * @param expiresAt when it stops applying; absent: never
 */
public record RuleRequest(String reservoir, @NotNull @Valid SelectorBody selector, @NotNull Action action, String purpose,
        Instant expiresAt) {
}
