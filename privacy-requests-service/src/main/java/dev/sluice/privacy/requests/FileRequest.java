package dev.sluice.privacy.requests;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /requests}.
 *
 * @param reference the caller's own reference (a ticket number), optional
 */
public record FileRequest(@NotNull PrivacyRequest.Type type, @NotNull @Valid Subject subject,
        @Size(max = 200) String reference) {

    /**
     * @param entityType as the schemas annotate it ({@code sluice.entity}), e.g. {@code user/id}
     * @param id the subject's id in the events
     */
    public record Subject(@NotBlank @Pattern(regexp = "[a-z][a-z0-9_]*/[a-z][a-z0-9_]*",
            message = "must be type/attribute in lower case, as the schemas annotate it, such as user/id") String entityType,
            @NotBlank @Size(max = 500) String id) {
    }
}
