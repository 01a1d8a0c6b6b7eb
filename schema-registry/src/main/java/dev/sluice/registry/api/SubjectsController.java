package dev.sluice.registry.api;

import static dev.sluice.registry.api.ApiModel.JSON;
import static dev.sluice.registry.api.ApiModel.SR_JSON;
import static dev.sluice.registry.api.ApiModel.V1_JSON;

import dev.sluice.registry.RegistryError;
import dev.sluice.registry.SchemaRegistry;
import dev.sluice.registry.SchemaRegistry.Registration;
import dev.sluice.registry.SchemaRegistry.VersionedSchema;
import dev.sluice.registry.api.ApiModel.RegisterResponse;
import dev.sluice.registry.api.ApiModel.SchemaRequest;
import dev.sluice.registry.api.ApiModel.SubjectSchema;
import java.util.List;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /subjects}: register, look up, list, read and delete subject versions. */
@RestController
@RequestMapping(path = "/subjects", produces = {V1_JSON, SR_JSON, JSON})
class SubjectsController {

    private final SchemaRegistry registry;
    private final RequestBodies bodies;

    SubjectsController(SchemaRegistry registry, RequestBodies bodies) {
        this.registry = registry;
        this.bodies = bodies;
    }

    @GetMapping
    List<String> subjects(@RequestParam(defaultValue = "false") boolean deleted,
            @RequestParam(defaultValue = "") String subjectPrefix) {
        return registry.subjects(deleted).stream().filter(s -> s.startsWith(subjectPrefix)).toList();
    }

    @GetMapping("/{subject}/versions")
    List<Integer> versions(@PathVariable String subject, @RequestParam(defaultValue = "false") boolean deleted) {
        return registry.versions(subject, deleted);
    }

    @GetMapping("/{subject}/versions/{version}")
    SubjectSchema version(@PathVariable String subject, @PathVariable String version,
            @RequestParam(defaultValue = "false") boolean deleted) {
        return view(registry.version(subject, version, deleted));
    }

    /** The schema text alone, exactly as registered. */
    @GetMapping("/{subject}/versions/{version}/schema")
    String schemaText(@PathVariable String subject, @PathVariable String version,
            @RequestParam(defaultValue = "false") boolean deleted) {
        return registry.version(subject, version, deleted).schema().text();
    }

    @PostMapping("/{subject}/versions")
    RegisterResponse register(@PathVariable String subject, @RequestBody(required = false) String body) {
        SchemaRequest request = schemaRequest(body);
        Registration registration = registry.register(subject, request.schema(), request.schemaType());
        return new RegisterResponse(registration.id(), registration.version(), registration.privacyFindings());
    }

    @PostMapping("/{subject}")
    SubjectSchema lookup(@PathVariable String subject, @RequestBody(required = false) String body,
            @RequestParam(defaultValue = "false") boolean deleted) {
        SchemaRequest request = schemaRequest(body);
        return view(registry.lookup(subject, request.schema(), request.schemaType(), deleted));
    }

    @DeleteMapping("/{subject}")
    List<Integer> deleteSubject(@PathVariable String subject, @RequestParam(defaultValue = "false") boolean permanent) {
        return registry.deleteSubject(subject, permanent);
    }

    @DeleteMapping("/{subject}/versions/{version}")
    int deleteVersion(@PathVariable String subject, @PathVariable String version,
            @RequestParam(defaultValue = "false") boolean permanent) {
        return registry.deleteVersion(subject, version, permanent);
    }

    private SchemaRequest schemaRequest(String body) {
        SchemaRequest request = bodies.read(body, SchemaRequest.class);
        if (request.references() != null && !request.references().isEmpty()) {
            throw new RegistryError(422, 42201, "Invalid schema: schema references are not supported by this registry");
        }
        return request;
    }

    static SubjectSchema view(VersionedSchema versioned) {
        return new SubjectSchema(versioned.version().subject(), versioned.version().version(), versioned.version().id(),
                null, versioned.schema().text());
    }
}
