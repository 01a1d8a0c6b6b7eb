package dev.sluice.governance.reservoirs;

import dev.sluice.governance.Caller;
import dev.sluice.governance.Governance;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Reservoirs", description = "Teams' anonymized copies of the lake (PLATFORM_ADMIN changes them)")
class ReservoirController {

    private final Governance governance;

    ReservoirController(Governance governance) {
        this.governance = governance;
    }

    @PostMapping("/reservoirs")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a reservoir", description = "PLATFORM_ADMIN. 409 if the name is taken.")
    Reservoir create(@Valid @RequestBody ReservoirRequest request, Authentication caller) {
        return governance.createReservoir(Caller.of(caller), request);
    }

    @GetMapping("/reservoirs")
    @Operation(summary = "List reservoirs", description = "PLATFORM_ADMIN and DPO see all; an ANALYST the ones they belong to.")
    List<Reservoir> list(Authentication caller) {
        return governance.reservoirs(Caller.of(caller));
    }

    @GetMapping("/reservoirs/{name}")
    @Operation(summary = "One reservoir", description = "An ANALYST only if a member (else 403).")
    Reservoir get(@PathVariable String name, Authentication caller) {
        return governance.reservoir(Caller.of(caller), name);
    }

    @PutMapping("/reservoirs/{name}")
    @Operation(summary = "Change a reservoir's team, members, retention or event types", description = "PLATFORM_ADMIN.")
    Reservoir update(@PathVariable String name, @Valid @RequestBody ReservoirRequest request, Authentication caller) {
        return governance.updateReservoir(Caller.of(caller), name, request);
    }

    @DeleteMapping("/reservoirs/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a reservoir", description = "PLATFORM_ADMIN. Its policy is withdrawn from the change feed.")
    void delete(@PathVariable String name, Authentication caller) {
        governance.deleteReservoir(Caller.of(caller), name);
    }

    @PostMapping("/reservoirs/{name}/key-rotation")
    @Operation(summary = "Rotate the reservoir's hashing key", description = "PLATFORM_ADMIN. A new key version: hashed "
            + "columns hash differently from the next recomputation on.")
    Reservoir rotate(@PathVariable String name, Authentication caller) {
        return governance.rotateKey(Caller.of(caller), name);
    }
}
