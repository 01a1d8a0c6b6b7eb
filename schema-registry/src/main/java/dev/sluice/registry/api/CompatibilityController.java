package dev.sluice.registry.api;

import static dev.sluice.registry.api.ApiModel.JSON;
import static dev.sluice.registry.api.ApiModel.SR_JSON;
import static dev.sluice.registry.api.ApiModel.V1_JSON;

import dev.sluice.registry.SchemaRegistry;
import dev.sluice.registry.api.ApiModel.CompatibilityResponse;
import dev.sluice.registry.api.ApiModel.SchemaRequest;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /compatibility}: would this schema be accepted as the subject's next version? */
@RestController
@RequestMapping(path = "/compatibility/subjects/{subject}", produces = {V1_JSON, SR_JSON, JSON})
class CompatibilityController {

    private final SchemaRegistry registry;
    private final RequestBodies bodies;

    CompatibilityController(SchemaRegistry registry, RequestBodies bodies) {
        this.registry = registry;
        this.bodies = bodies;
    }

    /** Against one version ({@code latest} follows the subject's level, transitive levels included). */
    @PostMapping("/versions/{version}")
    CompatibilityResponse againstVersion(@PathVariable String subject, @PathVariable String version,
            @RequestBody(required = false) String body, @RequestParam(defaultValue = "false") boolean verbose) {
        return answer(subject, version, body, verbose);
    }

    /** Against every version the subject's level asks for. */
    @PostMapping("/versions")
    CompatibilityResponse againstAll(@PathVariable String subject, @RequestBody(required = false) String body,
            @RequestParam(defaultValue = "false") boolean verbose) {
        return answer(subject, null, body, verbose);
    }

    private CompatibilityResponse answer(String subject, String version, String body, boolean verbose) {
        SchemaRequest request = bodies.read(body, SchemaRequest.class);
        List<String> reasons = registry.testCompatibility(subject, version, request.schema(), request.schemaType());
        return new CompatibilityResponse(reasons.isEmpty(), verbose ? reasons : null);
    }
}
