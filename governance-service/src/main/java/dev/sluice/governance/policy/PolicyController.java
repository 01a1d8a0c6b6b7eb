package dev.sluice.governance.policy;

import dev.sluice.governance.Caller;
import dev.sluice.governance.Governance;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Policy", description = "The effective policy of a reservoir, column by column, and why")
class PolicyController {

    private final Governance governance;

    PolicyController(Governance governance) {
        this.governance = governance;
    }

    /** The reservoir's policy per event type and schema version. */
    record PolicyView(String reservoir, List<Governance.TypePolicy> eventTypes) {
    }

    @GetMapping("/reservoirs/{reservoir}/policy")
    @Operation(summary = "Per event type (its latest schema, or the version asked) and column: SHOW, HASH or DROP, and "
            + "the rule, grant, default or internal treatment that decided it", description = "An ANALYST only for a "
            + "reservoir they belong to.")
    PolicyView policy(@PathVariable String reservoir, @RequestParam(required = false) String type,
            @RequestParam(required = false) Integer version, Authentication caller) {
        return new PolicyView(reservoir, governance.policy(Caller.of(caller), reservoir, type, version));
    }
}
