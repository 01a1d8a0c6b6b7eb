package dev.sluice.governance.reservoirs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Set;

/**
 * A reservoir to create or its new settings.
 *
 * @param name lower case letters, digits and underscores: it names the reservoir's lake prefix and its catalog
 *        database ({@code sluice_<name>}); on an update, the path's
 * @param members the analysts (user names) who may read it and ask for grants
 * @param eventTypes the event types it receives; empty or absent: all
 */
public record ReservoirRequest(
        @Pattern(regexp = "[a-z][a-z0-9_]{1,39}", message = "must be 2 to 40 of a-z, 0-9 and _, starting with a letter") String name,
        @NotBlank String owningTeam,
        Set<String> members,
        @NotNull @Min(1) @Max(36500) Integer retentionDays,
        Set<String> eventTypes) {

    public ReservoirRequest {
        members = members == null ? Set.of() : Set.copyOf(members);
        eventTypes = eventTypes == null ? Set.of() : Set.copyOf(eventTypes);
    }
}
