package dev.sluice.privacy.requests;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Period;

/**
 * The body of {@code POST /requests/{id}/extend}: by how much (ISO-8601, e.g. {@code P2M}) and why (GDPR Art. 12(3):
 * the subject must be told the reason).
 */
public record ExtendRequest(@NotNull Period by, @NotBlank @Size(max = 1000) String reason) {
}
