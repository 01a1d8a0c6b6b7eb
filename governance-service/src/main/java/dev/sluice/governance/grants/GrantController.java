package dev.sluice.governance.grants;

import dev.sluice.governance.Caller;
import dev.sluice.governance.Governance;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Grants", description = "Requests for more exposure, decided by a DPO (nobody decides their own)")
class GrantController {

    private final Governance governance;

    GrantController(Governance governance) {
        this.governance = governance;
    }

    @PostMapping("/reservoirs/{reservoir}/grants")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Ask for a field or tag to be hashed or shown", description = "ANALYST, member of the "
            + "reservoir. It stays PENDING until a DPO approves or denies it.")
    StoredGrant request(@PathVariable String reservoir, @Valid @RequestBody GrantRequest request, Authentication caller) {
        return governance.requestGrant(Caller.of(caller), reservoir, request);
    }

    @GetMapping("/grants")
    @Operation(summary = "Grants and requests", description = "DPO and PLATFORM_ADMIN see all; an ANALYST their own.")
    List<StoredGrant> list(@RequestParam(required = false) StoredGrant.Status status,
            @RequestParam(required = false) String reservoir, Authentication caller) {
        return governance.grants(Caller.of(caller), status, reservoir);
    }

    @GetMapping("/grants/{id}")
    StoredGrant get(@PathVariable String id, Authentication caller) {
        return governance.grant(Caller.of(caller), id);
    }

    @PostMapping("/grants/{id}/approve")
    @Operation(summary = "Approve", description = "DPO, not the requester. Optionally with an earlier expiry. 409 when "
            + "another DPO decided first.")
    StoredGrant approve(@PathVariable String id, @RequestBody(required = false) GrantDecision decision,
            Authentication caller) {
        return governance.approve(Caller.of(caller), id, decision);
    }

    @PostMapping("/grants/{id}/deny")
    @Operation(summary = "Deny, with a reason", description = "DPO, not the requester.")
    StoredGrant deny(@PathVariable String id, @RequestBody GrantDecision decision, Authentication caller) {
        return governance.deny(Caller.of(caller), id, decision);
    }

    @PostMapping("/grants/{id}/revoke")
    @Operation(summary = "Revoke an approved grant at once, with a reason", description = "DPO.")
    StoredGrant revoke(@PathVariable String id, @RequestBody GrantDecision decision, Authentication caller) {
        return governance.revoke(Caller.of(caller), id, decision);
    }
}
