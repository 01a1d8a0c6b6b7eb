package dev.sluice.governance.grants;

import dev.sluice.core.policy.Action;
import dev.sluice.governance.policy.SelectorBody;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;

/**
 * An analyst's request: more exposure of a field or a tag in a reservoir they belong to.
 *
 * @param action HASH or SHOW
 * @param purpose why (the DPO reads it)
 * @param expiresAt until when it is needed
 */
public record GrantRequest(@NotNull @Valid SelectorBody selector, @NotNull Action action, @NotBlank String purpose,
        @NotNull Instant expiresAt) {
}
