package dev.sluice.governance.rules;

import dev.sluice.governance.Caller;
import dev.sluice.governance.Governance;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Rules", description = "SHOW / HASH / DROP by field, tag, table or all, for one reservoir or all (PLATFORM_ADMIN)")
class RuleController {

    private final Governance governance;

    RuleController(Governance governance) {
        this.governance = governance;
    }

    @PostMapping("/rules")
    @Operation(summary = "Create a rule", description = "201 when it takes effect at once (it exposes no more personal "
            + "data); 202 when it would: it waits as PENDING_APPROVAL, and pending_grant names the request the DPO "
            + "decides, with the columns it would expose.")
    ResponseEntity<Governance.RuleChange> create(@Valid @RequestBody RuleRequest request, Authentication caller) {
        return answer(governance.createRule(Caller.of(caller), request), HttpStatus.CREATED);
    }

    @GetMapping("/rules")
    @Operation(summary = "Every rule, with its status")
    List<StoredRule> list() {
        return governance.rules();
    }

    @GetMapping("/rules/{id}")
    StoredRule get(@PathVariable String id) {
        return governance.rule(id);
    }

    @PutMapping("/rules/{id}")
    @Operation(summary = "Change a rule", description = "200 at once, or 202: a change that exposes more waits for the "
            + "DPO as a new rule that replaces this one when approved; this one stays in effect meanwhile.")
    ResponseEntity<Governance.RuleChange> update(@PathVariable String id, @Valid @RequestBody RuleRequest request,
            Authentication caller) {
        return answer(governance.updateRule(Caller.of(caller), id, request), HttpStatus.OK);
    }

    @DeleteMapping("/rules/{id}")
    @Operation(summary = "Delete a rule", description = "200 at once, or 202 when the deletion would expose more: the DPO "
            + "decides it.")
    ResponseEntity<Governance.RuleChange> delete(@PathVariable String id, Authentication caller) {
        return answer(governance.deleteRule(Caller.of(caller), id), HttpStatus.OK);
    }

    private static ResponseEntity<Governance.RuleChange> answer(Governance.RuleChange change, HttpStatus done) {
        return ResponseEntity.status(change.pendingGrant() == null ? done : HttpStatus.ACCEPTED).body(change);
    }
}
