package dev.sluice.registry.api;

import static dev.sluice.registry.api.ApiModel.JSON;
import static dev.sluice.registry.api.ApiModel.SR_JSON;
import static dev.sluice.registry.api.ApiModel.V1_JSON;

import dev.sluice.registry.RegistryError;
import dev.sluice.registry.SchemaRegistry;
import dev.sluice.registry.api.ApiModel.ConfigRequest;
import dev.sluice.registry.api.ApiModel.ConfigResponse;
import dev.sluice.registry.api.ApiModel.ConfigUpdate;
import dev.sluice.registry.api.ApiModel.ModeRequest;
import dev.sluice.registry.api.ApiModel.ModeResponse;
import dev.sluice.registry.compatibility.CompatibilityLevel;
import dev.sluice.registry.storage.Mode;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /config} (compatibility levels, global and per subject) and {@code /mode}. */
@RestController
class ConfigController {

    private final SchemaRegistry registry;
    private final RequestBodies bodies;

    ConfigController(SchemaRegistry registry, RequestBodies bodies) {
        this.registry = registry;
        this.bodies = bodies;
    }

    @GetMapping(path = "/config", produces = {V1_JSON, SR_JSON, JSON})
    ConfigResponse global() {
        return new ConfigResponse(registry.globalLevel().name());
    }

    @PutMapping(path = "/config", produces = {V1_JSON, SR_JSON, JSON})
    ConfigUpdate setGlobal(@RequestBody(required = false) String body) {
        return new ConfigUpdate(registry.setGlobalLevel(level(body)).name());
    }

    @DeleteMapping(path = "/config", produces = {V1_JSON, SR_JSON, JSON})
    ConfigResponse deleteGlobal() {
        return new ConfigResponse(registry.deleteGlobalLevel().name());
    }

    @GetMapping(path = "/config/{subject}", produces = {V1_JSON, SR_JSON, JSON})
    ConfigResponse subject(@PathVariable String subject, @RequestParam(defaultValue = "false") boolean defaultToGlobal) {
        return new ConfigResponse(registry.subjectLevel(subject, defaultToGlobal).name());
    }

    @PutMapping(path = "/config/{subject}", produces = {V1_JSON, SR_JSON, JSON})
    ConfigUpdate setSubject(@PathVariable String subject, @RequestBody(required = false) String body) {
        return new ConfigUpdate(registry.setSubjectLevel(subject, level(body)).name());
    }

    @DeleteMapping(path = "/config/{subject}", produces = {V1_JSON, SR_JSON, JSON})
    ConfigResponse deleteSubject(@PathVariable String subject) {
        return new ConfigResponse(registry.deleteSubjectLevel(subject).name());
    }

    @GetMapping(path = "/mode", produces = {V1_JSON, SR_JSON, JSON})
    ModeResponse mode() {
        return new ModeResponse(registry.mode().name());
    }

    @PutMapping(path = "/mode", produces = {V1_JSON, SR_JSON, JSON})
    ModeResponse setMode(@RequestBody(required = false) String body) {
        String requested = bodies.read(body, ModeRequest.class).mode();
        Mode mode = Mode.parse(requested).orElseThrow(() -> new RegistryError(422, 42204,
                "Invalid mode '" + requested + "'. Valid values are READWRITE, READONLY"));
        return new ModeResponse(registry.setMode(mode).name());
    }

    private CompatibilityLevel level(String body) {
        String requested = bodies.read(body, ConfigRequest.class).level();
        return CompatibilityLevel.parse(requested).orElseThrow(() -> new RegistryError(422, 42203,
                "Invalid compatibility level '" + requested + "'. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE,"
                        + " FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE"));
    }
}
