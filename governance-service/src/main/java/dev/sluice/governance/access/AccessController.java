package dev.sluice.governance.access;

import dev.sluice.governance.Caller;
import dev.sluice.governance.Governance;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.policybuilder.iam.IamPolicyWriter;

@RestController
@Tag(name = "Access isolation", description = "The IAM policies of the teams' roles and of the jobs' role "
        + "(PLATFORM_ADMIN and DPO)")
class AccessController {

    private static final IamPolicyWriter PRETTY = IamPolicyWriter.builder().prettyPrint(true).build();

    private final Governance governance;
    private final LakeAccessPolicies policies;

    AccessController(Governance governance, LakeAccessPolicies policies) {
        this.governance = governance;
        this.policies = policies;
    }

    @GetMapping(path = "/reservoirs/{name}/iam-policy", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The IAM policy of the reservoir's team role", description = "Reads the reservoir's S3 prefix "
            + "and its Glue database, nothing else; tier zero denied. 404 for an unknown reservoir.")
    String team(@PathVariable String name, Authentication caller) {
        governance.reservoir(Caller.of(caller), name); // 404 if there is no such reservoir
        return policies.team(name).toJson(PRETTY);
    }

    @GetMapping(path = "/iam/jobs-policy", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The IAM policy of the Spark jobs' role", description = "Reads and writes both tiers.")
    String jobs() {
        return policies.jobs().toJson(PRETTY);
    }
}
