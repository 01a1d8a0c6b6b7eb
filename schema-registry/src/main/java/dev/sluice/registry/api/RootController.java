package dev.sluice.registry.api;

import static dev.sluice.registry.api.ApiModel.JSON;
import static dev.sluice.registry.api.ApiModel.SR_JSON;
import static dev.sluice.registry.api.ApiModel.V1_JSON;

import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /}: Confluent answers an empty object; clients use it as a ping. */
@RestController
class RootController {

    @GetMapping(path = "/", produces = {V1_JSON, SR_JSON, JSON})
    Map<String, Object> root() {
        return Map.of();
    }
}
