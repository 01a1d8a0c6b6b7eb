package dev.sluice.registry.api;

import static dev.sluice.registry.api.ApiModel.JSON;
import static dev.sluice.registry.api.ApiModel.SR_JSON;
import static dev.sluice.registry.api.ApiModel.V1_JSON;

import dev.sluice.registry.SchemaRegistry;
import dev.sluice.registry.api.ApiModel.SchemaById;
import dev.sluice.registry.api.ApiModel.SubjectVersion;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /schemas}: schemas by global id, and the schema types this registry stores. */
@RestController
@RequestMapping(path = "/schemas", produces = {V1_JSON, SR_JSON, JSON})
class SchemasController {

    private final SchemaRegistry registry;

    SchemasController(SchemaRegistry registry) {
        this.registry = registry;
    }

    /** The optional {@code subject} parameter of Confluent's API (contexts) is accepted and not needed here. */
    @GetMapping("/ids/{id}")
    SchemaById byId(@PathVariable int id) {
        return new SchemaById(registry.schema(id).text(), null);
    }

    @GetMapping("/ids/{id}/schema")
    String textById(@PathVariable int id) {
        return registry.schema(id).text();
    }

    @GetMapping("/ids/{id}/versions")
    List<SubjectVersion> versionsOf(@PathVariable int id, @RequestParam(defaultValue = "false") boolean deleted) {
        return registry.uses(id, deleted).stream().map(v -> new SubjectVersion(v.subject(), v.version())).toList();
    }

    @GetMapping("/ids/{id}/subjects")
    List<String> subjectsOf(@PathVariable int id, @RequestParam(defaultValue = "false") boolean deleted) {
        return registry.uses(id, deleted).stream().map(v -> v.subject()).distinct().toList();
    }

    @GetMapping("/types")
    List<String> types() {
        return List.of("AVRO");
    }
}
